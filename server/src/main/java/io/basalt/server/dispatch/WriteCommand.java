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
