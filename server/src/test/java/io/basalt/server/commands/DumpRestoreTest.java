package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RestoreArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** DUMP/RESTORE payloads move between a real Redis and Basalt in both directions. */
class DumpRestoreTest {
    static DifferentialHarness diff;
    static TestServer server;
    static RedisClient redisClient;
    static StatefulRedisConnection<byte[], byte[]> toRedis;
    static StatefulRedisConnection<byte[], byte[]> toBasalt;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start();
        server = diff.server();
        if (diff.redis() != null) {
            redisClient = RedisClient.create("redis://127.0.0.1:" + diff.redisPort());
            toRedis = redisClient.connect(ByteArrayCodec.INSTANCE);
        }
        toBasalt = server.lettuceClient().connect(ByteArrayCodec.INSTANCE);
    }

    @AfterAll
    static void stop() throws Exception {
        toBasalt.close();
        if (toRedis != null) {
            toRedis.close();
            redisClient.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        diff.close();
    }

    @BeforeEach
    void need() {
        diff.require();
        server.flush();
        toRedis.sync().flushall();
    }

    static List<byte[]> values() {
        List<byte[]> v = new ArrayList<>();
        for (String s : new String[] {"", "hello", "12", "-1", "127", "128", "-129", "32767", "32768", "2147483647",
            "2147483648", "12345678901", "-9223372036854775808", "007", "1.5", "a".repeat(21), "a".repeat(100),
            "abcabcabcabcabcabcabcabcabcabcabc", "x".repeat(70_000)}) {
            v.add(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        Random r = new Random(3);
        for (int n : new int[] {21, 100, 5000}) {
            byte[] b = new byte[n];
            r.nextBytes(b);
            v.add(b);
        }
        byte[] text = new byte[20_000];
        for (int i = 0; i < text.length; i++) {
            text[i] = (byte) ("the quick brown fox jumps over the lazy dog ".charAt(r.nextInt(44)));
        }
        v.add(text);
        return v;
    }

    @Test
    void dumpIsByteIdenticalAndRestoresBothWays() {
        RedisCommands<byte[], byte[]> redis = toRedis.sync();
        RedisCommands<byte[], byte[]> basalt = toBasalt.sync();
        byte[] k = "k".getBytes();
        byte[] k2 = "k2".getBytes();
        for (byte[] v : values()) {
            redis.set(k, v);
            basalt.set(k, v);
            byte[] fromRedis = redis.dump(k);
            byte[] fromBasalt = basalt.dump(k);
            assertThat(fromBasalt).as("DUMP of %d bytes", v.length).isEqualTo(fromRedis);
            basalt.restore(k2, 0, fromRedis);
            assertThat(basalt.get(k2)).isEqualTo(v);
            redis.restore(k2, 0, fromBasalt);
            assertThat(redis.get(k2)).isEqualTo(v);
            basalt.del(k2);
            redis.del(k2);
        }
    }

    @Test
    void restoreOptionsAndErrorsMatchRedis() throws Exception {
        RedisCommands<byte[], byte[]> basalt = toBasalt.sync();
        basalt.set("src".getBytes(), "value".getBytes());
        byte[] payload = basalt.dump("src".getBytes());
        String hex = "\"" + toEscaped(payload) + "\"";
        byte[] corrupt = payload.clone();
        corrupt[1] ^= 1;
        diff.same("SET exists 1", "RESTORE exists 0 " + hex, "RESTORE exists 0 " + hex + " REPLACE", "GET exists",
                "RESTORE t -1 " + hex, "RESTORE t 0 \"" + toEscaped(corrupt) + "\"", "RESTORE t 0 junk",
                "RESTORE t 0 " + hex + " BOGUS", "RESTORE t 0 " + hex + " IDLETIME -1", "RESTORE t 0 " + hex + " FREQ 300",
                "RESTORE t 0 " + hex + " IDLETIME 10 FREQ 5", "RESTORE t 100000 " + hex, "PTTL nope", "RESTORE gone 1 " + hex + " ABSTTL",
                "EXISTS gone", "RESTORE abs 99999999999999 " + hex + " ABSTTL", "PEXPIRETIME abs", "DUMP nope",
                "RESTORE exists 1 " + hex + " ABSTTL REPLACE", "EXISTS exists");
        // an unsupported type byte inside a valid envelope
        byte[] alien = RdbTestPayloads.withType(payload, 21);
        diff.same("RESTORE x 0 \"" + toEscaped(alien) + "\"");
        RedisCommands<byte[], byte[]> b = basalt;
        b.restore("ttl".getBytes(), 5000, payload);
        assertThat(b.pttl("ttl".getBytes())).isBetween(1L, 5000L);
        b.restore("ttl".getBytes(), payload, RestoreArgs.Builder.ttl(0).replace());
        assertThat(b.pttl("ttl".getBytes())).isEqualTo(-1);
    }

    static String toEscaped(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("\\x%02x", x & 0xFF));
        }
        return sb.toString();
    }

    /** Payload surgery for negative tests. */
    static final class RdbTestPayloads {
        static byte[] withType(byte[] payload, int type) {
            byte[] p = payload.clone();
            p[0] = (byte) type;
            long crc = io.basalt.server.rdb.Crc64.of(p, 0, p.length - 8);
            for (int i = 0; i < 8; i++) {
                p[p.length - 8 + i] = (byte) (crc >>> (8 * i));
            }
            return p;
        }
    }
}
