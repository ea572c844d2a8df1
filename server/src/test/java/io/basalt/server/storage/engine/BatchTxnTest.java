package io.basalt.server.storage.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batch overlay against a model: random puts, deletes, range deletes and rolled-back commands,
 * with reads (point and cursors, both directions) checked after every step, then commit.
 */
class BatchTxnTest {
    private Path dir;
    private RocksEngine engine;

    @BeforeEach
    void open() throws Exception {
        dir = Files.createTempDirectory("basalt-batch");
        engine = new RocksEngine(dir, new EngineOptions(8 << 20, 4 << 20, 4096, true));
    }

    @AfterEach
    void close() {
        engine.close();
        TestServer.deleteDir(dir);
    }

    private static byte[] key(int i) {
        return new byte[] {(byte) (i >> 8), (byte) i};
    }

    @Test
    void overlayMatchesModel() {
        Random rnd = new Random(7);
        TreeMap<byte[], byte[]> model = new TreeMap<>(Arrays::compareUnsigned);
        for (int round = 0; round < 30; round++) {
            try (BatchTxn txn = engine.begin()) {
                for (int cmd = 0; cmd < 20; cmd++) {
                    txn.setSavePoint();
                    TreeMap<byte[], byte[]> before = new TreeMap<>(model);
                    int ops = 1 + rnd.nextInt(4);
                    for (int o = 0; o < ops; o++) {
                        int r = rnd.nextInt(100);
                        byte[] k = key(rnd.nextInt(300));
                        if (r < 60) {
                            byte[] v = new byte[] {(byte) rnd.nextInt(), (byte) round};
                            txn.put(Cf.META, k, v);
                            model.put(k, v);
                        } else if (r < 95) {
                            txn.delete(Cf.META, k);
                            model.remove(k);
                        } else {
                            int a = rnd.nextInt(300);
                            int b = a + rnd.nextInt(40);
                            txn.deleteRange(Cf.META, key(a), key(b));
                            model.subMap(key(a), true, key(b), false).clear();
                        }
                    }
                    if (rnd.nextInt(4) == 0) {
                        txn.rollbackToSavePoint();
                        model.clear();
                        model.putAll(before);
                    } else {
                        txn.releaseSavePoint();
                    }
                    check(txn, model, rnd);
                }
                engine.commit(txn, false);
            }
            check(engine.reader(), model, rnd);
        }
    }

    private static void check(KvReader r, TreeMap<byte[], byte[]> model, Random rnd) {
        for (int i = 0; i < 300; i += 7) {
            assertThat(r.get(Cf.META, key(i))).isEqualTo(model.get(key(i)));
        }
        int a = rnd.nextInt(300);
        int b = a + rnd.nextInt(100);
        List<byte[]> expectKeys = new ArrayList<>(model.subMap(key(a), true, key(b), false).keySet());
        try (KvCursor c = r.cursor(Cf.META, key(a), key(b))) {
            List<byte[]> got = new ArrayList<>();
            for (c.seekToFirst(); c.valid(); c.next()) {
                got.add(c.key());
                assertThat(c.value()).isEqualTo(model.get(c.key()));
            }
            assertThat(got).usingElementComparator(Arrays::compareUnsigned).containsExactlyElementsOf(expectKeys);
            List<byte[]> back = new ArrayList<>();
            for (c.seekToLast(); c.valid(); c.prev()) {
                back.add(c.key());
            }
            List<byte[]> reversed = new ArrayList<>(expectKeys);
            java.util.Collections.reverse(reversed);
            assertThat(back).usingElementComparator(Arrays::compareUnsigned).containsExactlyElementsOf(reversed);
            // seek into the middle, then change direction
            int mid = a + rnd.nextInt(Math.max(1, b - a));
            Map.Entry<byte[], byte[]> ceil = model.subMap(key(a), true, key(b), false).ceilingEntry(key(mid));
            c.seek(key(mid));
            if (ceil == null) {
                assertThat(c.valid()).isFalse();
            } else {
                assertThat(c.key()).isEqualTo(ceil.getKey());
                c.prev();
                Map.Entry<byte[], byte[]> lower = model.subMap(key(a), true, key(b), false).lowerEntry(ceil.getKey());
                if (lower == null) {
                    assertThat(c.valid()).isFalse();
                } else {
                    assertThat(c.key()).isEqualTo(lower.getKey());
                    c.next();
                    assertThat(c.key()).isEqualTo(ceil.getKey());
                }
            }
        }
    }
}
