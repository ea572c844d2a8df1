package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;

/** DUMP/RESTORE of hashes, sets, sorted sets and lists, interchangeable with a real Redis 7.0. */
class CompositeDumpRestoreTest {
    static DifferentialHarness diff;
    static TestServer server;
    Jedis basalt;
    Jedis redis;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start();
        server = diff.server();
    }

    @AfterAll
    static void stop() throws Exception {
        diff.close();
    }

    @BeforeEach
    void clean() {
        diff.require();
        server.flush();
        basalt = server.jedis();
        redis = new Jedis("127.0.0.1", diff.redisPort());
        redis.flushAll();
    }

    @Test
    void packedEncodingsDumpByteForByteLikeRedis() throws Exception {
        String longValue = "x".repeat(100);
        diff.same("HSET h a 1 b -2 c 300 d -70000 e 5000000000 f " + "x".repeat(60) + " g 1.5 h \"\"", "DUMP h",
                "ZADD z 1 a 2.5 b -inf c +inf d 0 e 1e300 f 3 g -0.1 h", "DUMP z",
                "SADD s 3 1 2 -70000", "DUMP s", "SADD s2 1 2 9999999999", "DUMP s2",
                "RPUSH l a b 1 2 -5 " + longValue + " 123456789012", "DUMP l");
        StringBuilder big = new StringBuilder("ZADD big");
        for (int i = 0; i < 300; i++) {
            big.append(' ').append(i % 17).append(".25 member").append(i);
        }
        diff.same(big.toString(), "OBJECT ENCODING big", "DUMP big");
    }

    @Test
    void redisDumpsRestoreIntoBasaltAndBack() {
        Map<String, String> hash = new HashMap<>();
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            hash.put("field" + i, "value" + i);
            list.add("element-" + i + "-" + "y".repeat(i % 50));
        }
        redis.hset("h", hash);
        redis.hset("hs", Map.of("a", "1"));
        redis.rpush("l", list.toArray(String[]::new));
        redis.sadd("s", "a", "b", "c");
        redis.sadd("si", "1", "2", "3");
        for (int i = 0; i < 600; i++) {
            redis.sadd("sbig", "m" + i);
            redis.zadd("zbig", i * 1.5, "m" + i);
        }
        redis.zadd("zs", Map.of("a", 1.0, "b", 2.0));
        for (String key : new String[] {"h", "hs", "l", "s", "si", "sbig", "zbig", "zs"}) {
            byte[] dump = redis.dump(key);
            assertThat(basalt.restore(key.getBytes(), 0, dump)).isEqualTo("OK");
        }
        assertThat(basalt.hgetAll("h")).isEqualTo(hash);
        assertThat(basalt.objectEncoding("h")).isEqualTo("hashtable");
        assertThat(basalt.objectEncoding("hs")).isEqualTo("listpack");
        assertThat(basalt.lrange("l", 0, -1)).isEqualTo(list);
        assertThat(basalt.smembers("s")).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(basalt.objectEncoding("si")).isEqualTo("intset");
        assertThat(basalt.scard("sbig")).isEqualTo(600);
        assertThat(basalt.zrangeWithScores("zbig", 0, -1)).isEqualTo(redis.zrangeWithScores("zbig", 0, -1));
        assertThat(basalt.zrangeWithScores("zs", 0, -1)).isEqualTo(redis.zrangeWithScores("zs", 0, -1));

        // and back: Basalt's DUMP restores into Redis
        redis.flushAll();
        for (String key : new String[] {"h", "hs", "l", "s", "si", "sbig", "zbig", "zs"}) {
            assertThat(redis.restore(key.getBytes(), 0, basalt.dump(key))).isEqualTo("OK");
        }
        assertThat(redis.hgetAll("h")).isEqualTo(hash);
        assertThat(redis.lrange("l", 0, -1)).isEqualTo(list);
        assertThat(redis.smembers("sbig")).isEqualTo(basalt.smembers("sbig"));
        assertThat(redis.zrangeWithScores("zbig", 0, -1)).isEqualTo(basalt.zrangeWithScores("zbig", 0, -1));
        assertThat(redis.objectEncoding("si")).isEqualTo("intset");
    }

    @Test
    void restoreOptionsAndCorruptPayloadsMatchRedis() throws Exception {
        diff.same("HSET h a 1", "RESTORE h2 0 \"\\x10\\x0f\\x0f\\x00\\x00\\x00\\x02\\x00\\x81a\\x02\\x01\\x01\\xff\\n\\x00\\x8d\\x9a\\xb8\\x1b\\xca\\x1c\\xb8\\xd6\"",
                "RESTORE h 0 \"\\x10\\x0f\\x0f\\x00\\x00\\x00\\x02\\x00\\x81a\\x02\\x01\\x01\\xff\\n\\x00\\x8d\\x9a\\xb8\\x1b\\xca\\x1c\\xb8\\xd6\"",
                "RESTORE bad 0 \"\\x10\\x0f\\x0f\\x00\\x00\\x00\\x02\\x00\\x81a\\x02\\x01\\x01\\xfe\\n\\x00\\x8d\\x9a\\xb8\\x1b\\xca\\x1c\\xb8\\xd6\"",
                "EXISTS bad");
        byte[] dump = basalt.dump("nope");
        assertThat(dump).isNull();
        basalt.rpush("l", "a", "b");
        byte[] l = basalt.dump("l");
        assertThat(basalt.restore("l2".getBytes(), 100000, l)).isEqualTo("OK");
        assertThat(basalt.pttl("l2")).isBetween(90000L, 100000L);
        assertThat(basalt.lrange("l2", 0, -1)).containsExactly("a", "b");
        byte[] corrupt = l.clone();
        corrupt[3] ^= 0x40;
        try {
            basalt.restore("l3".getBytes(), 0, corrupt);
        } catch (redis.clients.jedis.exceptions.JedisDataException e) {
            assertThat(e.getMessage()).isEqualTo("ERR DUMP payload version or checksum are wrong");
        }
    }
}
