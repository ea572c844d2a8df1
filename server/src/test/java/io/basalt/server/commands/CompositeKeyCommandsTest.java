package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generic key commands (TYPE, RENAME, COPY, expiry, SCAN TYPE, OBJECT ENCODING) over every composite type. */
class CompositeKeyCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of("hash-max-listpack-entries", "4", "zset-max-listpack-entries", "4",
                "set-max-intset-entries", "4"));
        server = diff.server();
    }

    @AfterAll
    static void stop() throws Exception {
        diff.close();
    }

    @BeforeEach
    void clean() {
        redis = server.lettuce();
        server.flush();
    }

    @Test
    void typesRenameCopyMatchRedis() throws Exception {
        for (String size : new String[] {"1 2", "1 2 3 4 5 6 7 8"}) {
            String[] m = size.split(" ");
            StringBuilder h = new StringBuilder("HSET h");
            StringBuilder z = new StringBuilder("ZADD z");
            for (String x : m) {
                h.append(" f").append(x).append(" v").append(x);
                z.append(' ').append(x).append(" m").append(x);
            }
            diff.same(h.toString(), z.toString(), "SADD s " + size, "RPUSH l " + size, "TYPE h", "TYPE z", "TYPE s", "TYPE l",
                    "OBJECT ENCODING h", "OBJECT ENCODING z", "OBJECT ENCODING s", "RENAME h h2", "HGET h2 f1", "HLEN h2",
                    "EXISTS h", "COPY z z2", "ZRANGE z2 0 -1 WITHSCORES", "ZADD z2 100 extra", "ZCARD z", "ZCARD z2",
                    "COPY s z2", "COPY s z2 REPLACE", "TYPE z2", "SCARD z2", "SISMEMBER z2 2", "RENAME l s", "TYPE s", "LRANGE s 0 -1",
                    "RENAMENX s h2", "EXPIRE h2 100", "TTL h2", "RENAME h2 h3", "TTL h3", "HGET h3 f2", "PERSIST h3", "TTL h3",
                    "DEL h3 z z2 s", "EXISTS h3 z z2 s", "DBSIZE");
        }
    }

    @Test
    void expiredCompositesVanishAndTheirMembersAreCollected() {
        Map<String, String> fields = new HashMap<>();
        for (int i = 0; i < 500; i++) {
            fields.put("f" + i, "v" + i);
        }
        redis.hset("h", fields);
        redis.pexpire("h", 100);
        redis.zadd("z", 1, "a");
        redis.pexpire("z", 100);
        await().atMost(Duration.ofSeconds(5)).until(() -> redis.dbsize() == 0);
        assertThat(redis.hlen("h")).isZero();
        redis.hset("h", "new", "1");
        assertThat(redis.hgetall("h")).isEqualTo(Map.of("new", "1"));
        assertThat(redis.ttl("h")).isEqualTo(-1);
    }

    @Test
    void scanFiltersByType() {
        redis.hset("h", "a", "1");
        redis.sadd("s", "a");
        redis.zadd("z", 1, "a");
        redis.rpush("l", "a");
        redis.set("str", "a");
        for (String t : new String[] {"hash", "set", "zset", "list", "string"}) {
            var page = redis.scan(io.lettuce.core.ScanCursor.INITIAL, io.lettuce.core.KeyScanArgs.Builder.type(t).limit(100));
            assertThat(page.getKeys()).hasSize(1);
        }
    }
}
