package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sorted-set commands against a real Redis: sorted sets have a defined order, so replies compare byte for byte. */
class ZSetCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of("zset-max-listpack-entries", "4"));
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

    private static final String[] FILL = {"ZADD z 1 a 2 b 3 c 4 d 5 e 1.5 f -inf g +inf h 0 i -2.5 j"};

    @Test
    void zaddOptionsMatchRedis() throws Exception {
        diff.same("ZADD z 1 a 2 b", "ZADD z NX 5 a 3 c", "ZADD z XX 5 a 4 d", "ZADD z GT CH 1 a 9 b", "ZADD z LT CH 10 a 0 b",
                "ZRANGE z 0 -1 WITHSCORES", "ZADD z INCR 2 a", "ZADD z INCR NX 2 a", "ZADD z INCR XX 2 nope", "ZADD z NX XX 1 a",
                "ZADD z GT LT 1 a", "ZADD z NX GT 1 a", "ZADD z INCR 1 a 2 b", "ZADD z 1", "ZADD z", "ZADD z x a", "ZADD z nan a",
                "ZADD z 1 a 2", "ZADD z BAD 1 a", "ZADD z 1.5e3 big -0 neg", "ZSCORE z big", "ZSCORE z neg", "ZADD z +inf a",
                "ZADD z INCR -inf a", "ZINCRBY z 1 new", "ZINCRBY z 0.1 new", "ZINCRBY z x new", "ZINCRBY z -inf a",
                "ZADD z 0.1 p 0.2 q 3.14159 r 1e-7 s 123456789012345678 t", "ZRANGE z 0 -1 WITHSCORES", "ZCARD z", "ZCARD nope",
                "ZREM z a b nope", "ZREM z x", "ZMSCORE z p nope q", "ZMSCORE nope a", "ZSCORE nope a", "OBJECT ENCODING z");
    }

    @Test
    void rangesMatchRedis() throws Exception {
        for (String enc : new String[] {"small", "big"}) {
            List<String> script = new ArrayList<>(List.of(enc.equals("small") ? "ZADD z 1 a 2 b 3 c 3 d" : FILL[0]));
            script.addAll(List.of("OBJECT ENCODING z", "ZRANGE z 0 -1", "ZRANGE z 0 -1 WITHSCORES", "ZRANGE z 1 2", "ZRANGE z -2 -1",
                    "ZRANGE z 5 1", "ZRANGE z -100 100", "ZRANGE z 0 -1 REV WITHSCORES", "ZRANGE z (1 3 BYSCORE WITHSCORES",
                    "ZRANGE z -inf +inf BYSCORE LIMIT 1 2", "ZRANGE z +inf -inf BYSCORE REV LIMIT 0 3", "ZRANGE z 3 (1 BYSCORE REV",
                    "ZRANGE z (1 (1 BYSCORE", "ZRANGE z 1 1 BYSCORE", "ZRANGE z x 1 BYSCORE", "ZRANGE z 0 1 LIMIT 0 1",
                    "ZADD l 0 a 0 b 0 c 0 d 0 e 0 f", "ZRANGE l - + BYLEX WITHSCORES", "ZRANGE l - + BYLEX", "ZRANGE l [b (d BYLEX", "ZRANGE l + - BYLEX REV LIMIT 1 2",
                    "ZRANGE l b d BYLEX", "ZRANGE l (a [z BYLEX", "ZRANGE l [e + BYLEX REV", "ZRANGE z 0 -1 BYSCORE BYLEX", "ZREVRANGE z 0 2 WITHSCORES", "ZREVRANGE z 0 1 LIMIT 1 1",
                    "ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 2 3", "ZRANGEBYSCORE z 2 3", "ZRANGEBYSCORE z (2 (3",
                    "ZRANGEBYSCORE z 2 3 LIMIT -1 1", "ZRANGEBYSCORE z 2 3 LIMIT 0 -1", "ZREVRANGEBYSCORE z 3 1 WITHSCORES",
                    "ZREVRANGEBYSCORE z (3 -inf LIMIT 1 1", "ZRANGEBYLEX l - +", "ZRANGEBYLEX l [a [c LIMIT 1 5", "ZREVRANGEBYLEX l + -",
                    "ZREVRANGEBYLEX l (d [a", "ZRANGEBYLEX l a b", "ZCOUNT z -inf +inf", "ZCOUNT z (1 3", "ZCOUNT z x 1",
                    "ZLEXCOUNT l - +", "ZLEXCOUNT l [b [c", "ZLEXCOUNT l + -", "ZREMRANGEBYLEX l (a [c", "ZRANGE l 0 -1", "ZRANK z c", "ZREVRANK z c", "ZRANK z nope", "ZRANK nope a",
                    "ZRANGESTORE d z 0 1", "ZRANGE d 0 -1 WITHSCORES", "ZRANGESTORE d z (1 +inf BYSCORE LIMIT 0 2",
                    "ZRANGE d 0 -1 WITHSCORES", "ZRANGESTORE d z 5 1", "EXISTS d", "ZRANGESTORE d z 0 -1 WITHSCORES",
                    "ZRANGE nope 0 -1"));
            diff.both("HELLO 2");
            diff.same(script.toArray(String[]::new));
        }
    }

    @Test
    void resp3RepliesMatchRedis() throws Exception {
        diff.both("HELLO 3");
        try {
            diff.same(FILL[0], "ZSCORE z a", "ZSCORE z g", "ZMSCORE z a nope", "ZRANGE z 0 2 WITHSCORES", "ZRANGEBYSCORE z 1 2 WITHSCORES",
                    "ZINCRBY z 1 a", "ZADD z INCR 1 a", "ZPOPMIN z", "ZPOPMAX z 2", "ZMPOP 1 z MIN COUNT 2", "ZUNION 1 z WITHSCORES",
                    "ZRANDMEMBER z 0 WITHSCORES", "ZRANDMEMBER nope 2 WITHSCORES", "ZSCAN nope 0");
        } finally {
            diff.both("HELLO 2");
        }
    }

    @Test
    void removalsAndPopsMatchRedis() throws Exception {
        diff.same(FILL[0], "ZREMRANGEBYRANK z 0 1", "ZRANGE z 0 -1", "ZREMRANGEBYSCORE z (1 2", "ZRANGE z 0 -1",
                "ZADD l 0 a 0 b 0 c 0 d", "ZREMRANGEBYLEX l [a [c", "ZRANGE l 0 -1", "ZREMRANGEBYSCORE z x 1", "ZPOPMIN z", "ZPOPMAX z", "ZPOPMIN z 2",
                "ZPOPMIN z -1", "ZPOPMIN z 0", "ZPOPMIN nope", "ZPOPMAX z 100", "EXISTS z", FILL[0], "ZMPOP 1 z MIN",
                "ZMPOP 1 z MAX COUNT 3", "ZMPOP 2 nope z MIN COUNT 1", "ZMPOP 1 nope MIN", "ZMPOP 0 z MIN", "ZMPOP 1 z BAD",
                "ZMPOP 1 z MIN COUNT 0", "ZMPOP 5 z MIN", "ZREMRANGEBYRANK z 0 -1", "EXISTS z", "SET s x", "ZADD s 1 a",
                "ZRANGE s 0 -1", "ZPOPMIN s", "ZSCORE s a", "ZCARD s");
    }

    @Test
    void combinationsMatchRedis() throws Exception {
        diff.same("ZADD a 1 x 2 y 3 z", "ZADD b 10 y 20 z 30 w", "SADD s x w v", "ZUNION 2 a b WITHSCORES",
                "ZUNION 2 a b WEIGHTS 2 0.5 AGGREGATE MAX WITHSCORES", "ZINTER 2 a b WITHSCORES", "ZINTER 3 a b s AGGREGATE MIN WITHSCORES",
                "ZDIFF 2 a b WITHSCORES", "ZDIFF 1 a", "ZUNIONSTORE d 3 a b s", "ZRANGE d 0 -1 WITHSCORES",
                "ZINTERSTORE d 2 a b WEIGHTS 1 -1", "ZRANGE d 0 -1 WITHSCORES", "ZDIFFSTORE d 2 a a", "EXISTS d",
                "ZINTERCARD 2 a b", "ZINTERCARD 2 a b LIMIT 1", "ZINTERCARD 0 a", "ZUNION 0 a", "ZUNION 3 a b",
                "ZUNION 2 a b WEIGHTS 1", "ZUNION 2 a b WEIGHTS 1 x", "ZUNION 2 a b AGGREGATE AVG", "ZDIFF 2 a b WEIGHTS 1 2",
                "ZUNIONSTORE d 2 a b WITHSCORES", "SET str v", "ZUNION 2 a str", "ZADD i 1 m", "ZADD j 2 m",
                "ZUNION 2 i j WEIGHTS +inf -inf WITHSCORES", "ZINTER 2 i j WEIGHTS 0 +inf WITHSCORES");
    }

    @Test
    void bigSortedSetThroughLettuce() {
        Random rnd = new Random(7);
        List<ScoredValue<String>> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            all.add(ScoredValue.just(rnd.nextInt(1000) - 500 + rnd.nextDouble(), "m" + i));
        }
        for (int i = 0; i < all.size(); i += 500) {
            redis.zadd("big", all.subList(i, i + 500).toArray(ScoredValue[]::new));
        }
        all.sort((x, y) -> x.getScore() != y.getScore() ? Double.compare(x.getScore(), y.getScore()) : x.getValue().compareTo(y.getValue()));
        assertThat(redis.objectEncoding("big")).isEqualTo("skiplist");
        assertThat(redis.zcard("big")).isEqualTo(3000);
        assertThat(redis.zrange("big", 0, 9)).containsExactlyElementsOf(all.subList(0, 10).stream().map(ScoredValue::getValue).toList());
        assertThat(redis.zrevrange("big", 0, 0)).containsExactly(all.get(2999).getValue());
        assertThat(redis.zrank("big", all.get(1234).getValue())).isEqualTo(1234);
        assertThat(redis.zrevrank("big", all.get(1234).getValue())).isEqualTo(3000 - 1 - 1234);
        long expected = all.stream().filter(v -> v.getScore() >= -10 && v.getScore() < 10).count();
        assertThat(redis.zcount("big", Range.create(-10, 10).lt(10))).isEqualTo(expected);
        assertThat(redis.zrangebyscore("big", Range.create(0, 1000), io.lettuce.core.Limit.create(5, 3)))
                .containsExactlyElementsOf(all.stream().filter(v -> v.getScore() >= 0).skip(5).limit(3).map(ScoredValue::getValue).toList());
        assertThat(redis.zrevrangebyscore("big", Range.create(-1000, 0), io.lettuce.core.Limit.create(0, 2)))
                .containsExactlyElementsOf(all.stream().filter(v -> v.getScore() <= 0).sorted((x, y) -> -Double.compare(x.getScore(), y.getScore()))
                        .limit(2).map(ScoredValue::getValue).toList());
        assertThat(redis.zadd("big", 1e6, "m0")).isZero();
        assertThat(redis.zrevrange("big", 0, 0)).containsExactly("m0");
        assertThat(redis.zpopmax("big").getValue()).isEqualTo("m0");
        assertThat(redis.zcard("big")).isEqualTo(2999);
        List<String> scanned = new ArrayList<>();
        io.lettuce.core.ScanCursor c = io.lettuce.core.ScanCursor.INITIAL;
        do {
            io.lettuce.core.ScoredValueScanCursor<String> page = redis.zscan("big", c);
            page.getValues().forEach(v -> scanned.add(v.getValue()));
            c = page;
        } while (!c.isFinished());
        assertThat(scanned).hasSize(2999).doesNotHaveDuplicates();
        assertThat(redis.zremrangebyrank("big", 0, 1998)).isEqualTo(1999);
        assertThat(redis.zcard("big")).isEqualTo(1000);
        List<String> rest = all.stream().map(ScoredValue::getValue).filter(v -> !v.equals("m0")).toList();
        assertThat(redis.zrange("big", 0, 0)).containsExactly(rest.get(1999));
    }
}
