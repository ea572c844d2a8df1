package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.coordinator.Coordinator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;

/**
 * A real Basalt cluster for multi-process tests: an in-process ZooKeeper (Curator {@code
 * TestingServer}) and coordinator, and {@code groups} Raft groups g1, g2, … of three server
 * processes each (n1–n3 in g1, n4–n6 in g2, …), announced in ZooKeeper and recorded as groups
 * through the coordinator's admin API. Slots are left to the test ({@link #assign}).
 */
final class ProcessCluster implements AutoCloseable {
    /** One replica: its Raft id, group, Raft port and process. */
    record Node(String id, String group, int raftPort, ServerProcess process) {
        int port() {
            return process.port();
        }
    }

    final String name;
    final List<Node> nodes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();
    final TestingServer zk;
    final Coordinator coordinator;

    private ProcessCluster(String name) throws Exception {
        this.name = name;
        this.zk = new TestingServer(true);
        this.coordinator = new Coordinator(zk.getConnectString(), name, "127.0.0.1", 0);
    }

    /** Starts ZooKeeper, the coordinator and the servers, and records the groups (no slots yet). */
    static ProcessCluster start(String name, int groups) throws Exception {
        long t0 = System.nanoTime();
        ProcessCluster c = new ProcessCluster(name);
        try {
            for (int g = 1; g <= groups; g++) {
                List<Node> group = new ArrayList<>();
                for (int r = 1; r <= 3; r++) {
                    String id = "n" + ((g - 1) * 3 + r);
                    Path d = Files.createTempDirectory("basalt-it-" + name + "-" + id);
                    c.dirs.add(d);
                    group.add(new Node(id, "g" + g, ServerProcess.freePort(), new ServerProcess(d)));
                }
                StringBuilder peers = new StringBuilder();
                for (Node n : group) {
                    peers.append(peers.length() > 0 ? "," : "").append(n.id()).append("=127.0.0.1:").append(n.raftPort())
                            .append(':').append(n.port());
                }
                for (Node n : group) {
                    n.process().args("--id", n.id(), "--group", n.group(), "--peers", peers.toString(),
                            "--zk", c.zk.getConnectString(), "--cluster", name,
                            "--set", "raft-election-min-ms=300", "--set", "raft-election-max-ms=600");
                }
                c.nodes.addAll(group);
            }
            // start the JVMs at once (each start() waits for its RESP port)
            ExecutorService pool = Executors.newFixedThreadPool(c.nodes.size());
            try {
                List<Future<ServerProcess>> started = new ArrayList<>();
                for (Node n : c.nodes) {
                    started.add(pool.submit(() -> n.process().start()));
                }
                for (Future<ServerProcess> f : started) {
                    f.get(60, TimeUnit.SECONDS);
                }
            } finally {
                pool.shutdownNow();
            }
            int total = c.nodes.size();
            awaitTrue(30_000, "all servers announced in ZooKeeper", () -> c.coordinator.store().servers().size() == total);
            awaitTrue(10_000, "the coordinator leads", c.coordinator::isLeader);
            for (int g = 1; g <= groups; g++) {
                String gid = "g" + g;
                StringBuilder ids = new StringBuilder();
                for (Node n : c.nodes) {
                    if (n.group().equals(gid)) {
                        ids.append(ids.length() > 0 ? "," : "").append('"').append(n.id()).append('"');
                    }
                }
                assertThat(c.admin("/api/groups", "{\"id\":\"" + gid + "\",\"servers\":[" + ids + "]}")).isEqualTo(200);
            }
            System.out.printf("cluster %s: %d groups × 3 processes up in %d ms%n", name, groups, ms(t0));
            return c;
        } catch (Exception | AssertionError e) {
            c.close();
            throw e;
        }
    }

    /** Assigns unassigned slots {@code from..to} to {@code group} through the admin API. */
    void assign(int from, int to, String group) throws Exception {
        assertThat(admin("/api/slots", "{\"from\":" + from + ",\"to\":" + to + ",\"group\":\"" + group + "\"}")).isEqualTo(200);
    }

    /** Waits until every server reports {@code cluster_state:ok} with {@code size} groups owning slots. */
    void awaitClusterOk(int size) throws Exception {
        for (Node n : nodes) {
            awaitTrue(30_000, n.id() + " reports cluster_state:ok", () -> {
                Object r = Resp.once("127.0.0.1", n.port(), "CLUSTER", "INFO");
                return r instanceof String s && s.contains("cluster_state:ok") && s.contains("cluster_size:" + size);
            });
        }
    }

    int admin(String path, String body) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + coordinator.httpPort() + path))
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.out.println("admin " + path + " " + body + " -> " + r.statusCode() + " " + r.body());
        }
        return r.statusCode();
    }

    String zkConnect() {
        return zk.getConnectString();
    }

    Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /** The live member of {@code group} whose INFO says role:master. */
    Node leader(String group) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            for (Node n : nodes) {
                if (n.group().equals(group) && n.process().alive()
                        && Resp.once("127.0.0.1", n.port(), "INFO", "replication") instanceof String s
                        && s.contains("role:master")) {
                    return n;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader in " + group);
    }

    long dbsize(Node n) {
        return (Long) Resp.once("127.0.0.1", n.port(), "DBSIZE");
    }

    @Override
    public void close() throws Exception {
        try {
            for (Node n : nodes) {
                try {
                    n.process().close();
                } catch (Exception ignored) {
                    // keep killing the others
                }
            }
        } finally {
            try {
                coordinator.close();
            } finally {
                zk.close();
                for (Path d : dirs) {
                    ServerProcess.deleteDir(d);
                }
            }
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void awaitTrue(long timeoutMs, String what, Check check) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (true) {
            try {
                if (check.ok()) {
                    return;
                }
            } catch (Exception | AssertionError e) {
                if (System.currentTimeMillis() > deadline) {
                    throw new AssertionError("timed out waiting for: " + what, e);
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }

    static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
