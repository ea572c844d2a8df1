package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.raft.Linearizability;
import io.basalt.server.raft.Linearizability.Kind;
import io.basalt.server.raft.Linearizability.Op;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A register workload (four clients, SET/GET/INCR on a few keys, each operation timed) against
 * three server processes while the leader is SIGKILLed and restarted three times; every key's
 * history must be linearizable ({@link Linearizability}; a write that failed or timed out counts
 * as possibly applied, a read that failed is left out).
 */
@Timeout(150)
class RaftLeaderKillLinearizabilityTest {
    /** Which servers (RESP ports) each completed operation went through, for the dump. */
    private final Map<Op, String> via = new java.util.concurrent.ConcurrentHashMap<>();
    private static final List<String> KEYS = List.of("r1", "r2", "r3", "r4");
    private static final int CLIENTS = 4;
    private static final int CYCLES = 3;

    private RaftProcessGroup group;

    @AfterEach
    void cleanup() throws Exception {
        if (group != null) {
            group.close();
        }
    }

    @Test
    void registerHistoryStaysLinearizableAcrossRepeatedLeaderKills() throws Exception {
        group = new RaftProcessGroup(3);
        group.startAll();
        group.leader(30_000);

        Map<String, List<Op>> histories = new ConcurrentHashMap<>();
        for (String k : KEYS) {
            histories.put(k, Collections.synchronizedList(new ArrayList<>()));
        }
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong acked = new AtomicLong(); // writes acknowledged
        AtomicLong lastAck = new AtomicLong(); // nanoTime of the latest acknowledged write
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            Thread t = new Thread(() -> workload(client, histories, stop, acked, lastAck), "client-" + c);
            clients.add(t);
            t.start();
        }
        try {
            Thread.sleep(2_000);
            assertThat(acked.get()).as("writes acknowledged before the first kill").isGreaterThan(20);
            for (int cycle = 1; cycle <= CYCLES; cycle++) {
                RaftProcessGroup.Node old = group.leader(15_000);
                long killedAt = System.nanoTime();
                old.process().kill();
                awaitAckAfter(lastAck, killedAt, "writes resume after SIGKILL of leader " + old.id() + " (cycle " + cycle + ")");
                System.out.printf("cycle %d: killed leader %s (port %d) at %d, first acknowledged write %d ms later%n", cycle,
                        old.id(), old.port(), killedAt / 1_000_000 % 100_000, (lastAck.get() - killedAt) / 1_000_000);
                Thread.sleep(1_000);
                long restartedAt = System.nanoTime();
                old.process().start();
                System.out.printf("cycle %d: %s restarted at %d%n", cycle, old.id(), restartedAt / 1_000_000 % 100_000);
                awaitRejoined(old);
                awaitAckAfter(lastAck, System.nanoTime(), "writes go on after " + old.id() + " restarted (cycle " + cycle + ")");
                System.out.printf("cycle %d: %s restarted and caught up in %d ms%n", cycle, old.id(),
                        (System.nanoTime() - restartedAt) / 1_000_000);
                Thread.sleep(1_500);
            }
        } finally {
            stop.set(true);
            for (Thread t : clients) {
                t.join(30_000);
            }
        }
        // a last read of every key through the leader closes each history
        try (RaftProcessGroup.Router r = group.new Router(5_000, 15_000)) {
            for (String k : KEYS) {
                long start = System.nanoTime();
                Object v = r.call("GET", k);
                assertThat(v).as("final GET %s", k).isNotInstanceOf(Resp.Err.class);
                histories.get(k).add(new Op(Kind.GET, (String) v, start, System.nanoTime()));
            }
        }
        long total = 0;
        for (String k : KEYS) {
            List<Op> h = histories.get(k);
            long known = h.stream().filter(Op::known).count();
            long unknown = h.size() - known;
            total += known;
            System.out.printf("key %s: %d operations, %d with unknown outcome%n", k, h.size(), unknown);
            assertThat(known).as("completed operations on %s", k).isGreaterThan(100);
            boolean ok = checkWithBigStack(h);
            if (!ok) {
                // keep the history for diagnosis: one operation per line, in start order
                java.nio.file.Path dump = java.nio.file.Path.of("target", "history-" + k + ".txt");
                java.util.List<String> lines = new java.util.ArrayList<>();
                h.stream().sorted(java.util.Comparator.comparingLong(Op::start))
                        .forEach(o -> lines.add(o.start() + " " + (o.end() == Long.MAX_VALUE ? "?" : Long.toString(o.end()))
                                + " " + o.kind() + " " + o.value() + " via " + via.getOrDefault(o, "")));
                try {
                    java.nio.file.Files.write(dump, lines);
                } catch (IOException e) {
                    // diagnosis only
                }
                System.out.println("non-linearizable history of " + k + " written to " + dump.toAbsolutePath());
            }
            assertThat(ok).as("history of %s (%d operations, %d unknown) is linearizable", k, h.size(), unknown).isTrue();
        }
        assertThat(acked.get()).as("acknowledged writes").isGreaterThan(400);
        System.out.println("operations completed: " + total + ", writes acknowledged: " + acked.get());
    }

    /** The checker recurses once per operation: run it on a thread with a large stack. */
    private static boolean checkWithBigStack(List<Op> history) throws InterruptedException {
        List<Op> copy;
        synchronized (history) {
            copy = new ArrayList<>(history);
        }
        boolean[] result = new boolean[1];
        Throwable[] failure = new Throwable[1];
        Thread t = new Thread(null, () -> {
            try {
                result[0] = Linearizability.check(copy, null);
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "checker", 1L << 30);
        t.start();
        t.join(60_000);
        if (t.isAlive()) {
            t.interrupt();
            throw new AssertionError("the linearizability check of " + copy.size() + " operations did not finish in 60 s");
        }
        if (failure[0] != null) {
            throw new AssertionError("checker failed", failure[0]);
        }
        return result[0];
    }

    private static void awaitAckAfter(AtomicLong lastAck, long since, String what) throws InterruptedException {
        long deadline = since + 20_000_000_000L;
        while (lastAck.get() <= since) {
            assertThat(System.nanoTime()).as(what + " within 20 s").isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** The restarted node knows the leader and has applied what was committed before it came back. */
    private void awaitRejoined(RaftProcessGroup.Node node) throws InterruptedException {
        RaftProcessGroup.Node leader = group.leader(20_000);
        long target = RaftProcessGroup.infoLong(RaftProcessGroup.info(leader), "raft_commit_index");
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            String info = RaftProcessGroup.info(node);
            if (info.contains("raft_leader:n") && RaftProcessGroup.infoLong(info, "raft_applied_index") >= target) {
                return;
            }
            assertThat(System.currentTimeMillis()).as("%s rejoins and applies up to %d: %s", node.id(), target, info)
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private void workload(int client, Map<String, List<Op>> histories, AtomicBoolean stop, AtomicLong acked,
            AtomicLong lastAck) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int n = 0;
        try (RaftProcessGroup.Router router = group.new Router(3_000, 2_000)) {
            while (!stop.get()) {
                String key = KEYS.get(rnd.nextInt(KEYS.size()));
                Kind kind = Kind.values()[rnd.nextInt(3)];
                String value = kind == Kind.SET ? Integer.toString(client * 1_000_000 + n++) : null;
                long start = System.nanoTime();
                Object reply;
                try {
                    reply = switch (kind) {
                        case SET -> router.call("SET", key, value);
                        case GET -> router.call("GET", key);
                        case INCR -> router.call("INCR", key);
                    };
                } catch (IOException e) {
                    reply = new Resp.Err("IO " + e);
                }
                long end = System.nanoTime();
                if (reply instanceof Resp.Err err) {
                    if (!err.is("MOVED") && !err.is("CLUSTERDOWN") && kind != Kind.GET) {
                        // lost connection, timeout, TRYAGAIN: it may or may not have been applied
                        histories.get(key).add(new Op(kind, value, start, Long.MAX_VALUE));
                    }
                    Thread.sleep(20);
                    continue;
                }
                String result = switch (kind) {
                    case SET -> {
                        if (!"OK".equals(reply)) {
                            throw new AssertionError("SET replied " + reply);
                        }
                        yield value;
                    }
                    case GET -> (String) reply;
                    case INCR -> Long.toString((Long) reply);
                };
                Op op = new Op(kind, result, start, end);
                histories.get(key).add(op);
                via.put(op, router.trace.toString().trim());
                if (kind != Kind.GET) {
                    acked.incrementAndGet();
                    lastAck.accumulateAndGet(end, Math::max);
                }
                Thread.sleep(8);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
