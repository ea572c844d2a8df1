package io.basalt.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.commands.Families;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.EngineOptions;
import io.basalt.server.storage.engine.KvCursor;
import io.basalt.server.storage.types.Store;
import io.basalt.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The write path's contract: applying the same proposals (command, fixed time, fixed seed) to two
 * fresh stores yields the same replies and byte-identical storage — the property Raft replicas
 * rely on. Also: a command that fails leaves no trace, and the key counts stay exact.
 */
class ApplierDeterminismTest {
    private Path dirA;
    private Path dirB;
    private Store a;
    private Store b;

    @BeforeEach
    void open() throws Exception {
        dirA = Files.createTempDirectory("basalt-det-a");
        dirB = Files.createTempDirectory("basalt-det-b");
        EngineOptions eo = new EngineOptions(8 << 20, 4 << 20, 4096, true);
        a = new Store(dirA, eo);
        b = new Store(dirB, eo);
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
        TestServer.deleteDir(dirA);
        TestServer.deleteDir(dirB);
    }

    private static Proposal p(long now, String... args) {
        List<byte[]> argv = new ArrayList<>();
        for (String s : args) {
            argv.add(s.getBytes(StandardCharsets.UTF_8));
        }
        return new Proposal(args[0].toLowerCase(), argv, now, 42);
    }

    @Test
    void sameProposalsSameBytes() {
        long t0 = 1_700_000_000_000L;
        List<Proposal> batch1 = List.of(
                p(t0, "set", "a", "1"),
                p(t0, "set", "b", "2", "EX", "100"),
                p(t0 + 1, "set", "a", "x", "NX"),
                p(t0 + 2, "set", "c", "v", "BOGUS"), // syntax error at apply: rolled back
                p(t0 + 3, "set", "d", "4", "PX", "5"));
        List<Proposal> batch2 = List.of(
                p(t0 + 10, "__expire", "d", Long.toString(t0 + 3 + 5)),
                p(t0 + 11, "set", "b", "3", "KEEPTTL"),
                p(t0 + 12, "set", "e", "5", "GET"));
        Applier ap = new Applier(a, Families.registry(), () -> 512L << 20);
        Applier bp = new Applier(b, Families.registry(), () -> 512L << 20);
        List<Reply> ra = new ArrayList<>(ap.apply(batch1, false));
        ra.addAll(ap.apply(batch2, false));
        // B gets the same proposals split into different batches: batching must not matter.
        List<Reply> rb = new ArrayList<>();
        for (Proposal p : batch1) {
            rb.addAll(bp.apply(List.of(p), false));
        }
        rb.addAll(bp.apply(batch2, true));
        assertThat(rb).isEqualTo(ra);
        assertThat(ra).containsExactly(Reply.OK, Reply.OK, Reply.NULL, Reply.error("ERR syntax error"), Reply.OK,
                Reply.integer(1), Reply.OK, Reply.NULL);
        for (Cf cf : Cf.values()) {
            assertThat(dump(b, cf)).as("column family %s", cf).isEqualTo(dump(a, cf));
        }
        // a, b, e exist; d expired and was deleted; b kept its TTL.
        assertThat(a.counts().total()).isEqualTo(3);
        assertThat(a.counts().expires()).isEqualTo(1);
        assertThat(a.reader(t0 + 20).entry(bytes("c")).exists()).isFalse();
        assertThat(a.reader(t0 + 20).entry(bytes("b")).expireAt()).isEqualTo(t0 + 100_000);
    }

    @Test
    void streamIdsAndDeliveryTimesComeFromTheProposal() {
        long t0 = 1_700_000_000_000L;
        List<Proposal> proposals = List.of(
                p(t0, "xadd", "s", "*", "f", "1"),
                p(t0, "xadd", "s", "*", "f", "2"),
                p(t0 - 5, "xadd", "s", "*", "f", "3"), // a clock behind the last ID: sequence goes on
                p(t0 + 7, "xgroup|create", "xgroup", "CREATE", "s", "g", "0"),
                p(t0 + 8, "xreadgroup", "GROUP", "g", "c", "COUNT", "2", "STREAMS", "s", ">"),
                p(t0 + 9, "xclaim", "s", "g", "d", "0", String.valueOf(t0) + "-0", "IDLE", "3"),
                p(t0 + 10, "xadd", "s", "MAXLEN", "~", "1", "*", "f", "4"));
        Applier ap = new Applier(a, Families.registry(), () -> 512L << 20);
        Applier bp = new Applier(b, Families.registry(), () -> 512L << 20);
        List<Reply> ra = ap.apply(proposals, false);
        List<Reply> rb = new ArrayList<>();
        for (Proposal p : proposals) {
            rb.addAll(bp.apply(List.of(p), false));
        }
        assertThat(rb).isEqualTo(ra);
        assertThat(ra.get(0)).isEqualTo(Reply.bulk(t0 + "-0"));
        assertThat(ra.get(1)).isEqualTo(Reply.bulk(t0 + "-1"));
        assertThat(ra.get(2)).isEqualTo(Reply.bulk(t0 + "-2"));
        assertThat(ra.get(6)).isEqualTo(Reply.bulk((t0 + 10) + "-0"));
        for (Cf cf : Cf.values()) {
            assertThat(dump(b, cf)).as("column family %s", cf).isEqualTo(dump(a, cf));
        }
    }

    @Test
    void flushInsideABatchResetsCounts() {
        long t0 = 1_700_000_000_000L;
        Applier ap = new Applier(a, Families.registry(), () -> 512L << 20);
        ap.apply(List.of(p(t0, "set", "a", "1", "EX", "10"), p(t0, "set", "b", "1"), p(t0, "flushall"),
                p(t0, "set", "c", "1")), false);
        assertThat(a.counts().total()).isEqualTo(1);
        assertThat(a.counts().expires()).isZero();
        assertThat(dump(a, Cf.EXPIRE)).isEmpty();
        a.close();
        a = new Store(dirA, new EngineOptions(8 << 20, 4 << 20, 4096, true));
        assertThat(a.counts().total()).as("counts survive a restart").isEqualTo(1);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> dump(Store s, Cf cf) {
        List<String> out = new ArrayList<>();
        try (KvCursor c = s.engine().reader().cursor(cf, null, null)) {
            for (c.seekToFirst(); c.valid(); c.next()) {
                out.add(Arrays.toString(c.key()) + "=" + Arrays.toString(c.value()));
            }
        }
        return out;
    }
}
