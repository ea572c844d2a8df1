package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The leader of a 3-process group loses its Raft network while its clients can still reach it.
 * Each server runs in its own network namespace with two interfaces: one on a Raft network (the
 * host in --peers) and one on a client network (RESP, bound to 0.0.0.0); each is a veth pair whose
 * other end is in a bridge in the root namespace, where this test runs. Isolating the leader is
 * {@code ip link set <its raft veth> down} (packets are dropped silently, as in a real partition).
 *
 * <p>Expected: the other two elect a leader that takes writes; the isolated one acknowledges no
 * write, steps down, and never answers a read with a value older than one the new leader had
 * already acknowledged (its reads fail instead); after healing it rejoins and converges.
 *
 * <p>Needs root and {@code ip netns} (CI runs as root): without them the test fails, it does not skip.
 */
@Timeout(120)
class RaftIsolatedLeaderTest {
    private static final int N = 3;
    private static final int RAFT_PORT = 7000;
    private static final int RESP_PORT = 6379;
    private static final String BR_RAFT = "bt-br-raft";
    private static final String BR_CLIENT = "bt-br-cli";

    private final List<ServerProcess> servers = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    private static String ns(int i) {
        return "bt-n" + i;
    }

    private static String raftVeth(int i) {
        return "bt-raft" + i;
    }

    private static String clientVeth(int i) {
        return "bt-cli" + i;
    }

    private static String raftIp(int i) {
        return "10.231.1." + i;
    }

    private static String clientIp(int i) {
        return "10.231.2." + i;
    }

