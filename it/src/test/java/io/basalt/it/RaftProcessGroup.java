package io.basalt.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Replicas of one Raft group as server processes on loopback ({@code --id --group --peers}), with
 * what the fault tests need around them: finding the leader, adding a member, and a client that
 * follows redirects like a cluster client.
 */
final class RaftProcessGroup implements AutoCloseable {
    /** One replica: its Raft id, Raft port and process. */
    record Node(String id, int raftPort, ServerProcess process) {
        int port() {
            return process.port();
        }

        String peer() {
            return id + "=127.0.0.1:" + raftPort + ":" + process.port();
        }
    }

    final List<Node> nodes = new ArrayList<>();
    private final List<Path> dirs = new ArrayList<>();

    /** {@code n} replicas n1..n<n>, not started. */
    RaftProcessGroup(int n) throws IOException {
        for (int i = 1; i <= n; i++) {
            nodes.add(newNode("n" + i));
        }
        String peers = peers(nodes);
        for (Node node : nodes) {
            configure(node, peers);
        }
    }

    private Node newNode(String id) throws IOException {
        Path d = Files.createTempDirectory("basalt-it-" + id);
        dirs.add(d);
        return new Node(id, ServerProcess.freePort(), new ServerProcess(d));
    }

    private static String peers(List<Node> nodes) {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(sb.length() > 0 ? "," : "").append(n.peer());
        }
        return sb.toString();
    }

    private static void configure(Node node, String peers) {
        node.process().args("--id", node.id(), "--group", "g1", "--peers", peers,
                "--set", "raft-election-min-ms=300", "--set", "raft-election-max-ms=600");
    }

    /** A new replica whose --peers lists the current nodes and itself; started, not yet a member. */
    Node startNew(String id) throws IOException, InterruptedException {
        Node node = newNode(id);
        List<Node> all = new ArrayList<>(nodes);
        all.add(node);
        configure(node, peers(all));
        nodes.add(node);
        node.process().start();
        return node;
    }

    void startAll() throws IOException, InterruptedException {
        for (Node n : nodes) {
            n.process().start();
        }
    }

    Node node(String id) {
        return nodes.stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /** INFO replication of a node, or "" if it does not answer. */
    static String info(Node n) {
        Object r = Resp.once("127.0.0.1", n.port(), "INFO", "replication");
        return r instanceof String s ? s : "";
    }

    static long infoLong(String info, String field) {
        for (String line : info.split("\r?\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1).trim());
            }
        }
        return -1;
    }

    /** The node that says it is the leader, waiting up to {@code timeoutMs}. */
    Node leader(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (Node n : nodes) {
                if (n.process().alive() && info(n).contains("role:master")) {
                    return n;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within " + timeoutMs + " ms");
    }

    @Override
    public void close() throws InterruptedException {
        for (Node n : nodes) {
            n.process().close();
        }
        for (Path d : dirs) {
            ServerProcess.deleteDir(d);
        }
    }

    /**
     * A client that follows {@code -MOVED} to the leader and waits out {@code -CLUSTERDOWN} (both
     * mean the command was not executed, so retrying is safe) for up to {@code retryMs}. A lost
     * connection is thrown as IOException; {@code -TRYAGAIN} and other errors are returned: for a
     * write, both mean it may or may not have been applied.
     */
    final class Router implements AutoCloseable {
        private final int timeoutMs;
        private final long retryMs;
        private Resp conn;
        private int target;
        private int next;

        Router(int timeoutMs, long retryMs) {
            this.timeoutMs = timeoutMs;
            this.retryMs = retryMs;
        }

        private void rotate() {
            List<Node> alive = nodes.stream().filter(n -> n.process().alive()).toList();
            target = alive.isEmpty() ? nodes.get(0).port() : alive.get(Math.floorMod(next++, alive.size())).port();
        }

        /** The hops of the last call: port and reply kind (diagnosis of failing histories). */
        final StringBuilder trace = new StringBuilder();

        Object call(String... args) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + retryMs * 1_000_000;
            trace.setLength(0);
            while (true) {
                if (conn == null) {
                    if (target == 0) {
                        rotate();
                    }
                    try {
                        conn = new Resp("127.0.0.1", target, timeoutMs);
                    } catch (IOException refused) {
                        // not sent: a dead node; try another one
                        rotate();
                        if (System.nanoTime() > deadline) {
                            throw refused;
                        }
                        Thread.sleep(20);
                        continue;
                    }
                }
                Object r;
                try {
                    r = conn.call(args);
                } catch (IOException e) {
                    trace.append(target).append(":io ");
                    close();
                    rotate();
                    throw e;
                }
                trace.append(target).append(':').append(r instanceof Resp.Err err0 ? err0.message().split(" ")[0] : "ok")
                        .append('@').append(System.nanoTime() / 1_000_000 % 100_000).append(' ');
                if (r instanceof Resp.Err err && (err.is("MOVED") || err.is("CLUSTERDOWN")) && System.nanoTime() < deadline) {
                    close();
                    if (err.is("MOVED")) {
                        String addr = err.message().substring(err.message().lastIndexOf(' ') + 1);
                        target = Integer.parseInt(addr.substring(addr.lastIndexOf(':') + 1));
                    } else {
                        rotate();
                        Thread.sleep(30);
                    }
                    continue;
                }
                return r;
            }
        }

        @Override
        public void close() {
            if (conn != null) {
                conn.close();
                conn = null;
            }
        }
    }
}
