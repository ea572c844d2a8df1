package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Generic key commands and expiry, against a real Redis where replies are deterministic. */
class KeyCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

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
        redis = server.lettuce();
        server.flush();
    }

    private static DifferentialHarness diff() {
        return diff.require();
    }

    @Test
    void existenceTypeDeleteMatchRedis() throws Exception {
        diff().same("MSET a 1 b 2 c 3", "EXISTS a b nope a", "TYPE a", "TYPE nope", "DEL a nope a", "UNLINK b c", "EXISTS a b c",
                "TOUCH a b", "SET x 1", "TOUCH x x", "DEL", "EXISTS");
    }

    @Test
    void renameAndCopyMatchRedis() throws Exception {
        diff().same("SET a 1", "RENAME a b", "GET b", "RENAME a c", "RENAME b b", "RENAMENX b b", "SET c 3", "RENAMENX b c",
                "RENAMENX b d", "GET d", "EXISTS b", "SET e 1 EX 100", "RENAME e f", "TTL f", "COPY d g", "GET g", "COPY d g",
                "COPY d g REPLACE", "COPY d d", "COPY nope g", "COPY d g DB 1", "COPY d g DB 0 REPLACE", "COPY d g BOGUS",
                "COPY f h", "TTL h", "RENAMENX nope x");
    }

    @Test
    void expiryCommandsMatchRedis() throws Exception {
        diff().same("SET k v", "TTL k", "PTTL k", "EXPIRETIME k", "TTL nope", "PTTL nope", "EXPIRETIME nope",
                "EXPIRE k 100", "TTL k", "EXPIRE k 100 NX", "EXPIRE k 200 XX", "TTL k", "EXPIRE k 50 GT", "EXPIRE k 500 GT",
                "TTL k", "EXPIRE k 600 LT", "EXPIRE k 60 LT", "TTL k", "PERSIST k", "PERSIST k", "TTL k", "EXPIRE k 10 GT",
                "EXPIRE k 10 LT", "TTL k", "EXPIRE k 10 XX", "EXPIRE k 10 NX XX", "EXPIRE k 10 GT LT", "EXPIRE k 10 FOO",
                "EXPIRE k abc", "EXPIRE k 9223372036854775807", "PEXPIRE k 9223372036854775807", "EXPIREAT k 4102444800",
                "EXPIRETIME k", "PEXPIRETIME k", "PEXPIREAT k 4102444800123", "PEXPIRETIME k", "EXPIRETIME k",
                "EXPIRE nope 10", "PERSIST nope", "EXPIRE k 0", "EXISTS k", "SET k v", "EXPIRE k -10", "GET k",
                "SET k v", "EXPIREAT k 1", "EXISTS k", "SET k v", "PEXPIRE k 100000", "PEXPIRE k 100000 NX");
    }

    @Test
    void keysAndObjectMatchRedis() throws Exception {
        diff().same("MSET hello 1 hallo 2 hxllo 3 heeello 4 world 5 h*llo 6", "OBJECT ENCODING hello", "SET big 12345678901234567890",
                "OBJECT ENCODING big", "SET s abcdefghijabcdefghijabcdefghijabcdefghijabcd", "OBJECT ENCODING s",
                "SET s abcdefghijabcdefghijabcdefghijabcdefghijabcde", "OBJECT ENCODING s", "SET n -12", "OBJECT ENCODING n",
                "OBJECT ENCODING nope", "OBJECT FREQ hello", "OBJECT FREQ nope", "OBJECT REFCOUNT nope", "OBJECT FOO hello",
                "OBJECT", "KEYS world", "KEYS nope", "SCAN abc", "SCAN 0 COUNT 0", "SCAN 0 MATCH", "SCAN 0 BOGUS x");
        // KEYS order differs between a hash table and an ordered store: compare as sets.
        for (String p : new String[] {"h?llo", "h*llo", "h[ae]llo", "h[^e]llo", "h[a-b]llo", "h\\*llo", "*"}) {
            assertThat(sorted(diff.basalt().call("KEYS " + p))).as(p).isEqualTo(sorted(diff.redis().call("KEYS " + p)));
        }
    }

    private static List<String> sorted(String raw) {
        return java.util.Arrays.stream(raw.split("\r\n")).skip(1).sorted().toList();
    }

    @Test
    void scanVisitsEveryKeyPresentThroughoutWhileKeysAreAdded() {
        for (int i = 0; i < 2000; i++) {
            redis.set("key:" + i, "v");
        }
        Set<String> seen = new HashSet<>();
        ScanCursor cursor = ScanCursor.INITIAL;
        int calls = 0;
        int extra = 0;
        do {
            KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.limit(7));
            seen.addAll(page.getKeys());
            assertThat(page.getKeys().size()).isLessThanOrEqualTo(7);
            cursor = page;
            calls++;
            redis.set("new:" + extra++, "v"); // concurrent inserts must not make SCAN skip old keys
        } while (!cursor.isFinished());
        for (int i = 0; i < 2000; i++) {
            assertThat(seen).contains("key:" + i);
        }
        assertThat(calls).isGreaterThan(2000 / 7);
    }

    @Test
    void scanMatchTypeAndUnknownCursor() {
        redis.mset(java.util.Map.of("user:1", "a", "user:2", "b", "item:1", "c"));
        Set<String> users = new HashSet<>();
        ScanCursor c = ScanCursor.INITIAL;
        do {
            KeyScanCursor<String> page = redis.scan(c, ScanArgs.Builder.matches("user:*").limit(100));
            users.addAll(page.getKeys());
            c = page;
        } while (!c.isFinished());
        assertThat(users).containsExactlyInAnyOrder("user:1", "user:2");
        KeyScanCursor<String> strings = redis.scan(ScanCursor.INITIAL, io.lettuce.core.KeyScanArgs.Builder.type("string").limit(100));
        assertThat(strings.getKeys()).hasSize(3);
        assertThat(redis.scan(ScanCursor.INITIAL, io.lettuce.core.KeyScanArgs.Builder.type("hash").limit(100)).getKeys()).isEmpty();
        // A cursor this server never issued resumes at the start of its slot instead of failing.
        KeyScanCursor<String> resumed = redis.scan(ScanCursor.of(Long.toString((5L << 40) | 12345)), ScanArgs.Builder.limit(1000));
        assertThat(resumed.isFinished()).isTrue();
    }

    @Test
    void randomKey() {
        assertThat(redis.randomkey()).isNull();
        redis.set("only", "1");
        assertThat(redis.randomkey()).isEqualTo("only");
        redis.mset(java.util.Map.of("a", "1", "b", "2", "c", "3"));
        Set<String> got = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            got.add(redis.randomkey());
        }
        assertThat(got).hasSizeGreaterThan(1).isSubsetOf(Set.of("only", "a", "b", "c"));
    }

    @Test
    void expiredKeysVanishForReadersAndAreSweptFromStorage() {
        for (int i = 0; i < 1000; i++) {
            redis.psetex("ttl:" + i, 5000, "v");
        }
        redis.set("keep", "v");
        assertThat(server.server().node().store().counts().total()).isEqualTo(1001);
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(server.server().node().store().counts().total()).isEqualTo(1);
            assertThat(server.server().node().store().counts().expires()).isZero();
        });
        assertThat(redis.get("ttl:1")).isNull();
        assertThat(redis.get("keep")).isEqualTo("v");
        assertThat(server.server().node().stats().expiredKeys.sum()).isGreaterThanOrEqualTo(1000);
    }

    @Test
    void lazyExpiryHidesKeysBeforeTheSweep() throws Exception {
        redis.set("k", "v", io.lettuce.core.SetArgs.Builder.px(30));
        Thread.sleep(40);
        assertThat(redis.get("k")).isNull();
        assertThat(redis.exists("k")).isZero();
        assertThat(redis.ttl("k")).isEqualTo(-2);
    }
}
