package io.basalt.client;

import io.lettuce.core.RedisException;

/**
 * The leader a command was sent to lost its leadership (or died) before answering. A write may or
 * may not have been applied — like the servers' {@code -UNCERTAIN} reply, it is not retried
 * automatically; a read can simply be repeated.
 */
public class BasaltLeaderChangedException extends RedisException {
    public BasaltLeaderChangedException(String message) {
        super(message);
    }
}
