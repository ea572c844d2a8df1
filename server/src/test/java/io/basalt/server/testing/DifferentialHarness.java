package io.basalt.server.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

/**
 * Runs the same command lines against a real Redis and against Basalt and asserts that every reply
 * is byte-identical. Both start from an empty keyspace (FLUSHALL) for each script.
 */
public final class DifferentialHarness implements AutoCloseable {
    private final RespConnection redis;
    private final RespConnection basalt;

    public DifferentialHarness(RealRedis real, TestServer server) throws IOException {
        redis = new RespConnection(real.port());
        basalt = new RespConnection(server.port());
    }

    /** Each line is one command, written as in redis-cli. */
    public void same(String... lines) throws IOException {
        redis.call("FLUSHALL");
        basalt.call("FLUSHALL");
        for (String line : lines) {
            String expected = redis.call(line);
            String actual = basalt.call(line);
            assertThat(actual).as("reply to: %s", line).isEqualTo(expected);
        }
    }

    /** Sends a command to both without comparing (setup whose reply differs by nature). */
    public void both(String line) throws IOException {
        redis.call(line);
        basalt.call(line);
    }

    public RespConnection redis() {
        return redis;
    }

    public RespConnection basalt() {
        return basalt;
    }

    @Override
    public void close() throws IOException {
        redis.close();
        basalt.close();
    }
}
