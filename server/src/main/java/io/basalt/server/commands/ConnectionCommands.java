package io.basalt.server.commands;

import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Reply;

/** Connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO. */
public final class ConnectionCommands {
    private ConnectionCommands() {}

    public static void register(CommandRegistry r) {
        r.read("ping", ctx -> ctx.args().size() == 1 ? Reply.PONG : Reply.bulk(ctx.args().bytes(1)));
    }
}
