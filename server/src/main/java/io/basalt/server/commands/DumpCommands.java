package io.basalt.server.commands;

import io.basalt.server.dispatch.CommandRegistry;

/** DUMP and RESTORE in Redis's RDB serialization format. */
public final class DumpCommands {
    private DumpCommands() {}

    public static void register(CommandRegistry r) {
    }
}
