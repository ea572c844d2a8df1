package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LMoveArgs;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** List commands against a real Redis, and blocking pops with several Lettuce clients. */
class ListCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of("list-max-listpack-size", "4"));
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
        for (String fill : new String[] {"RPUSH l a b c", "RPUSH l a b c d e f g h i j k"}) {
            diff.same(fill, "LPUSH l x y", "RPUSH l z", "LLEN l", "LRANGE l 0 -1", "LRANGE l 1 3", "LRANGE l -3 -1", "LRANGE l 5 1",
                    "LRANGE l -100 100", "LINDEX l 0", "LINDEX l -1", "LINDEX l 100", "LINDEX l x", "LSET l 1 Y", "LSET l -1 Z",
                    "LSET l 100 q", "LSET nope 0 q", "LRANGE l 0 -1", "LPUSHX nope a", "RPUSHX nope a", "LPUSHX l p", "RPUSHX l q",
                    "LPOP l", "RPOP l", "LPOP l 2", "RPOP l 0", "LPOP nope", "LPOP nope 2", "LPOP l -1", "LPOP l 1 2",
                    "LINSERT l BEFORE b B", "LINSERT l AFTER c C", "LINSERT l AFTER nope C", "LINSERT nope AFTER a C",
                    "LINSERT l MIDDLE a b", "LRANGE l 0 -1", "OBJECT ENCODING l", "LLEN nope", "LRANGE nope 0 -1");
        }
    }

    @Test
    void editsMatchRedis() throws Exception {
        diff.same("RPUSH l a b a c a d a", "LREM l 2 a", "LRANGE l 0 -1", "LREM l -1 a", "LRANGE l 0 -1", "LREM l 0 a",
                "LRANGE l 0 -1", "LREM l 0 zz", "LREM l x a", "RPUSH m 1 2 3 4 5 6 7 8 9", "LTRIM m 1 -2", "LRANGE m 0 -1",
                "LTRIM m 2 100", "LRANGE m 0 -1", "LTRIM m 5 1", "EXISTS m", "LTRIM nope 0 1", "RPUSH p a b c a b c a",
                "LPOS p a", "LPOS p a RANK 2", "LPOS p a RANK -1", "LPOS p a COUNT 0", "LPOS p a COUNT 2 RANK -1",
                "LPOS p a MAXLEN 3 COUNT 0", "LPOS p zz", "LPOS p zz COUNT 1", "LPOS p a RANK 0", "LPOS p a COUNT -1",
                "LPOS p a MAXLEN -1", "LPOS p a BAD", "LPOS nope a", "LPOS nope a COUNT 2",
                "RPUSH s 1 2 3", "LMOVE s d LEFT RIGHT", "LMOVE s d RIGHT LEFT", "LRANGE s 0 -1", "LRANGE d 0 -1",
                "LMOVE s s LEFT RIGHT", "LRANGE s 0 -1", "LMOVE nope d LEFT LEFT", "LMOVE s d UP LEFT", "RPOPLPUSH s d",
                "RPOPLPUSH s d", "EXISTS s", "LRANGE d 0 -1", "SET str x", "RPOPLPUSH d str", "LRANGE d 0 -1",
                "LPUSH str a", "LLEN str", "LMPOP 2 nope d LEFT", "LMPOP 1 d RIGHT COUNT 5", "LMPOP 1 d LEFT",
                "LMPOP 0 d LEFT", "LMPOP 1 d MIDDLE", "LMPOP 1 d LEFT COUNT 0", "LMPOP 3 d LEFT",
                "BLPOP nope 0.01", "BLPOP str 0", "BLPOP l -1", "BLPOP l x", "RPUSH q 1 2", "BLPOP nope q 0", "BRPOP q 0",
                "RPUSH q 1 2", "BLMOVE q d RIGHT LEFT 0", "BRPOPLPUSH q d 0", "BRPOPLPUSH q d 0.01", "BLMPOP 0.01 1 q LEFT",
                "RPUSH q 1", "BLMPOP 0 2 nope q RIGHT COUNT 3", "ZADD z 1 a 2 b", "BZPOPMIN z 0", "BZPOPMAX z 0",
                "BZPOPMIN z 0.01", "ZADD z 1 a 2 b", "BZMPOP 0 1 z MAX COUNT 5", "BZMPOP 0.01 1 z MIN");
    }

    @Test
    void bigListsThroughLettuce() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            redis.rpush("l", "r" + i);
            expected.add("r" + i);
            redis.lpush("l", "l" + i);
            expected.add(0, "l" + i);
        }
        assertThat(redis.llen("l")).isEqualTo(1000);
        assertThat(redis.lrange("l", 0, -1)).isEqualTo(expected);
        assertThat(redis.lindex("l", 500)).isEqualTo(expected.get(500));
        assertThat(redis.lrange("l", 10, 19)).isEqualTo(expected.subList(10, 20));
        redis.lset("l", 700, "X");
        expected.set(700, "X");
        assertThat(redis.linsert("l", true, "X", "before-X")).isEqualTo(1001);
        expected.add(700, "before-X");
        assertThat(redis.lrem("l", 0, "r3")).isEqualTo(1);
        expected.remove("r3");
        redis.ltrim("l", 100, -100);
        expected = new ArrayList<>(expected.subList(100, expected.size() - 99));
        assertThat(redis.lrange("l", 0, -1)).isEqualTo(expected);
        assertThat(redis.lpop("l", 3)).isEqualTo(expected.subList(0, 3));
        assertThat(redis.rpop("l")).isEqualTo(expected.get(expected.size() - 1));
        assertThat(redis.llen("l")).isEqualTo(expected.size() - 4);
    }

    @Test
    void blockedClientsAreWokenInArrivalOrder() throws Exception {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + server.port());
        List<StatefulRedisConnection<String, String>> conns = new ArrayList<>();
        try {
            List<io.lettuce.core.RedisFuture<KeyValue<String, String>>> waits = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                StatefulRedisConnection<String, String> c = client.connect();
                conns.add(c);
                waits.add(c.async().blpop(5, "q1", "q2"));
                Thread.sleep(100); // arrival order
            }
            Thread.sleep(100);
            assertThat(waits).noneMatch(java.util.concurrent.Future::isDone);
            redis.rpush("q2", "a");
            assertThat(waits.get(0).get(5, TimeUnit.SECONDS)).isEqualTo(KeyValue.just("q2", "a"));
            Thread.sleep(100);
            assertThat(waits.get(1).isDone()).isFalse();
            redis.rpush("q1", "b", "c");
            assertThat(waits.get(1).get(5, TimeUnit.SECONDS)).isEqualTo(KeyValue.just("q1", "b"));
            assertThat(waits.get(2).get(5, TimeUnit.SECONDS)).isEqualTo(KeyValue.just("q1", "c"));
            assertThat(redis.exists("q1", "q2")).isZero();

            // timeout, and a command pipelined behind a blocked one waits for it
            RedisAsyncCommands<String, String> a = conns.get(0).async();
            long t0 = System.nanoTime();
            var timedOut = a.brpop(0.3, "none");
            var after = a.ping();
            assertThat(timedOut.get(5, TimeUnit.SECONDS)).isNull();
            assertThat(after.get(5, TimeUnit.SECONDS)).isEqualTo("PONG");
            assertThat(System.nanoTime() - t0).isGreaterThan(TimeUnit.MILLISECONDS.toNanos(250));

            // BLMOVE is woken by LMOVE from another list; BZPOPMIN by ZADD; a type change keeps it waiting
            var moved = conns.get(1).async().blmove("src", "dst", LMoveArgs.Builder.leftRight(), 5);
            var zpop = conns.get(2).async().bzpopmin(5, "z");
            Thread.sleep(100);
            redis.set("src", "not a list");
            redis.del("src");
            redis.rpush("other", "v");
            redis.lmove("other", "src", LMoveArgs.Builder.leftLeft());
            assertThat(moved.get(5, TimeUnit.SECONDS)).isEqualTo("v");
            assertThat(redis.lrange("dst", 0, -1)).containsExactly("v");
            redis.zadd("z", 2.5, "m");
            assertThat(zpop.get(5, TimeUnit.SECONDS).getValue().getValue()).isEqualTo("m");

            // a client that disconnects while blocked leaves no waiter behind
            StatefulRedisConnection<String, String> gone = client.connect();
            gone.async().blpop(0, "q3");
            Thread.sleep(100);
            gone.close();
            Thread.sleep(100);
            redis.rpush("q3", "kept");
            Thread.sleep(200);
            assertThat(redis.lrange("q3", 0, -1)).containsExactly("kept");
        } finally {
            conns.forEach(StatefulRedisConnection::close);
            client.shutdown();
        }
    }
}
