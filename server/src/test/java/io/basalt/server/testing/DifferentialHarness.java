package io.basalt.server.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.util.Map;

/**
 * A Basalt test server plus, when {@code redis-server} is installed, a real Redis beside it: the
 * same command lines go to both and every reply must be byte-identical. Each {@link #same} script
 * starts from an empty keyspace on both. One per test class.
 */
public final class DifferentialHarness implements AutoCloseable {
    private final TestServer server;
    private final RealRedis real;
    private final RespConnection redis;
    private final RespConnection basalt;

    private DifferentialHarness(TestServer server, RealRedis real) throws IOException {
        this.server = server;
        this.real = real;
        this.redis = real == null ? null : new RespConnection(real.port());
        this.basalt = real == null ? null : new RespConnection(server.port());
    }

    /** Starts Basalt with {@code settings} (also applied to Redis with CONFIG SET where Redis has them). */
    public static DifferentialHarness start(Map<String, String> settings) throws IOException, InterruptedException {
        TestServer server = new TestServer(settings);
        RealRedis real = RealRedis.available() ? new RealRedis() : null;
        DifferentialHarness h = new DifferentialHarness(server, real);
        if (real != null) {
            for (Map.Entry<String, String> e : settings.entrySet()) {
                h.redis.call("CONFIG SET " + e.getKey() + " " + e.getValue());
            }
        }
        return h;
    }

    public static DifferentialHarness start() throws IOException, InterruptedException {
        return start(Map.of());
    }

    public TestServer server() {
        return server;
    }

    /** Skips the calling test when no real Redis is available (CI installs one). */
    public DifferentialHarness require() {
        assumeTrue(real != null, "redis-server not installed");
        return this;
    }

    /** Each line is one command, written as in redis-cli. */
    public void same(String... lines) throws IOException {
        require();
        redis.call("FLUSHALL");
        basalt.call("FLUSHALL");
        for (String line : lines) {
            String expected;
            String actual;
            try {
                expected = redis.call(line);
            } catch (IOException e) {
                throw new IOException("redis failed on: " + line, e);
            }
            try {
                actual = basalt.call(line);
            } catch (IOException e) {
                throw new IOException("basalt failed on: " + line + " (redis replied " + expected + ")", e);
            }
            assertThat(actual).as("reply to: %s", line).isEqualTo(expected);
        }
    }

    /** Sends a command to both without comparing (setup whose reply differs by nature). */
    public void both(String line) throws IOException {
        require();
        redis.call(line);
        basalt.call(line);
    }

    public RespConnection redis() {
        return redis;
    }

    public RespConnection basalt() {
        return basalt;
    }

    public int redisPort() {
        return real.port();
    }

    @Override
    public void close() throws IOException {
        if (real != null) {
            redis.close();
            basalt.close();
            real.close();
        }
        server.close();
    }
}
