package io.basalt.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.server.raft.Linearizability.Kind;
import io.basalt.server.raft.Linearizability.Op;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A register workload (several clients, SET/GET/INCR on a few keys) against a 3-replica group while
 * its leader is stopped, checked per key with {@link Linearizability}; and the checker itself
 * catches a stale read.
 */
@Timeout(120)
class LinearizabilityTest {

    private static Op op(Kind k, String v, long start, long end) {
        return new Op(k, v, start, end);
    }

    @Test
    void checkerAcceptsLinearizableAndRejectsStaleReads() {
        List<Op> ok = List.of(op(Kind.SET, "1", 0, 10), op(Kind.GET, "1", 11, 12), op(Kind.INCR, "2", 13, 20),
                op(Kind.GET, "2", 15, 25), op(Kind.SET, "9", 30, Long.MAX_VALUE), op(Kind.GET, "2", 31, 32));
        assertThat(Linearizability.check(ok, null)).isTrue();
        // overlapping operations may take effect in either order
        assertThat(Linearizability.check(List.of(op(Kind.SET, "a", 0, 10), op(Kind.SET, "b", 1, 9),
                op(Kind.GET, "a", 11, 12)), null)).isTrue();
        // a read that returns the value from before a completed write is stale
        List<Op> stale = new ArrayList<>(ok);
        stale.add(op(Kind.SET, "5", 40, 41));
        stale.add(op(Kind.GET, "2", 42, 43));
        assertThat(Linearizability.check(stale, null)).isFalse();
        // an INCR that failed may have happened (once) or not
        assertThat(Linearizability.check(List.of(op(Kind.SET, "1", 0, 1), op(Kind.INCR, null, 2, Long.MAX_VALUE),
                op(Kind.GET, "2", 10, 11)), null)).isTrue();
        assertThat(Linearizability.check(List.of(op(Kind.SET, "1", 0, 1), op(Kind.INCR, null, 2, Long.MAX_VALUE),
                op(Kind.GET, "3", 10, 11)), null)).isFalse();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void registerWorkloadStaysLinearizableAcrossALeaderStop() throws Exception {
        int[] resp = {freePort(), freePort(), freePort()};
        String peers = "n1=127.0.0.1:" + freePort() + ":" + resp[0] + ",n2=127.0.0.1:" + freePort() + ":" + resp[1]
                + ",n3=127.0.0.1:" + freePort() + ":" + resp[2];
        List<TestServer> nodes = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 3; i++) {
            nodes.add(new TestServer(Map.of("raft-id", "n" + (i + 1), "raft-peers", peers, "port", Integer.toString(resp[i]),
                    "raft-election-min-ms", "150", "raft-election-max-ms", "300")));
        }
        Map<String, List<Op>> histories = new ConcurrentHashMap<>();
        List<String> keys = List.of("r1", "r2");
        for (String k : keys) {
            histories.put(k, Collections.synchronizedList(new ArrayList<>()));
        }
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> leaderPort(nodes) > 0);
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < 4; c++) {
                int client = c;
                Thread t = new Thread(() -> workload(client, nodes, keys, histories, 40));
                clients.add(t);
                t.start();
            }
            Thread.sleep(400);
            // stop the leader mid-workload (its data directory stays; the group goes on with two)
            TestServer lead = null;
            for (TestServer n : nodes) {
                if (n.server().node().writePath().acceptsWrites()) {
                    lead = n;
                }
            }
            if (lead != null) {
                nodes.remove(lead);
                lead.close();
            }
            for (Thread t : clients) {
                t.join(60_000);
            }
            for (String k : keys) {
                List<Op> h = histories.get(k);
                assertThat(h.stream().filter(Op::known).count()).as("operations completed on %s", k).isGreaterThan(10);
                assertThat(Linearizability.check(h, null)).as("history of %s (%d operations) is linearizable", k, h.size()).isTrue();
            }
        } finally {
            for (TestServer s : new ArrayList<>(nodes)) {
                s.close();
            }
        }
    }

    private static int leaderPort(List<TestServer> nodes) {
        synchronized (nodes) {
            for (TestServer n : nodes) {
                if (n.server().node().writePath().acceptsWrites()) {
                    return n.port();
                }
            }
        }
        return -1;
    }

    private static void workload(int client, List<TestServer> nodes, List<String> keys, Map<String, List<Op>> histories, int count) {
        ThreadLocalRandom rnd = ThreadLocalRandom.current();
        int done = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        while (done < count && System.nanoTime() < deadline) {
            int port = leaderPort(nodes);
            if (port < 0) {
                sleep(20);
                continue;
            }
            String key = keys.get(rnd.nextInt(keys.size()));
            Kind kind = Kind.values()[rnd.nextInt(3)];
            String value = kind == Kind.SET ? Integer.toString(client * 100_000 + done * 10) : null;
            long start = System.nanoTime();
            String reply;
            try (RespConnection c = new RespConnection(port)) {
                reply = switch (kind) {
                    case SET -> c.call("SET " + key + " " + value);
                    case GET -> c.call("GET " + key);
                    case INCR -> c.call("INCR " + key);
                };
            } catch (IOException e) {
                reply = null;
            }
            long end = System.nanoTime();
            if (reply != null && reply.startsWith("-") && !reply.startsWith("-UNCERTAIN")) {
                continue; // refused (MOVED, CLUSTERDOWN, TRYAGAIN) or failed (an error reply): nothing happened
            }
            // a lost connection or a failed replication: it may or may not have taken effect
            boolean known = reply != null && !reply.startsWith("-");
            if (!known) {
                if (kind != Kind.GET) {
                    histories.get(key).add(new Op(kind, value, start, Long.MAX_VALUE));
                }
                done++;
                continue;
            }
            String result = switch (kind) {
                case SET -> value;
                case GET -> reply.startsWith("$-1") ? null : reply.substring(reply.indexOf("\r\n") + 2, reply.length() - 2);
                case INCR -> reply.substring(1).trim();
            };
            histories.get(key).add(new Op(kind, result, start, end));
            done++;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
