package io.basalt.server.commands;

import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Reply;
import io.basalt.server.write.ExpirySweeper;

/** Handlers only the node itself proposes (never in the command table, so clients cannot call them). */
public final class InternalCommands {
    private InternalCommands() {}

    public static void register(CommandRegistry r) {
        // __expire key at [key at ...]: the active-expiry sweep's deletes, replicated like any write.
        r.write(ExpirySweeper.COMMAND, ctx -> {
            Args a = ctx.args();
            long deleted = 0;
            for (int i = 1; i + 1 < a.size(); i += 2) {
                if (ctx.keyspace().expireIfDue(a.bytes(i), a.longValue(i + 1))) {
                    deleted++;
                }
            }
            return Reply.integer(deleted);
        });
        // __session-forget id lastMs [id lastMs ...]: the leader's sweep of idle dedup sessions
        r.write(io.basalt.server.write.ExpirySweeper.FORGET_SESSIONS, ctx -> {
            Args a = ctx.args();
            long forgotten = 0;
            for (int i = 1; i + 1 < a.size(); i += 2) {
                if (io.basalt.server.write.Applier.forgetSession(ctx.keyspace(), a.string(i), a.longValue(i + 1))) {
                    forgotten++;
                }
            }
            return Reply.integer(forgotten);
        });
    }
}