    /** Runs a command; returns its output, failing the test if it fails (unless {@code mayFail}). */
    private static String sh(boolean mayFail, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int rc = p.waitFor();
        if (rc != 0 && !mayFail) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed (" + rc + "): " + out);
        }
        return out;
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        sh(false, cmd);
    }

    /** Removes whatever a previous (possibly failed) run left; deleting a namespace deletes its veths. */
    private static void teardownNetwork() throws IOException, InterruptedException {
        for (int i = 1; i <= N; i++) {
            sh(true, "ip", "netns", "del", ns(i));
            sh(true, "ip", "link", "del", raftVeth(i));
            sh(true, "ip", "link", "del", clientVeth(i));
        }
        sh(true, "ip", "link", "del", BR_RAFT);
        sh(true, "ip", "link", "del", BR_CLIENT);
    }

    @BeforeAll
    static void network() throws Exception {
        String uid = sh(true, "id", "-u").trim();
        if (!uid.equals("0")) {
            throw new IllegalStateException("RaftIsolatedLeaderTest needs root (network namespaces, veth, bridges); uid is " + uid);
        }
        try {
            sh("ip", "netns", "list");
        } catch (IOException | IllegalStateException e) {
            throw new IllegalStateException("RaftIsolatedLeaderTest needs 'ip netns' (iproute2): " + e.getMessage(), e);
        }
        teardownNetwork();
        sh("ip", "link", "add", BR_RAFT, "type", "bridge");
        sh("ip", "link", "set", BR_RAFT, "up");
        sh("ip", "link", "add", BR_CLIENT, "type", "bridge");
        sh("ip", "addr", "add", "10.231.2.254/24", "dev", BR_CLIENT); // this test reaches the client network
        sh("ip", "link", "set", BR_CLIENT, "up");
        for (int i = 1; i <= N; i++) {
            sh("ip", "netns", "add", ns(i));
            sh("ip", "netns", "exec", ns(i), "ip", "link", "set", "lo", "up");
            wire(i, raftVeth(i), "raft0", BR_RAFT, raftIp(i));
            wire(i, clientVeth(i), "cli0", BR_CLIENT, clientIp(i));
        }
    }

    private static void wire(int i, String outside, String inside, String bridge, String ip) throws Exception {
        sh("ip", "link", "add", outside, "type", "veth", "peer", "name", inside, "netns", ns(i));
        sh("ip", "link", "set", outside, "master", bridge);
        sh("ip", "link", "set", outside, "up");
        sh("ip", "netns", "exec", ns(i), "ip", "addr", "add", ip + "/24", "dev", inside);
        sh("ip", "netns", "exec", ns(i), "ip", "link", "set", inside, "up");
    }

    @AfterAll
    static void removeNetwork() throws Exception {
        teardownNetwork();
    }

    @AfterEach
    void stopServers() throws Exception {
        for (ServerProcess s : servers) {
            s.close();
        }
        for (Path d : dirs) {
            ServerProcess.deleteDir(d);
        }
        for (int i = 1; i <= N; i++) {
            sh(true, "ip", "link", "set", raftVeth(i), "up");
        }
    }

    private static String info(int i) {
        Object r = Resp.once(clientIp(i), RESP_PORT, "INFO", "replication");
        return r instanceof String s ? s : "";
    }

    /** A node other than {@code except} that says it is the leader. */
    private static int leaderExcept(int except, long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (int i = 1; i <= N; i++) {
                if (i != except && info(i).contains("role:master")) {
                    return i;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within " + timeoutMs + " ms");
    }

    /** A read sent to the isolated leader, and how it ended. */
    record Read(long start, long end, Object reply) {
        boolean answered() {
            return reply == null || reply instanceof String; // a bulk reply: a value or nil
        }
    }

    record Ack(long value, long end) {}

    @Test
    void isolatedLeaderStepsDownAndServesNoStaleRead() throws Exception {
        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= N; i++) {
            peers.append(i > 1 ? "," : "").append("n").append(i).append('=').append(raftIp(i)).append(':').append(RAFT_PORT)
                    .append(':').append(RESP_PORT);
        }
        for (int i = 1; i <= N; i++) {
            Path d = Files.createTempDirectory("basalt-it-iso");
            dirs.add(d);
            ServerProcess s = new ServerProcess(d, RESP_PORT, "netns-n" + i).under(clientIp(i), "ip", "netns", "exec", ns(i));
            s.args("--id", "n" + i, "--group", "g1", "--peers", peers.toString(), "--set", "bind=0.0.0.0",
                    "--set", "raft-election-min-ms=300", "--set", "raft-election-max-ms=600");
            servers.add(s);
        }
        for (ServerProcess s : servers) {
            s.start();
        }
        int old = leaderExcept(0, 30_000);
        assertThat(Resp.once(clientIp(old), RESP_PORT, "SET", "x", "0")).isEqualTo("OK");

        // clients of the old leader: reads of x, and writes of their own keys
        List<Read> reads = Collections.synchronizedList(new ArrayList<>());
        List<Read> oldLeaderWrites = Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        Thread reader = new Thread(() -> hammer(old, stop, reads, n -> new String[] {"GET", "x"}), "old-leader-reader");
        Thread writer = new Thread(() -> hammer(old, stop, oldLeaderWrites, n -> new String[] {"SET", "iso:" + n, "v"}),
                "old-leader-writer");
        reader.start();
        writer.start();
        Thread.sleep(500);

        sh("ip", "link", "set", raftVeth(old), "down");
        long isolatedAt = System.nanoTime(); // from here on the link is down for sure
        System.out.println("isolated the leader n" + old);

        // (a) the other two elect a leader, which takes writes
        int now = leaderExcept(old, 15_000);
        System.out.printf("new leader n%d after %d ms%n", now, (System.nanoTime() - isolatedAt) / 1_000_000);
        List<Ack> acks = new ArrayList<>();
        long stepDownAt = 0;
        try (Resp c = new Resp(clientIp(now), RESP_PORT, 5_000)) {
            long until = System.nanoTime() + 6_000_000_000L;
            for (long v = 1; System.nanoTime() < until || stepDownAt == 0; v++) {
                Object r = c.call("SET", "x", Long.toString(v));
                assertThat(r).as("SET x %d through the new leader n%d", v, now).isEqualTo("OK");
                acks.add(new Ack(v, System.nanoTime()));
                if (stepDownAt == 0 && !info(old).contains("role:master")) {
                    stepDownAt = System.nanoTime();
                    System.out.printf("old leader n%d stepped down %d ms after isolation%n", old, (stepDownAt - isolatedAt) / 1_000_000);
                }
                assertThat(System.nanoTime() - isolatedAt).as("the isolated leader steps down within 20 s").isLessThan(20_000_000_000L);
                Thread.sleep(20);
            }
        }
        stop.set(true);
        reader.join(10_000);
        writer.join(10_000);
        assertThat(acks.size()).as("writes acknowledged by the new leader").isGreaterThan(20);

        // (b) the isolated leader acknowledged no write sent after it was cut off
        List<Read> acknowledged = new ArrayList<>();
        synchronized (oldLeaderWrites) {
            for (Read w : oldLeaderWrites) {
                if (w.start() > isolatedAt && "OK".equals(w.reply())) {
                    acknowledged.add(w);
                }
            }
            System.out.println("writes to the isolated leader: " + summary(oldLeaderWrites, isolatedAt));
        }
        assertThat(acknowledged).as("writes acknowledged by the isolated leader").isEmpty();

        // (c) no stale read: a read answered by the old leader returns at least the value the new
        // leader had acknowledged before the read was sent
        long firstAck = acks.get(0).end();
        List<String> stale = new ArrayList<>();
        int afterFirstAck = 0;
        synchronized (reads) {
            for (Read r : reads) {
                if (r.start() > firstAck) {
                    afterFirstAck++;
                }
                if (!r.answered()) {
                    continue;
                }
                long seen = r.reply() == null ? -1 : Long.parseLong((String) r.reply());
                long mustSee = -1;
                for (Ack a : acks) {
                    if (a.end() < r.start()) {
                        mustSee = a.value();
                    }
                }
                if (seen < mustSee) {
                    stale.add("GET x = " + r.reply() + " at +" + (r.start() - isolatedAt) / 1_000_000 + " ms, after x=" + mustSee
                            + " was acknowledged");
                }
            }
            System.out.println("reads on the isolated leader: " + summary(reads, isolatedAt));
        }
        assertThat(afterFirstAck).as("reads sent to the old leader after the new leader's first write").isGreaterThan(2);
        assertThat(stale).as("stale reads served by the isolated leader").isEmpty();

        // heal: it rejoins as a follower and converges
        sh("ip", "link", "set", raftVeth(old), "up");
        long last = acks.get(acks.size() - 1).value();
        int leader = leaderExcept(0, 15_000);
        long commit = RaftProcessGroup.infoLong(info(leader), "raft_commit_index");
        long deadline = System.currentTimeMillis() + 20_000;
        while (RaftProcessGroup.infoLong(info(old), "raft_applied_index") < commit || !info(old).contains("raft_leader:n")) {
            assertThat(System.currentTimeMillis()).as("n%d catches up to index %d after healing: %s", old, commit, info(old))
                    .isLessThan(deadline);
            Thread.sleep(50);
        }
        Object dbsize = null;
        for (int i = 1; i <= N; i++) {
            try (Resp c = new Resp(clientIp(i), RESP_PORT, 5_000)) {
                assertThat(c.call("READONLY")).isEqualTo("OK");
                assertThat(c.call("GET", "x")).as("x on n%d after healing", i).isEqualTo(Long.toString(last));
                Object size = c.call("DBSIZE");
                if (dbsize == null) {
                    dbsize = size;
                }
                assertThat(size).as("DBSIZE on n%d", i).isEqualTo(dbsize);
            }
        }
        assertThat(Resp.once(clientIp(old), RESP_PORT, "GET", "x").toString()).as("the old leader redirects after healing")
                .startsWith("-MOVED");
    }

    private static String summary(List<Read> ops, long since) {
        int ok = 0;
        int failed = 0;
        long lastOk = -1;
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (Read r : ops) {
            if (r.start() <= since) {
                continue;
            }
            if (r.reply() instanceof Resp.Err e) {
                failed++;
                kinds.merge(e.message().split(" ")[0], 1, Integer::sum);
            } else {
                ok++;
                lastOk = Math.max(lastOk, (r.end() - since) / 1_000_000);
            }
        }
        return "after isolation " + ok + " answered (the last one +" + lastOk + " ms), " + failed + " failed " + kinds;
    }

    /** Sends one command after another to node {@code i} (1.5 s timeout, reconnecting after a failure). */
    private static void hammer(int i, AtomicBoolean stop, List<Read> out, java.util.function.IntFunction<String[]> command) {
        Resp c = null;
        int n = 0;
        while (!stop.get()) {
            long start = System.nanoTime();
            Object reply;
            try {
                if (c == null) {
                    c = new Resp(clientIp(i), RESP_PORT, 1_500);
                }
                reply = c.call(command.apply(n++));
            } catch (IOException e) {
                reply = new Resp.Err("IO " + e.getClass().getSimpleName());
                if (c != null) {
                    c.close();
                }
                c = null;
            }
            out.add(new Read(start, System.nanoTime(), reply));
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                break;
            }
        }
        if (c != null) {
            c.close();
        }
    }
}
