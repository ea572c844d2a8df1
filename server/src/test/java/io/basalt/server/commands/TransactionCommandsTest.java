package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.TransactionResult;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.Transaction;

/** MULTI/EXEC/DISCARD/WATCH against a real Redis, and WATCH races between real clients. */
class TransactionCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;

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
        server.flush();
    }

    @Test
    void queuedRepliesAndRuntimeErrorsMatchRedis() throws Exception {
        diff.same("MULTI", "SET a 1", "INCR a", "LPUSH a x", "GET a", "HSET h f v", "HGETALL h", "PING", "ECHO hi",
                "EXEC", "GET a", "TYPE h");
        // reads inside see the writes before them; an empty transaction; nested MULTI is refused
        diff.same("MULTI", "MULTI", "EXEC", "MULTI", "RPUSH l a b c", "LRANGE l 0 -1", "LPOP l", "LLEN l", "DEL l",
                "EXISTS l", "EXEC");
        // syntax errors found when running are runtime errors: the others still apply
        diff.same("MULTI", "SET k v", "SET k v EX notanumber", "ZADD z NX XX 1 m", "SET k2 v2", "EXEC", "MGET k k2",
                "EXISTS z");
    }

    @Test
    void errorsWhileQueuingAbortTheTransaction() throws Exception {
        diff.same("EXEC", "DISCARD", "MULTI", "SET a 1", "NOSUCHCOMMAND x", "GET", "EXEC", "EXISTS a");
        diff.same("MULTI", "SET a 1", "WATCH a", "MONITOR", "EXEC", "EXISTS a");
        diff.same("MULTI", "SET a 1", "DISCARD", "EXISTS a", "EXEC", "DISCARD");
    }

    @Test
    void blockingCommandsDoNotBlockInsideMulti() throws Exception {
        diff.same("MULTI", "BLPOP nolist 0", "BRPOPLPUSH nolist dst 0", "BLMOVE nolist dst LEFT RIGHT 0",
                "BZPOPMIN nozset 0", "BLMPOP 0 1 nolist LEFT", "RPUSH l v", "BLPOP l 0", "XREAD BLOCK 0 STREAMS nostream $",
                "XADD st 1-1 f v", "XREAD BLOCK 0 STREAMS st 0", "EXEC");
    }

    @Test
    void watchAbortsWhenAWatchedKeyChangesAndOnlyThen() throws Exception {
        RespConnection other = new RespConnection(server.port());
        RespConnection otherRedis = new RespConnection(diff.redisPort());
        diff.same("SET w 1", "WATCH w", "GET w");
        other.call("SET w 2");
        otherRedis.call("SET w 2");
        diff.same("MULTI", "SET w 3", "EXEC", "GET w");
        // unchanged (even with a write of another key, or a failed write of the same key): it runs
        diff.same("SET w 1", "WATCH w nokey");
        other.call("SET other 1");
        otherRedis.call("SET other 1");
        other.call("LPUSH w x");
        otherRedis.call("LPUSH w x");
        diff.same("MULTI", "INCR w", "EXEC");
        // a write of the same value counts as a change; UNWATCH and DISCARD forget the watches
        diff.same("SET w 1", "WATCH w");
        other.call("SET w 1");
        otherRedis.call("SET w 1");
        diff.same("MULTI", "INCR w", "EXEC", "WATCH w", "UNWATCH");
        other.call("SET w 5");
        otherRedis.call("SET w 5");
        diff.same("MULTI", "INCR w", "EXEC", "WATCH w", "MULTI", "DISCARD");
        other.call("SET w 7");
        otherRedis.call("SET w 7");
        diff.same("MULTI", "INCR w", "EXEC");
        // a watched key that did not exist and got created; FLUSHALL of a watched existing key
        diff.same("WATCH fresh");
        other.call("SET fresh 1");
        otherRedis.call("SET fresh 1");
        diff.same("MULTI", "GET fresh", "EXEC");
        other.close();
        otherRedis.close();
    }

    @Test
    void watchedKeyThatExpiresAbortsExec() throws Exception {
        diff.same("SET e 1 PX 100", "WATCH e");
        Thread.sleep(250);
        diff.same("MULTI", "SET x 1", "EXEC", "EXISTS x");
    }

    /** Redis's classic optimistic-locking loop: many clients increment one counter with WATCH. */
    @Test
    void watchRaceBetweenClientsLosesNoIncrement() throws Exception {
        int clients = 4;
        int perClient = 50;
        server.lettuce().set("counter", "0");
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        AtomicInteger aborted = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            done.add(pool.submit(() -> {
                try (StatefulRedisConnection<String, String> conn = server.lettuceClient().connect()) {
                    RedisCommands<String, String> r = conn.sync();
                    for (int i = 0; i < perClient; i++) {
                        while (true) {
                            r.watch("counter");
                            long v = Long.parseLong(r.get("counter"));
                            r.multi();
                            r.set("counter", Long.toString(v + 1));
                            TransactionResult res = r.exec();
                            if (!res.wasDiscarded()) {
                                break;
                            }
                            aborted.incrementAndGet();
                        }
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        pool.shutdown();
        assertThat(server.lettuce().get("counter")).isEqualTo(Integer.toString(clients * perClient));
        assertThat(aborted.get()).as("concurrent clients must have collided at least once").isPositive();
    }

    @Test
    void clientListShowsATransactionInProgress() throws Exception {
        try (RespConnection tx = new RespConnection(server.port()); RespConnection other = new RespConnection(server.port())) {
            tx.call("MULTI");
            tx.call("SET a 1");
            tx.call("SET b 2");
            assertThat(other.call("CLIENT LIST")).contains("flags=x db=0 sub=0 psub=0 ssub=0 multi=2");
            tx.call("DISCARD");
            assertThat(other.call("CLIENT LIST")).doesNotContain("flags=x");
        }
    }

    @Test
    void jedisTransactionWithPipelinedReplies() {
        try (Jedis j = server.jedis()) {
            Transaction t = j.multi();
            t.set("a", "1");
            t.incrBy("a", 41);
            t.rpush("l", "x", "y");
            t.lrange("l", 0, -1);
            List<Object> res = t.exec();
            assertThat(res).hasSize(4);
            assertThat(res.get(1)).isEqualTo(42L);
            assertThat(j.get("a")).isEqualTo("42");
        }
    }

    @Test
    void resp3RepliesInsideExec() throws Exception {
        diff.both("HELLO 3");
        diff.same("HSET h a 1", "MULTI", "HGETALL h", "ZADD z 1.5 m", "ZSCORE z m", "EXEC");
        diff.both("HELLO 2");
    }
}
