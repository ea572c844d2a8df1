package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Set commands against a real Redis (byte-identical where Redis's order is defined) and via Lettuce. */
class SetCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of("set-max-intset-entries", "8"));
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
    void intsetsMatchRedisExactly() throws Exception {
        diff.same("SADD s 5 3 9 -1 3", "SMEMBERS s", "SCARD s", "SISMEMBER s 3", "SISMEMBER s 4", "SMISMEMBER s 3 4 5",
                "OBJECT ENCODING s", "SREM s 3 4", "SMEMBERS s", "SADD t 1 2 3 5 9", "SINTER s t", "SINTER s nope",
                "SUNION s t", "SDIFF t s", "SDIFF s", "SINTERSTORE d s t", "SMEMBERS d", "SUNIONSTORE d s t", "SMEMBERS d",
                "SDIFFSTORE d t s", "SMEMBERS d", "SDIFFSTORE d nope", "EXISTS d", "SINTERCARD 2 s t", "SINTERCARD 2 s t LIMIT 1",
                "SINTERCARD 0 s", "SINTERCARD 3 s t", "SINTERCARD 1 s LIMIT -1", "SINTERCARD x s", "SINTERCARD 1 s BAD",
                "SMOVE t s 2", "SMEMBERS s", "SMEMBERS t", "SMOVE t s 42", "SMOVE s s 2", "SADD s 1 2 3 4 5 6 7 8 9 10",
                "OBJECT ENCODING s", "SCARD s", "SREM s 1 2 3", "SCARD s", "SPOP nope", "SPOP nope 3", "SRANDMEMBER nope",
                "SRANDMEMBER nope 3", "SPOP s -1", "SPOP s 1 2", "SPOP s x", "SRANDMEMBER s x", "SSCAN s x", "SSCAN nope 0");
    }

    @Test
    void typeErrorsMatchRedis() throws Exception {
        diff.same("SET str x", "SADD str a", "SREM str a", "SCARD str", "SMEMBERS str", "SINTER str", "SUNION nope str",
                "SADD s a", "SMOVE s str a", "SMOVE str s a", "SINTERSTORE str s", "TYPE str", "SMEMBERS str",
                "SDIFF nope str", "SPOP str", "SRANDMEMBER str", "SISMEMBER str a");
    }

    @Test
    void stringSetsAndLargeSets() {
        assertThat(redis.sadd("s", "a", "b", "c")).isEqualTo(3);
        assertThat(redis.smembers("s")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(redis.objectEncoding("s")).isEqualTo("hashtable");
        String[] many = new String[1000];
        for (int i = 0; i < many.length; i++) {
            many[i] = "m" + i;
        }
        assertThat(redis.sadd("big", many)).isEqualTo(1000);
        assertThat(redis.scard("big")).isEqualTo(1000);
        assertThat(redis.sismember("big", "m999")).isTrue();
        assertThat(redis.sinter("big", "s")).isEmpty();
        redis.sadd("s", "m1", "m2");
        assertThat(redis.sinter("big", "s")).containsExactlyInAnyOrder("m1", "m2");
        Set<String> popped = redis.spop("big", 10);
        assertThat(popped).hasSize(10);
        assertThat(redis.scard("big")).isEqualTo(990);
        for (String p : popped) {
            assertThat(redis.sismember("big", p)).isFalse();
        }
        assertThat(redis.srandmember("big", 20)).hasSize(20).doesNotHaveDuplicates();
        assertThat(redis.srandmember("big", -2000)).hasSize(2000);
        Set<String> scanned = new HashSet<>();
        io.lettuce.core.ScanCursor c = io.lettuce.core.ScanCursor.INITIAL;
        do {
            io.lettuce.core.ValueScanCursor<String> page = redis.sscan("big", c);
            scanned.addAll(page.getValues());
            c = page;
        } while (!c.isFinished());
        assertThat(scanned).hasSize(990);
        assertThat(redis.spop("big", 5000)).hasSize(990);
        assertThat(redis.exists("big")).isZero();
    }
}
