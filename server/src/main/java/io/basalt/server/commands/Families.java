package io.basalt.server.commands;

import io.basalt.server.dispatch.CommandRegistry;

/** The one visible list of command families and the handlers they register. */
public final class Families {
    private Families() {}

    public static CommandRegistry registry() {
        CommandRegistry r = new CommandRegistry();
        ConnectionCommands.register(r);
        ServerCommands.register(r);
        StringCommands.register(r);
        BitmapCommands.register(r);
        KeyCommands.register(r);
        DumpCommands.register(r);
        HashCommands.register(r);
        SetCommands.register(r);
        ZSetCommands.register(r);
        ListCommands.register(r);
        SortCommands.register(r);
        GeoCommands.register(r);
        HllCommands.register(r);
        TransactionCommands.register(r);
        ScriptingCommands.register(r);
        FunctionCommands.register(r);
        PubSubCommands.register(r);
        ClusterCommands.register(r);
        StreamCommands.register(r);
        InternalCommands.register(r);
        return r;
    }
}
