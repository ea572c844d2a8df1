package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.basalt.client.BasaltClient;
import io.basalt.it.ProcessCluster.Node;
import io.basalt.routing.slots.SlotHash;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.api.sync.RedisStringCommands;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Load generator behind {@code bench/sdk.sh} (runs only with {@code BASALT_BENCH=1}): the SDK
 * against a 2-group × 3-replica cluster vs plain Lettuce {@code RedisClusterClient} against the same
 * cluster vs plain Lettuce {@code RedisClient} against a real {@code redis-server} started here;
 * SET and GET, sync (THREADS threads, one command at a time each), async (WINDOW commands in
 * flight) and pipelined (auto-flush off, BATCH commands per flush); rounds alternate the clients
 * and the SDK/Lettuce ratio is taken per round. Then the failover pause: SIGKILL of a group's
 * leader under a one-thread SDK write load, time until the first write sent after the process is
 * gone is acknowledged.
 */
class SdkBenchmark {
    private static final int SECONDS = env("BENCH_SECONDS", 3);
    private static final int ROUNDS = env("BENCH_ROUNDS", 2);
    private static final int THREADS = env("BENCH_THREADS", 4);
    private static final int WINDOW = env("BENCH_WINDOW", 64);
    private static final int BATCH = env("BENCH_BATCH", 100);
    private static final int KEYS = 10_000;

