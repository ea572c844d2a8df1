package io.basalt.server.commands;

import io.basalt.server.testing.DifferentialHarness;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** SORT / SORT_RO against a real Redis. */
class SortCommandsTest {
    static DifferentialHarness diff;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start();
    }

    @AfterAll
    static void stop() throws Exception {
        diff.close();
    }

    @Test
    void sortMatchesRedis() throws Exception {
        diff.same("RPUSH l 3 1 2 10 -5 2.5", "SORT l", "SORT l DESC", "SORT l LIMIT 1 3", "SORT l LIMIT -1 2", "SORT l LIMIT 2 -1",
                "SORT l ALPHA", "SORT l ALPHA DESC LIMIT 0 2", "SORT_RO l", "RPUSH bad 1 x", "SORT bad", "SORT bad ALPHA",
                "MSET w_3 30 w_1 10 w_2 20 w_10 0 w_-5 5", "SORT l BY w_*", "SORT l BY w_* DESC", "SORT l BY nosort",
                "SORT l BY nosort DESC", "SORT l BY w_* GET # GET w_*", "SORT l GET nope_*", "HSET h_1 f a", "HSET h_2 f b",
                "SORT l BY h_*->f ALPHA GET h_*->f GET #", "SORT l STORE dst", "LRANGE dst 0 -1", "SORT l GET w_* STORE dst",
                "LRANGE dst 0 -1", "SORT nope STORE dst", "EXISTS dst", "SADD s c a b", "SORT s ALPHA",
                "SORT s BY nosort STORE d2", "LRANGE d2 0 -1", "ZADD z 3 x 1 y 2 w", "SORT z ALPHA", "SORT z BY nosort",
                "SORT z BY nosort DESC LIMIT 0 2", "SORT l BAD", "SORT_RO l STORE x", "SET str v", "SORT str", "SORT l LIMIT 1",
                "RPUSH eq 1 1 1", "SORT eq", "SORT l BY w_* LIMIT 0 2");
    }
}
