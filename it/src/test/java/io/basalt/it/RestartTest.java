package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Durability of a standalone node across clean stops and SIGKILL, with real processes. */
@Timeout(180)
class RestartTest {
    private Path dir;

    @BeforeEach
    void dir() throws Exception {
        dir = Files.createTempDirectory("basalt-it-restart");
    }

    @AfterEach
    void cleanup() {
        ServerProcess.deleteDir(dir);
    }

    private static <T> T withClient(int port, java.util.function.Function<RedisCommands<String, String>, T> body) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + port);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return body.apply(c.sync());
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
    }

    @Test
    void cleanStopKeepsValuesAndTtls() throws Exception {
        try (ServerProcess server = new ServerProcess(dir).start()) {
            withClient(server.port(), r -> {
                for (int i = 0; i < 10_000; i++) {
                    if (i % 2 == 0) {
                        r.set("k:" + i, "v" + i);
                    } else {
                        r.set("k:" + i, "v" + i, SetArgs.Builder.ex(3600));
                    }
                }
                r.set("short", "gone-soon", SetArgs.Builder.px(1500));
                return null;
            });
            assertThat(server.stop()).isIn(0, 143);
            Thread.sleep(2000);
            server.start();
            withClient(server.port(), r -> {
                for (int i = 0; i < 10_000; i++) {
                    assertThat(r.get("k:" + i)).isEqualTo("v" + i);
                }
                assertThat(r.ttl("k:1")).isBetween(3500L, 3600L);
                assertThat(r.ttl("k:0")).isEqualTo(-1);
                assertThat(r.get("short")).isNull();
                assertThat(r.dbsize()).isBetween(10_000L, 10_001L);
                return null;
            });
        }
    }

    @Test
    void sigkillLosesNoAcknowledgedWrite() throws Exception {
        List<String> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger counter = new AtomicInteger();
        try (ServerProcess server = new ServerProcess(dir).start()) {
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            StatefulRedisConnection<String, String> c = client.connect();
            RedisAsyncCommands<String, String> async = c.async();
            Thread writer = new Thread(() -> {
                while (!stop.get()) {
                    List<RedisFuture<String>> batch = new ArrayList<>();
                    List<String> keys = new ArrayList<>();
                    for (int i = 0; i < 50; i++) {
                        String k = "w:" + counter.getAndIncrement();
                        keys.add(k);
                        batch.add(async.set(k, k));
                    }
                    for (int i = 0; i < batch.size(); i++) {
                        try {
                            if ("OK".equals(batch.get(i).get(5, TimeUnit.SECONDS))) {
                                acked.add(keys.get(i));
                            }
                        } catch (Exception e) {
                            return; // the server died: writes after this are not acknowledged
                        }
                    }
                }
            });
            writer.start();
            Thread.sleep(2500);
            server.kill();
            stop.set(true);
            writer.join(10_000);
            c.close();
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            assertThat(acked).hasSizeGreaterThan(500);

            server.start();
            withClient(server.port(), r -> {
                for (String k : new ArrayList<>(acked)) {
                    assertThat(r.get(k)).as("acknowledged key %s", k).isEqualTo(k);
                }
                return null;
            });
        }
    }

    @Test
    void shutdownCommandExitsCleanly() throws Exception {
        try (ServerProcess server = new ServerProcess(dir).start()) {
            withClient(server.port(), r -> r.set("before", "shutdown"));
            RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.async().shutdown(false);
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
            assertThat(server.waitForExit(30)).isZero();
            server.start();
            String before = withClient(server.port(), r -> r.get("before"));
            assertThat(before).isEqualTo("shutdown");
        }
    }
}
