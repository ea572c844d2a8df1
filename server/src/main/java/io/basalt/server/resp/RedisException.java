package io.basalt.server.resp;

/**
 * A command failed with a Redis error reply. The message is the full error text including its code
 * ({@code "ERR syntax error"}, {@code "WRONGTYPE Operation against …"}). No stack trace: these are
 * control flow for bad input, not bugs.
 */
public final class RedisException extends RuntimeException {
    public RedisException(String errorText) {
        super(errorText, null, false, false);
    }

    public Reply.Error reply() {
        return new Reply.Error(getMessage());
    }
}
