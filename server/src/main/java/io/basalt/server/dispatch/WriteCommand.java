package io.basalt.server.dispatch;

import io.basalt.server.resp.Reply;

/**
 * A command that changes data. {@link #validate} runs before the command enters the write path (a
 * syntax error never reaches the log); {@link #apply} runs on the applier, in log order, and must be
 * deterministic: it may read only its arguments, the fixed time and seed in the context, and storage.
 */
public interface WriteCommand {
    Reply apply(ApplyContext ctx);

    /** Rejects bad arguments with a RedisException before anything is proposed. */
    default void validate(Args args, CommandContext ctx) {}

    /**
     * The proposal that carries this command into the log. Normally the request itself; a command
     * that depends on node-local state rewrites it into one that does not (EVALSHA carries the
     * script's body, so a replica needs no script cache).
     */
    default io.basalt.server.write.Proposal proposal(String name, java.util.List<byte[]> argv, long nowMs, long seed,
            CommandContext ctx) {
        return new io.basalt.server.write.Proposal(name, argv, nowMs, seed);
    }

    static WriteCommand of(Applying apply, Validating validate) {
        return new WriteCommand() {
            @Override
            public Reply apply(ApplyContext ctx) {
                return apply.apply(ctx);
            }

            @Override
            public void validate(Args args, CommandContext ctx) {
                validate.validate(args, ctx);
            }
        };
    }

    @FunctionalInterface
    interface Applying {
        Reply apply(ApplyContext ctx);
    }

    @FunctionalInterface
    interface Validating {
        void validate(Args args, CommandContext ctx);
    }
}
