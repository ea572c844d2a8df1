package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.Reply;

/** Server commands: INFO, CONFIG, DBSIZE, FLUSHALL/FLUSHDB, TIME, SLOWLOG, SHUTDOWN, MONITOR, COMMAND… */
public final class ServerCommands {
    private ServerCommands() {}

    public static void register(CommandRegistry r) {
        r.write("flushall", ServerCommands::flush, ServerCommands::validateFlush);
        r.write("flushdb", ServerCommands::flush, ServerCommands::validateFlush);
    }

    /** FLUSHALL/FLUSHDB [ASYNC|SYNC]: both are range deletes, so they are O(1) either way. */
    static void validateFlush(Args a, CommandContext ctx) {
        if (a.size() > 2 || (a.size() == 2 && !a.is(1, "ASYNC") && !a.is(1, "SYNC"))) {
            throw Errors.syntax();
        }
    }

    static Reply flush(ApplyContext ctx) {
        ctx.keyspace().deleteEverything();
        return Reply.OK;
    }
}
