package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Hash commands against a real Redis (byte-identical replies) and through Lettuce. */
class HashCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of("hash-max-listpack-entries", "4", "hash-max-listpack-value", "8"));
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
    void basicsMatchRedis() throws Exception {
        diff.same("HSET h a 1 b 2", "HSET h a 3 c 4", "HGET h a", "HGET h zz", "HGET nope a", "HMGET h a b zz", "HMGET nope a",
                "HLEN h", "HLEN nope", "HSTRLEN h a", "HSTRLEN h zz", "HEXISTS h a", "HEXISTS h zz", "HKEYS h", "HVALS h",
                "HGETALL h", "HGETALL nope", "HSETNX h a 9", "HSETNX h d 9", "HGETALL h", "HDEL h a zz b", "HGETALL h",
                "HDEL h c d", "EXISTS h", "HSET h a", "HSET h", "HMSET h a 1 b", "HMSET h a 1", "HGETALL h", "OBJECT ENCODING h",
                "TYPE h", "SET s x", "HSET s a 1", "HGET s a", "HLEN s", "HGETALL s", "HDEL s a", "HSET h \"\" \"\"", "HGET h \"\"");
    }

    @Test
    void incrementsMatchRedis() throws Exception {
        diff.same("HINCRBY h n 5", "HINCRBY h n -7", "HINCRBY h n x", "HSET h s abc", "HINCRBY h s 1",
                "HSET h big 9223372036854775807", "HINCRBY h big 1", "HINCRBY h n 9223372036854775807",
                "HINCRBYFLOAT h f 1.5", "HINCRBYFLOAT h f 0.1", "HINCRBYFLOAT h f -1e3", "HINCRBYFLOAT h s 1",
                "HINCRBYFLOAT h f abc", "HINCRBYFLOAT h f inf", "HINCRBYFLOAT h n 2.5", "HMGET h s f big n", "HSET h e 1e5",
                "HINCRBYFLOAT h e 1", "HSET h sp \" 1\"", "HINCRBYFLOAT h sp 1", "HINCRBY h sp 1");
    }

    @Test
    void encodingConvertsWhenBigAndStays() throws Exception {
        diff.same("HSET h a 1 b 2 c 3", "OBJECT ENCODING h", "HSET h d 4", "OBJECT ENCODING h", "HSET h e 5",
                "OBJECT ENCODING h", "HDEL h a b c d", "OBJECT ENCODING h", "HGETALL h", "HSET g a 123456789",
                "OBJECT ENCODING g", "HSET k 123456789 a", "OBJECT ENCODING k", "HGET k 123456789");
    }

    @Test
    void randomFieldsAndScan() throws Exception {
        diff.same("HSET h a 1 b 2 c 3", "HRANDFIELD h 3", "HRANDFIELD h 5 WITHVALUES", "HRANDFIELD h 0",
                "HRANDFIELD nope", "HRANDFIELD nope 3", "HRANDFIELD h 1 WITHVALUES x", "HRANDFIELD h x",
                "HRANDFIELD h -9223372036854775808", "HSCAN h 0", "HSCAN h 0 MATCH a*", "HSCAN h x", "HSCAN h 0 COUNT 0",
                "HSCAN h 0 TYPE string", "HSCAN nope 0");
        assertThat(redis.hrandfield("h2")).isNull();
        redis.hset("h2", Map.of("a", "1", "b", "2"));
        assertThat(redis.hrandfield("h2", -5)).hasSize(5).allMatch(f -> f.equals("a") || f.equals("b"));
        assertThat(redis.hrandfield("h2", 1)).hasSize(1);
    }

    @Test
    void bigHashInMemberLayout() {
        Map<String, String> all = new HashMap<>();
        for (int i = 0; i < 2000; i++) {
            all.put("field:" + i, "value:" + i);
        }
        redis.hset("big", all);
        assertThat(redis.hlen("big")).isEqualTo(2000);
        assertThat(redis.objectEncoding("big")).isEqualTo("hashtable");
        assertThat(redis.hgetall("big")).isEqualTo(all);
        assertThat(redis.hget("big", "field:1234")).isEqualTo("value:1234");
        Map<String, String> scanned = new HashMap<>();
        io.lettuce.core.ScanCursor cursor = io.lettuce.core.ScanCursor.INITIAL;
        do {
            io.lettuce.core.MapScanCursor<String, String> page = redis.hscan("big", cursor, io.lettuce.core.ScanArgs.Builder.limit(100));
            scanned.putAll(page.getMap());
            cursor = page;
        } while (!cursor.isFinished());
        assertThat(scanned).isEqualTo(all);
        assertThat(redis.hdel("big", "field:1", "field:2", "nope")).isEqualTo(2);
        assertThat(redis.hlen("big")).isEqualTo(1998);
        assertThat(redis.hrandfield("big", 10)).hasSize(10).doesNotHaveDuplicates();
        assertThat(redis.del("big")).isEqualTo(1);
        assertThat(redis.hlen("big")).isZero();
        redis.hset("big", "x", "y");
        assertThat(redis.hgetall("big")).isEqualTo(Map.of("x", "y"));
    }
}
