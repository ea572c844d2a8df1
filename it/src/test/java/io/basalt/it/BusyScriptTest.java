package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A runaway script that already wrote cannot be killed with SCRIPT KILL, but SHUTDOWN NOSAVE still
 * stops the server (real process), and nothing of the script is applied: after a restart the data
 * is as it was before the script.
 */
@Timeout(120)
class BusyScriptTest {
    private Path dir;

    @BeforeEach
    void dir() throws Exception {
        dir = Files.createTempDirectory("basalt-it-busy");
    }

    @AfterEach
    void cleanup() {
        ServerProcess.deleteDir(dir);
    }

    @Test
    void shutdownNosaveStopsAnUnkillableScriptWithoutApplyingIt() throws Exception {
        try (ServerProcess server = new ServerProcess(dir).start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            client.setOptions(io.lettuce.core.ClientOptions.builder().timeoutOptions(io.lettuce.core.TimeoutOptions.enabled(Duration.ofSeconds(60))).build());
            try (StatefulRedisConnection<String, String> runner = client.connect();
                    StatefulRedisConnection<String, String> admin = client.connect()) {
                admin.sync().set("before", "1");
                admin.sync().configSet("busy-reply-threshold", "100");
                CompletableFuture<Object> looping = runner.async().eval(
                        "redis.call('set', 'written', 'by the script') while true do end", ScriptOutputType.VALUE)
                        .toCompletableFuture();
                Thread.sleep(500);
                assertThat(catchError(() -> admin.sync().get("before"))).startsWith("BUSY");
                assertThat(catchError(() -> admin.sync().scriptKill())).startsWith("UNKILLABLE");
                try {
                    admin.sync().shutdown(false);
                } catch (RedisException closedWithoutReply) {
                    // SHUTDOWN does not reply: the connection closes as the server exits
                }
                assertThat(server.waitForExit(30)).isZero();
                assertThat(looping).isNotCompleted(); // the script never finished: it was stopped with the server
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
        try (ServerProcess server = new ServerProcess(dir).start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                assertThat(c.sync().get("before")).isEqualTo("1");
                assertThat(c.sync().exists("written")).as("the killed script left nothing behind").isZero();
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    private static String catchError(Runnable r) {
        try {
            r.run();
            return "no error";
        } catch (RedisException e) {
            return e.getMessage();
        }
    }
}
