package io.basalt.client;

import io.lettuce.core.RedisException;

/**
 * The SDK gave up on a command that was never executed: no leader became reachable within
 * {@link BasaltClientOptions#maxRetryTime()}, or too many commands were already waiting
 * ({@link BasaltClientOptions#maxPendingRetries()}). Retrying it is safe.
 */
public class BasaltClientException extends RedisException {
    public BasaltClientException(String message) {
        super(message);
    }

    public BasaltClientException(String message, Throwable cause) {
        super(message, cause);
    }
}
