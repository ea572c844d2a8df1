package io.basalt.server.storage.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import io.basalt.server.storage.engine.RocksEngine;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * DEL of a 1,000,000-field hash is O(1) on the request path (only metadata changes) and the
 * collector reclaims the members' disk space afterwards.
 */
class LargeKeyDeleteTest {
    static final int FIELDS = 1_000_000;

    @Test
    void deletingAMillionFieldHashIsImmediateAndSpaceComesBackLater() throws Exception {
        try (TestServer server = new TestServer(Map.of("appendfsync", "no"))) {
            RocksEngine engine = server.server().node().store().engine();
            try (StatefulRedisConnection<String, String> conn = server.lettuceClient().connect()) {
                RedisAsyncCommands<String, String> async = conn.async();
                List<RedisFuture<Long>> pending = new ArrayList<>();
                for (int base = 0; base < FIELDS; base += 1000) {
                    Map<String, String> chunk = new HashMap<>();
                    for (int i = base; i < base + 1000; i++) {
                        chunk.put("field:" + i, "value-" + i + "-0123456789abcdef");
                    }
                    pending.add(async.hset("big", chunk));
                    if (pending.size() == 64) {
                        for (RedisFuture<Long> f : pending) {
                            f.get(60, TimeUnit.SECONDS);
                        }
                        pending.clear();
                    }
                }
                for (RedisFuture<Long> f : pending) {
                    f.get(60, TimeUnit.SECONDS);
                }
            }
            var redis = server.lettuce();
            assertThat(redis.hlen("big")).isEqualTo(FIELDS);
            assertThat(redis.hget("big", "field:777777")).isEqualTo("value-777777-0123456789abcdef");
            engine.flush();
            long before = engine.longProperty(Cf.DATA, "rocksdb.total-sst-files-size");
            assertThat(before).isGreaterThan(2_000_000L);

            long t0 = System.nanoTime();
            assertThat(redis.del("big")).isEqualTo(1);
            long delMicros = (System.nanoTime() - t0) / 1000;
            System.out.printf("DEL of a %d-field hash: %d us; DATA before: %d bytes%n", FIELDS, delMicros, before);
            assertThat(delMicros).isLessThan(500_000); // one metadata write; loading the members took seconds
            assertThat(redis.exists("big")).isZero();
            assertThat(redis.hlen("big")).isZero();
            redis.hset("big", "fresh", "1"); // a new version does not see the old members
            assertThat(redis.hgetall("big")).isEqualTo(Map.of("fresh", "1"));

            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() -> garbageEmpty(engine));
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> {
                engine.flush();
                return engine.longProperty(Cf.DATA, "rocksdb.total-sst-files-size") < before / 10;
            });
            long after = engine.longProperty(Cf.DATA, "rocksdb.total-sst-files-size");
            System.out.printf("DATA after collection: %d bytes (%.1f%% of before)%n", after, 100.0 * after / before);
            assertThat(redis.hgetall("big")).isEqualTo(Map.of("fresh", "1"));
        }
    }

    @Test
    void smallMemberLayoutValuesAreCollectedEntryByEntry() throws Exception {
        try (TestServer server = new TestServer(Map.of("hash-max-listpack-entries", "4", "zset-max-listpack-entries", "4"))) {
            RocksEngine engine = server.server().node().store().engine();
            var redis = server.lettuce();
            for (int k = 0; k < 20; k++) {
                Map<String, String> fields = new HashMap<>();
                for (int i = 0; i < 100; i++) {
                    fields.put("f" + i, "v" + i);
                }
                redis.hset("h" + k, fields);
                redis.zadd("z" + k, 1.0, "a", 2.0, "b", 3.0, "c", 4.0, "d", 5.0, "e");
            }
            assertThat(empty(engine, Cf.DATA)).isFalse();
            redis.flushall(); // range deletes everything at once
            for (int k = 0; k < 20; k++) {
                redis.hset("h" + k, Map.of("a", "1", "b", "2", "c", "3", "d", "4", "e", "5"));
                redis.zadd("z" + k, 1.0, "a", 2.0, "b", 3.0, "c", 4.0, "d", 5.0, "e");
            }
            for (int k = 0; k < 20; k++) {
                redis.del("h" + k);
                redis.zadd("z" + k, 1.0, "a"); // overwrite below: DEL then re-create packed
                redis.del("z" + k);
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> garbageEmpty(engine) && empty(engine, Cf.DATA) && empty(engine, Cf.SCORE));
            assertThat(redis.dbsize()).isZero();
        }
    }

    private static boolean empty(RocksEngine engine, Cf cf) {
        try (KvCursor c = engine.reader().cursor(cf, null, null)) {
            c.seekToFirst();
            return !c.valid();
        }
    }

    private static boolean garbageEmpty(RocksEngine engine) {
        try (KvCursor c = engine.reader().cursor(Cf.GARBAGE, null, null)) {
            c.seekToFirst();
            return !c.valid();
        }
    }
}