    private static int env(String name, int def) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? def : Integer.parseInt(v.trim());
    }

    interface Target {
        RedisStringCommands<String, String> sync();

        RedisStringAsyncCommands<String, String> async();

        StatefulConnection<String, String> connection();
    }

    record ClusterTarget(StatefulRedisClusterConnection<String, String> c) implements Target {
        public RedisStringCommands<String, String> sync() {
            return c.sync();
        }

        public RedisStringAsyncCommands<String, String> async() {
            return c.async();
        }

        public StatefulConnection<String, String> connection() {
            return c;
        }
    }

    record PlainTarget(StatefulRedisConnection<String, String> c) implements Target {
        public RedisStringCommands<String, String> sync() {
            return c.sync();
        }

        public RedisStringAsyncCommands<String, String> async() {
            return c.async();
        }

        public StatefulConnection<String, String> connection() {
            return c;
        }
    }

    @Test
    void sdkVsLettuceVsRedis() throws Exception {
        assumeTrue("1".equals(System.getenv("BASALT_BENCH")), "set BASALT_BENCH=1 (bench/sdk.sh)");
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-server")), "redis-server not installed");
        int redisPort = ServerProcess.freePort();
        Process redis = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(redisPort), "--save", "",
                "--appendonly", "no", "--bind", "127.0.0.1").redirectErrorStream(true)
                .redirectOutput(Path.of("target", "bench-redis.log").toFile()).start();
        if ("overhead".equals(System.getenv("BENCH_ONLY"))) { // the client-overhead comparison alone: ZooKeeper, one Redis
            try (org.apache.curator.test.TestingServer zk = new org.apache.curator.test.TestingServer(true)) {
                clientOverhead(zk.getConnectString());
            } finally {
                redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            return;
        }
        try (ProcessCluster cluster = ProcessCluster.start("bench", 2)) {
            cluster.assign(0, 8191, "g1");
            cluster.assign(8192, 16383, "g2");
            cluster.awaitClusterOk(2);
            ProcessCluster.awaitTrue(10_000, "redis-server listening", () -> {
                try (Socket s = new Socket("127.0.0.1", redisPort)) {
                    return true;
                }
            });
            BasaltClient sdk = BasaltClient.create(cluster.zkConnect(), "bench");
            RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", cluster.node("n1").port()));
            RedisClient plain = RedisClient.create(RedisURI.create("127.0.0.1", redisPort));
            try (StatefulRedisClusterConnection<String, String> sdkConn = sdk.connect();
                    StatefulRedisClusterConnection<String, String> lettuceConn = lettuce.connect();
                    StatefulRedisConnection<String, String> redisConn = plain.connect()) {
                Map<String, Target> targets = new LinkedHashMap<>();
                targets.put("sdk", new ClusterTarget(sdkConn));
                targets.put("lettuce-cluster", new ClusterTarget(lettuceConn));
                targets.put("lettuce-redis", new PlainTarget(redisConn));
                System.out.printf(Locale.ROOT, "BENCH config: %d s per run, %d rounds, sync %d threads, async window %d, pipeline batch %d%n",
                        SECONDS, ROUNDS, THREADS, WINDOW, BATCH);
                System.out.println("BENCH 1. Basalt cluster (2 groups x 3 replicas): SDK vs plain Lettuce RedisClusterClient; one redis-server for scale");
                report(measure(targets), "sdk", "lettuce-cluster", "lettuce-redis");
                clientOverhead(cluster.zkConnect());
                failover(cluster, sdkConn);
            } finally {
                sdk.close();
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
                plain.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static final String[] OPS = {"SET", "GET"};
    private static final String[] MODES = System.getenv("BENCH_MODES") == null ? new String[] {"sync", "async", "pipelined"}
            : System.getenv("BENCH_MODES").split(",");

    /** Warms every target, then ROUNDS rounds of every op × mode, alternating the targets' order. */
    private static Map<String, List<Double>> measure(Map<String, Target> targets) throws Exception {
        for (Target t : targets.values()) { // load the keys GET reads, and warm the JITs
            run(t, "SET", "pipelined", 2);
            run(t, "GET", "async", 1);
        }
        Map<String, List<Double>> rps = new LinkedHashMap<>();
        for (int round = 0; round < ROUNDS; round++) {
            for (String op : OPS) {
                for (String mode : MODES) {
                    List<String> order = new ArrayList<>(targets.keySet());
                    if (round % 2 == 1) {
                        java.util.Collections.reverse(order);
                    }
                    for (String name : order) {
                        double r = run(targets.get(name), op, mode, SECONDS);
                        rps.computeIfAbsent(op + " " + mode + " " + name, k -> new ArrayList<>()).add(r);
                    }
                }
            }
        }
        return rps;
    }

    /** Mean rps per target, the median of the per-round ratios a/b and the ratios themselves (and a/c if given). */
    private static void report(Map<String, List<Double>> rps, String a, String b, String c) {
        System.out.printf(Locale.ROOT, "BENCH %-16s %14s %16s %14s %10s %10s  %s%n", "test", a, b, c == null ? "" : c,
                a + "/" + b, c == null ? "" : a + "/" + c, "per-round " + a + "/" + b);
        for (String op : OPS) {
            for (String mode : MODES) {
                String k = op + " " + mode;
                List<Double> x = rps.get(k + " " + a);
                List<Double> y = rps.get(k + " " + b);
                List<Double> ratios = new ArrayList<>();
                for (int i = 0; i < x.size(); i++) {
                    ratios.add(x.get(i) / y.get(i));
                }
                List<Double> sorted = new ArrayList<>(ratios);
                java.util.Collections.sort(sorted);
                int n = sorted.size();
                double median = n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
                List<Double> z = c == null ? null : rps.get(k + " " + c);
                System.out.printf(Locale.ROOT, "BENCH %-16s %14.0f %16.0f %14s %10.3f %10s  %s%n", k, mean(x), mean(y),
                        z == null ? "" : String.format(Locale.ROOT, "%.0f", mean(z)), median,
                        z == null ? "" : String.format(Locale.ROOT, "%.3f", mean(x) / mean(z)),
                        ratios.stream().map(r -> String.format(Locale.ROOT, "%.2f", r)).toList());
            }
        }
    }

    /**
     * The SDK's own cost, without Raft's noise: a one-node Redis Cluster (a real redis-server with
     * cluster-enabled, owning all slots) described in ZooKeeper as a one-member group, the SDK vs
     * plain Lettuce RedisClusterClient against it.
     */
    private static void clientOverhead(String zkConnect) throws Exception {
        int port = ServerProcess.freePort();
        Path dir = Files.createTempDirectory("basalt-bench-redis-cluster");
        Process redis = new ProcessBuilder("/usr/bin/redis-server", "--port", Integer.toString(port), "--save", "",
                "--appendonly", "no", "--bind", "127.0.0.1", "--cluster-enabled", "yes",
                "--cluster-config-file", dir.resolve("nodes.conf").toString(), "--dir", dir.toString())
                .redirectErrorStream(true).redirectOutput(Path.of("target", "bench-redis-cluster.log").toFile()).start();
        try {
            ProcessCluster.awaitTrue(10_000, "redis cluster node up", () -> "PONG".equals(Resp.once("127.0.0.1", port, "PING")));
            assertThat(Resp.once("127.0.0.1", port, "CLUSTER", "ADDSLOTSRANGE", "0", "16383")).isEqualTo("OK");
            ProcessCluster.awaitTrue(10_000, "cluster_state:ok", () -> Resp.once("127.0.0.1", port, "CLUSTER", "INFO") instanceof String s
                    && s.contains("cluster_state:ok"));
            try (var cf = org.apache.curator.framework.CuratorFrameworkFactory.newClient(zkConnect,
                    new org.apache.curator.retry.RetryOneTime(100))) {
                cf.start();
                var store = new io.basalt.routing.cluster.ClusterStore(cf, "redis");
                store.setGroup(new io.basalt.routing.cluster.ClusterMap.Group("r", List.of(
                        new io.basalt.routing.cluster.ClusterMap.Member("r1", "127.0.0.1", 0, port, false)), "r1", 1), -1);
                store.setTopology(io.basalt.routing.cluster.ClusterMap.Topology.empty().assign(0, 16383, "r"), store.topology());
            }
            BasaltClient sdk = BasaltClient.create(zkConnect, "redis");
            BasaltClient sdkNoMetrics = BasaltClient.create(zkConnect, "redis",
                    io.basalt.client.BasaltClientOptions.builder().latencyMetrics(false).failInflightOnLeaderChange(false).build());
            RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.create("127.0.0.1", port));
            try (StatefulRedisClusterConnection<String, String> a = sdk.connect();
                    StatefulRedisClusterConnection<String, String> b = lettuce.connect();
                    StatefulRedisClusterConnection<String, String> c = sdkNoMetrics.connect()) {
                Map<String, Target> targets = new LinkedHashMap<>();
                targets.put("sdk", new ClusterTarget(a));
                targets.put("lettuce-cluster", new ClusterTarget(b));
                targets.put("sdk-lean", new ClusterTarget(c));
                System.out.println("BENCH 2. client overhead: SDK (defaults; and sdk-lean: no latency timers, no in-flight tracking) vs plain Lettuce RedisClusterClient, "
                        + "all against one real Redis Cluster node");
                Map<String, List<Double>> rps = measure(targets);
                report(rps, "sdk", "lettuce-cluster", null);
                report(rps, "sdk-lean", "lettuce-cluster", null);
            } finally {
                sdk.close();
                sdkNoMetrics.close();
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            redis.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            ServerProcess.deleteDir(dir);
        }
    }

    private static double mean(List<Double> xs) {
        return xs.stream().mapToDouble(Double::doubleValue).average().orElse(0);
    }

    /** Requests per second of {@code op} in {@code mode} for {@code seconds}. */
    private static double run(Target t, String op, String mode, int seconds) throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        int nThreads = mode.equals("sync") ? THREADS : 1;
        long start = System.nanoTime();
        for (int w = 0; w < nThreads; w++) {
            int id = w;
            Thread th = new Thread(() -> {
                try {
                    switch (mode) {
                        case "sync" -> {
                            RedisStringCommands<String, String> s = t.sync();
                            for (int i = id; !stop.get(); i += nThreads) {
                                String k = "bench:" + (i % KEYS);
                                if (op.equals("SET")) {
                                    s.set(k, "v" + i);
                                } else {
                                    s.get(k);
                                }
                                done.incrementAndGet();
                            }
                        }
                        case "async" -> {
                            RedisStringAsyncCommands<String, String> a = t.async();
                            Semaphore window = new Semaphore(WINDOW);
                            for (int i = 0; !stop.get(); i++) {
                                window.acquire();
                                String k = "bench:" + (i % KEYS);
                                RedisFuture<?> f = op.equals("SET") ? a.set(k, "v" + i) : a.get(k);
                                f.whenComplete((v, e) -> {
                                    if (e != null) {
                                        errors.incrementAndGet();
                                    }
                                    done.incrementAndGet();
                                    window.release();
                                });
                            }
                            window.acquire(WINDOW);
                        }
                        default -> { // pipelined
                            RedisStringAsyncCommands<String, String> a = t.async();
                            t.connection().setAutoFlushCommands(false);
                            try {
                                List<RedisFuture<?>> batch = new ArrayList<>(BATCH);
                                for (int i = 0; !stop.get(); ) {
                                    batch.clear();
                                    for (int j = 0; j < BATCH; j++, i++) {
                                        String k = "bench:" + (i % KEYS);
                                        batch.add(op.equals("SET") ? a.set(k, "v" + i) : a.get(k));
                                    }
                                    t.connection().flushCommands();
                                    for (RedisFuture<?> f : batch) {
                                        f.get(30, TimeUnit.SECONDS);
                                    }
                                    done.addAndGet(BATCH);
                                }
                            } finally {
                                t.connection().setAutoFlushCommands(true);
                            }
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                    throw new IllegalStateException(e);
                }
            });
            threads.add(th);
            th.start();
        }
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread th : threads) {
            th.join(60_000);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        assertThat(errors.get()).as("errors in %s %s", op, mode).isZero();
        return done.get() / secs;
    }

    /** SIGKILL g1's leader under one SDK writer: kill → first acknowledged write sent after the process is gone. */
    private static void failover(ProcessCluster cluster, StatefulRedisClusterConnection<String, String> conn) throws Exception {
        List<String> g1Keys = new ArrayList<>();
        for (int i = 0; g1Keys.size() < 1000; i++) {
            if (SlotHash.slot("fo:" + i) < 8192) {
                g1Keys.add("fo:" + i);
            }
        }
        Node victim = cluster.leader("g1");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong deadAt = new AtomicLong();
        AtomicLong firstAck = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                long started = System.nanoTime();
                try {
                    conn.sync().set(g1Keys.get(i % g1Keys.size()), "f" + i);
                    if (deadAt.get() != 0 && started > deadAt.get()) {
                        firstAck.compareAndSet(0, System.nanoTime());
                    }
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
            }
        });
        writer.start();
        try {
            Thread.sleep(1_000);
            long killAt = System.nanoTime();
            victim.process().kill();
            deadAt.set(System.nanoTime());
            ProcessCluster.awaitTrue(20_000, "a write after the kill", () -> firstAck.get() != 0);
            System.out.printf(Locale.ROOT, "BENCH failover: SIGKILL of g1 leader %s -> first acknowledged SDK write sent after it "
                            + "%d ms after the kill (process gone after %d ms; %d writes failed as uncertain)%n",
                    victim.id(), (firstAck.get() - killAt) / 1_000_000, (deadAt.get() - killAt) / 1_000_000, failed.get());
        } finally {
            stop.set(true);
            writer.join(20_000);
        }
    }
}
