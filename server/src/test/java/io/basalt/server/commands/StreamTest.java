package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Streams against a real Redis 7.0 (byte-identical replies). Times that differ between the two
 * servers by nature (idle times, delivery and seen times, {@code *} IDs) are masked or compared by shape.
 */
class StreamTest {
    static DifferentialHarness diff;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of());
        server = diff.server();
    }

    @AfterAll
    static void stop() throws Exception {
        diff.close();
    }

    @Test
    void addRangeLenDelMatchRedis() throws Exception {
        diff.same("XADD s 1-1 a 1", "XADD s 1-2 b 2 c 3", "XADD s 1 a 1", "XADD s 2 a 1", "XADD s 2-* x y", "XADD s 3-* x y",
                "XADD s 0-1 a 1", "XADD s 0-0 a 1", "XADD s 0-* a 1", "XADD s 5-5 a", "XADD s 5-5", "XADD s NOMKSTREAM 6-0 a 1",
                "XADD nope NOMKSTREAM 1-1 a 1", "EXISTS nope", "XADD s bad a 1", "XADD s - a 1", "XADD s + a 1", "XADD s 1-x a 1",
                "XADD s 18446744073709551615-18446744073709551614 a 1", "XADD s 18446744073709551615-* a 1",
                "XADD s 18446744073709551615-* a 1", "XADD s * a 1", "XLEN s", "XLEN nope", "TYPE s", "OBJECT ENCODING s",
                "XRANGE s - +", "XRANGE s - + COUNT 2", "XRANGE s - + COUNT 0", "XRANGE s - + COUNT -1", "XRANGE nope - + COUNT 0",
                "XRANGE s 1 1", "XRANGE s 1-2 2", "XRANGE s (1-1 (2-1", "XRANGE s (1-2 +", "XRANGE s - (1-2", "XRANGE s ( +",
                "XRANGE s (- +", "XRANGE s (18446744073709551615-18446744073709551615 +", "XRANGE s - (0-0", "XRANGE s - + COUNT",
                "XRANGE s - + LIMIT 1", "XRANGE s x +", "XRANGE s - x", "XRANGE s 2 1", "XRANGE s 007 +", "XRANGE s \" 1\" +",
                "XRANGE s +1 +", "XREVRANGE s + -", "XREVRANGE s + - COUNT 1", "XREVRANGE s (2-1 -", "XREVRANGE s 1-2 1-1",
                "XREVRANGE s - +", "XREVRANGE s + - COUNT 0", "XDEL s 1-1 1-1 9-9", "XDEL s bad", "XDEL s 1-2 -", "XDEL nope 1-1",
                "XRANGE s - +", "XLEN s", "SET str x", "XADD str * a 1", "XLEN str", "XRANGE str - +", "XDEL str 1-1", "XTRIM str MAXLEN 1");
    }

    @Test
    void infoCountersAfterDeletesMatchRedis() throws Exception {
        diff.same("XADD s 1-1 a 1", "XADD s 1-2 b 2", "XADD s 2-0 a 3", "XDEL s 1-2", "XINFO STREAM s", "XDEL s 1-1 2-0",
                "XINFO STREAM s", "EXISTS s", "XADD s 3-0 a 1", "XTRIM s MAXLEN 0", "XINFO STREAM s", "XSETID s 1-0",
                "XSETID s 5-0 ENTRIESADDED 1 MAXDELETEDID 9-0", "XSETID s 5-0 ENTRIESADDED 10 MAXDELETEDID 4-0", "XINFO STREAM s",
                "XADD s 5-0 a 1", "XADD s 5-1 a 1", "XSETID s 5-0", "XSETID s 6-0 ENTRIESADDED 0", "XSETID s 6-0 ENTRIESADDED -1",
                "XSETID s 6-0 MAXDELETEDID 1-0", "XSETID s 6-0 BOGUS", "XSETID s x", "XSETID nope 1-1", "XSETID s 6-0 ENTRIESADDED x",
                "XINFO STREAM s", "XINFO STREAM nope", "XINFO STREAM s FULL", "XINFO STREAM s FULL COUNT 1", "XINFO STREAM s BAD",
                "XINFO STREAM s FULL COUNT x", "XINFO STREAM s FULL LIMIT 1", "XINFO GROUPS s", "XINFO HELP", "XINFO HELP x",
                "XINFO FOO s", "XGROUP HELP", "SET str x", "XINFO STREAM str", "XSETID str 1-1");
    }

    @Test
    void trimmingMatchesRedisNodeByNode() throws Exception {
        List<String> script = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            script.add("XADD s " + i + "-0 f " + i);
        }
        script.addAll(List.of("XLEN s", "XINFO STREAM s", "XTRIM s MAXLEN ~ 200", "XLEN s", "XTRIM s MAXLEN ~ 120", "XLEN s",
                "XTRIM s MAXLEN ~ 10", "XLEN s", "XTRIM s MAXLEN = 40", "XLEN s", "XRANGE s - + COUNT 2", "XTRIM s MINID 215",
                "XRANGE s - + COUNT 1", "XTRIM s MINID ~ 240", "XTRIM s MINID ~ 260", "XLEN s", "XINFO STREAM s",
                "XTRIM s MAXLEN 0", "XINFO STREAM s", "XTRIM s", "XTRIM s FOO 1", "XTRIM s MAXLEN -1", "XTRIM s MAXLEN x",
                "XTRIM s MAXLEN 1 LIMIT 10", "XTRIM s LIMIT 10", "XTRIM s MAXLEN ~ 1 LIMIT -1", "XTRIM s MINID x",
                "XTRIM s MAXLEN 1 MINID 1", "XTRIM nope MAXLEN x", "XTRIM s MINID - ", "XTRIM s MAXLEN ~"));
        diff.same(script.toArray(String[]::new));
        script.clear();
        for (int i = 1; i <= 350; i++) {
            script.add("XADD s MAXLEN ~ 150 " + i + "-0 f " + i + " g " + (i * 7));
            if (i % 50 == 0) {
                script.add("XLEN s");
                script.add("XINFO STREAM s");
            }
        }
        for (int i = 1; i <= 120; i++) {
            script.add("XADD t MAXLEN 100 LIMIT 5 " + i + "-0 f " + i);
        }
        script.addAll(List.of("XADD t MAXLEN ~ 10 LIMIT 5 * f x", "XLEN t", "XADD t MAXLEN ~ 10 LIMIT 0 200-0 f x", "XLEN t",
                "XADD t MINID ~ 150 LIMIT 100 201-0 f x", "XLEN t", "XADD t MINID 150 202-0 f x", "XLEN t"));
        diff.same(script.toArray(String[]::new));
    }

    @Test
    void nodesFollowTheByteLimitAndDeletes() throws Exception {
        List<String> script = new ArrayList<>();
        String big = "x".repeat(300);
        for (int i = 1; i <= 40; i++) {
            script.add("XADD s " + i + "-0 field" + (i % 3) + " " + big + " n " + (i * 1000));
        }
        script.addAll(List.of("XINFO STREAM s", "XDEL s 1-0 2-0 3-0", "XINFO STREAM s", "XTRIM s MAXLEN ~ 30", "XLEN s",
                "XINFO STREAM s"));
        for (int i = 1; i <= 12; i++) {
            script.add("XDEL s " + (10 + i) + "-0");
        }
        script.addAll(List.of("XINFO STREAM s", "XTRIM s MAXLEN ~ 5", "XINFO STREAM s"));
        diff.same(script.toArray(String[]::new));
    }
}
