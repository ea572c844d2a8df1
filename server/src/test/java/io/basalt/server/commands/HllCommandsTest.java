package io.basalt.server.commands;

import io.basalt.server.testing.DifferentialHarness;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** HyperLogLog against a real Redis: replies and the stored bytes (GET) must be identical. */
class HllCommandsTest {
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
    void sparseValuesMatchRedisByteForByte() throws Exception {
        diff.same("PFADD h", "GET h", "PFADD h a b c", "GET h", "PFADD h a", "PFCOUNT h", "GET h", "PFADD h d e f g h i j k",
                "GET h", "PFCOUNT h", "PFCOUNT nope", "PFADD h2 x y z", "PFCOUNT h h2", "PFCOUNT h h2 nope", "PFMERGE m h h2",
                "GET m", "PFCOUNT m", "PFMERGE m", "GET m", "PFMERGE fresh", "GET fresh", "SET s notanhll", "PFADD s a",
                "PFCOUNT s", "PFMERGE m s", "PFCOUNT h s", "LPUSH l a", "PFADD l a", "PFCOUNT l", "SET bad HYLL",
                "PFCOUNT bad", "EXPIRE h 100", "PFADD h zz", "TTL h");
    }

    @Test
    void growingIntoDenseMatchesRedis() throws Exception {
        List<String> script = new ArrayList<>();
        for (int batch = 0; batch < 30; batch++) {
            StringBuilder sb = new StringBuilder("PFADD big");
            for (int i = 0; i < 200; i++) {
                sb.append(" el").append(batch * 200 + i);
            }
            script.add(sb.toString());
            if (batch % 5 == 0) {
                script.add("GET big");
                script.add("PFCOUNT big");
            }
        }
        script.add("GET big");
        script.add("PFCOUNT big");
        script.add("PFADD small q w e");
        script.add("PFMERGE small big");
        script.add("GET small");
        script.add("PFCOUNT small big");
        script.add("PFADD other r t y");
        script.add("PFMERGE other2 other small");
        script.add("PFCOUNT other2");
        script.add("GET other2");
        diff.same(script.toArray(String[]::new));
    }

    @Test
    void largeCardinalitiesMatchRedis() throws Exception {
        List<String> script = new ArrayList<>();
        for (int batch = 0; batch < 100; batch++) {
            StringBuilder sb = new StringBuilder("PFADD big");
            for (int i = 0; i < 1000; i++) {
                sb.append(' ').append(Integer.toHexString(batch * 7919 + i * 104729));
            }
            script.add(sb.toString());
        }
        script.add("PFCOUNT big");
        script.add("GET big");
        diff.same(script.toArray(String[]::new));
    }
}
