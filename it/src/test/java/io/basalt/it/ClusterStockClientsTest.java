package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.basalt.routing.slots.SlotHash;
import io.lettuce.core.KeyValue;
import io.lettuce.core.LettuceFutures;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import io.basalt.it.ProcessCluster.Node;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.ClusterPipeline;
import redis.clients.jedis.JedisCluster;
import redis.clients.jedis.Response;

/**
 * Stock Redis Cluster clients against a real two-group cluster: an in-process ZooKeeper and
 * coordinator, six server processes (groups g1 and g2 of three Raft replicas each), the groups
 * created and the slots split 0–8191 / 8192–16383 through the coordinator's admin API. Lettuce
 * writes and reads one key in every slot, Jedis a sample of slots of both groups, {@code redis-cli
 * -c} and redis-py's {@code RedisCluster} follow MOVED between the groups, and Lettuce keeps writing
 * across a leadership transfer in g2.
 */
@Timeout(120)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterStockClientsTest {
    private static final String CLUSTER = "stock";
    private static final String PYTHON = "/usr/bin/python3";

    private static ProcessCluster cluster;
    private static RedisClusterClient lettuce;
    private static StatefulRedisClusterConnection<String, String> lettuceConn;
    /** keyForSlot[s] hashes to slot s. */
    private static final String[] keyForSlot = new String[SlotHash.SLOT_COUNT];
    private static long t0;

    @BeforeAll
    static void startCluster() throws Exception {
        t0 = System.nanoTime();
        int covered = 0;
        for (int i = 0; covered < keyForSlot.length; i++) {
            String k = "k" + i;
            int s = SlotHash.slot(k);
            if (keyForSlot[s] == null) {
                assertThat(io.lettuce.core.cluster.SlotHash.getSlot(k)).isEqualTo(s);
                keyForSlot[s] = k;
                covered++;
            }
        }

        cluster = ProcessCluster.start(CLUSTER, 2);
        long started = System.nanoTime();
        cluster.assign(0, 8191, "g1");
        cluster.assign(8192, 16383, "g2");
        long assigned = System.nanoTime();
        // every server has the whole map with both groups' leaders
        cluster.awaitClusterOk(2);
        System.out.printf("cluster up in %d ms (processes up and groups recorded at +%d ms, map assigned at +%d ms)%n",
                ms(t0), (started - t0) / 1_000_000, (assigned - t0) / 1_000_000);

        lettuce = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(node("n1").port())
                .withTimeout(Duration.ofSeconds(5)).build());
        lettuce.setOptions(ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enableAllAdaptiveRefreshTriggers()
                        .adaptiveRefreshTriggersTimeout(Duration.ofMillis(200))
                        .enablePeriodicRefresh(Duration.ofSeconds(1))
                        .build())
                .build());
        lettuceConn = lettuce.connect();
    }

    @AfterAll
    static void stopCluster() throws Exception {
        try {
            if (lettuceConn != null) {
                lettuceConn.close();
            }
            if (lettuce != null) {
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            if (cluster != null) {
                cluster.close();
            }
            System.out.printf("whole test %d ms%n", ms(t0));
        }
    }

    // ---- 1. Lettuce RedisClusterClient: every slot ---------------------------------------------

    @Test
    @Order(1)
    void lettuceWritesAndReadsEverySlot() throws Exception {
        long t = System.nanoTime();
        assertThat(lettuce.getPartitions().size()).isEqualTo(6);
        RedisAdvancedClusterAsyncCommands<String, String> async = lettuceConn.async();
        for (int from = 0; from < keyForSlot.length; from += 2048) {
            List<RedisFuture<String>> fs = new ArrayList<>();
            for (int s = from; s < from + 2048; s++) {
                fs.add(async.set(keyForSlot[s], "v" + s));
            }
            assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(30), fs.toArray(new RedisFuture[0]))).isTrue();
            for (RedisFuture<String> f : fs) {
                assertThat(f.get()).isEqualTo("OK");
            }
        }
        List<RedisFuture<String>> gets = new ArrayList<>();
        for (String k : keyForSlot) {
            gets.add(async.get(k));
        }
        assertThat(LettuceFutures.awaitAll(Duration.ofSeconds(30), gets.toArray(new RedisFuture[0]))).isTrue();
        for (int s = 0; s < keyForSlot.length; s++) {
            assertThat(gets.get(s).get()).as("slot %d", s).isEqualTo("v" + s);
        }
        // each key is stored by the group that owns its slot: 8192 keys each
        assertThat(dbsize(leader("g1"))).isEqualTo(8192);
        assertThat(dbsize(leader("g2"))).isEqualTo(8192);
        System.out.printf("lettuce: 16384 SET + 16384 GET in %d ms%n", ms(t));

        // MSET/MGET across both groups: Lettuce splits them by slot
        RedisAdvancedClusterCommands<String, String> sync = lettuceConn.sync();
        Map<String, String> kv = new LinkedHashMap<>();
        for (int s = 0; s < keyForSlot.length; s += 41) {
            kv.put(keyForSlot[s], "m" + s);
        }
        assertThat(kv.keySet().stream().map(SlotHash::slot).anyMatch(s -> s < 8192)).isTrue();
        assertThat(kv.keySet().stream().map(SlotHash::slot).anyMatch(s -> s >= 8192)).isTrue();
        assertThat(sync.mset(kv)).isEqualTo("OK");
        List<KeyValue<String, String>> got = sync.mget(kv.keySet().toArray(new String[0]));
        assertThat(got).hasSize(kv.size());
        for (KeyValue<String, String> e : got) {
            assertThat(e.getValue()).isEqualTo(kv.get(e.getKey()));
        }
        assertThat(sync.del(kv.keySet().toArray(new String[0]))).isEqualTo(kv.size());
        assertThat(sync.exists(kv.keySet().toArray(new String[0]))).isZero();
    }

    // ---- 2. Jedis JedisCluster: a sample of slots of both groups ---------------------------------

    @Test
    @Order(2)
    void jedisClusterOverBothGroups() {
        long t = System.nanoTime();
        Set<HostAndPort> seeds = Set.of(new HostAndPort("127.0.0.1", node("n4").port()));
        try (JedisCluster jc = new JedisCluster(seeds, 5_000, 5_000, 5, null, new GenericObjectPoolConfig<>())) {
            assertThat(jc.getClusterNodes()).hasSize(6);
            // one write at a time is a Raft commit (an fsync on a quorum) each: a pipeline for the bulk
            try (ClusterPipeline p = jc.pipelined()) {
                List<Response<String>> rs = new ArrayList<>();
                for (int s = 3; s < keyForSlot.length; s += 4) {
                    rs.add(p.set(keyForSlot[s], "j" + s));
                }
                p.sync();
                for (Response<String> r : rs) {
                    assertThat(r.get()).isEqualTo("OK");
                }
            }
            long written = System.nanoTime();
            int n = 0;
            for (int s = 3; s < keyForSlot.length; s += 4) {
                assertThat(jc.get(keyForSlot[s])).as("slot %d", s).isEqualTo("j" + s);
                n++;
            }
            long read = System.nanoTime();
            for (int s = 1; s < keyForSlot.length; s += 128) {
                assertThat(jc.set(keyForSlot[s], "one" + s)).isEqualTo("OK");
                assertThat(jc.get(keyForSlot[s])).isEqualTo("one" + s);
            }
            System.out.printf("jedis: %d pipelined SET in %d ms, %d GET in %d ms, 128 SET+GET in %d ms%n",
                    n, (written - t) / 1_000_000, n, (read - written) / 1_000_000, ms(read));
            // multi-key commands within one slot of each group (Jedis refuses to split across slots)
            for (String tag : new String[] {"{a}", "{b}"}) {
                assertThat(jc.mset(tag + "1", "x", tag + "2", "y")).isEqualTo("OK");
                assertThat(jc.mget(tag + "1", tag + "2", tag + "3")).containsExactly("x", "y", null);
            }
            assertThat(SlotHash.slot("{a}") < 8192).isNotEqualTo(SlotHash.slot("{b}") < 8192);
        }
    }

    // ---- 3. redis-cli -c ---------------------------------------------------------------------------

    @Test
    @Order(3)
    void redisCliFollowsMovedToTheOtherGroup() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")), "redis-cli not installed (.ci/run installs redis-tools)");
        String port = Integer.toString(node("n1").port()); // a server of g1
        String g2key = keyForSlot[12_000];
        assertThat(cli("-p", port, "GET", g2key)).startsWith("MOVED 12000 127.0.0.1:");
        assertThat(cli("-c", "-p", port, "SET", g2key, "from-cli")).isEqualTo("OK");
        assertThat(cli("-c", "-p", port, "GET", g2key)).isEqualTo("from-cli");
        assertThat(cli("-c", "-p", Integer.toString(node("n5").port()), "GET", g2key)).isEqualTo("from-cli");
        assertThat(lettuceConn.sync().get(g2key)).isEqualTo("from-cli");
        // a key of g1 written through a server of g2
        String g1key = keyForSlot[100];
        assertThat(cli("-c", "-p", Integer.toString(node("n6").port()), "SET", g1key, "cli-g1")).isEqualTo("OK");
        assertThat(cli("-c", "-p", port, "GET", g1key)).isEqualTo("cli-g1");
    }

    // ---- 4. redis-py RedisCluster --------------------------------------------------------------------

    private static final String PY = String.join("\n",
            "import sys",
            "from redis.cluster import RedisCluster",
            "rc = RedisCluster(host='127.0.0.1', port=int(sys.argv[1]), decode_responses=True)",
            "n = 300",
            "keys = ['py:%d' % i for i in range(n)]",
            "print('primaries', len(rc.get_primaries()))",
            "print('replicas', len(rc.get_replicas()))",
            "print('set', sum(1 for i, k in enumerate(keys) if rc.set(k, 'v%d' % i)))",
            "print('get', sum(1 for i, k in enumerate(keys) if rc.get(k) == 'v%d' % i))",
            "slots = [rc.keyslot(k) for k in keys]",
            "print('groups', sum(1 for s in slots if s < 8192) > 0, sum(1 for s in slots if s >= 8192) > 0)",
            "mkv = {'pm:%d' % i: 'm%d' % i for i in range(100)}",
            "print('mset', all(rc.mset_nonatomic(mkv)))",
            "print('mget', rc.mget_nonatomic(list(mkv)) == list(mkv.values()))",
            "print('incr', rc.incr('py:counter'), rc.incr('py:counter'))",
            "print('del', rc.delete(*keys[:50]))",
            "print('exists', rc.exists(*keys))",
            "rc.close()",
            "");

    @Test
    @Order(4)
    void redisPyRedisCluster() throws Exception {
        assumeTrue(new ProcessBuilder(PYTHON, "-c", "import redis.cluster").start().waitFor() == 0,
                "no redis-py for " + PYTHON + " (.ci/run installs python3-redis)");
        long t = System.nanoTime();
        String out = run(List.of(PYTHON, "-c", PY, Integer.toString(node("n2").port())), 60);
        System.out.printf("redis-py in %d ms:%n%s%n", ms(t), out);
        assertThat(out.lines().toList()).containsExactly(
                "primaries 2", "replicas 4", "set 300", "get 300", "groups True True", "mset True", "mget True",
                "incr 1 2", "del 50", "exists 250");
        assertThat(lettuceConn.sync().get("py:100")).isEqualTo("v100");
        assertThat(lettuceConn.sync().get("py:7")).isNull(); // deleted by the script
    }

    // ---- 5. leadership transfer under Lettuce ----------------------------------------------------------

    @Test
    @Order(5)
    void lettuceKeepsWritingAcrossALeaderTransfer() throws Exception {
        Node old = leader("g2");
        Node next = cluster.nodes.stream().filter(n -> n.group().equals("g2") && n != old).findFirst().orElseThrow();
        int slot = 9_000;
        assertThat(lettuce.getPartitions().getPartitionBySlot(slot).getUri().getPort()).isEqualTo(old.port());

        RedisAdvancedClusterCommands<String, String> sync = lettuceConn.sync();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<long[]> acked = new ConcurrentLinkedQueue<>(); // {nanoTime, i}
        // per slot, the writes since its last acknowledged one (that acknowledged write first):
        // after the test the key holds one of them (a failed write may or may not have been applied)
        Map<Integer, List<Integer>> candidates = new java.util.HashMap<>();
        Map<Integer, Integer> failedLast = new java.util.HashMap<>();
        Set<Integer> everAcked = new HashSet<>();
        AtomicInteger errors = new AtomicInteger();
        List<String> errorSamples = new ArrayList<>();
        Thread writer = new Thread(() -> {
            for (int i = 0; !stop.get(); i++) {
                int s = 8192 + (i * 7) % 8192;
                boolean ok = false;
                try {
                    ok = "OK".equals(sync.set(keyForSlot[s], "t" + i));
                    if (ok) {
                        acked.add(new long[] {System.nanoTime(), i});
                    }
                } catch (RuntimeException e) {
                    errors.incrementAndGet();
                    synchronized (errorSamples) {
                        if (errorSamples.size() < 5) {
                            errorSamples.add(e.toString());
                        }
                    }
                }
                List<Integer> c = candidates.computeIfAbsent(s, x -> new ArrayList<>());
                if (ok) {
                    c.clear();
                    failedLast.remove(s);
                    everAcked.add(s);
                } else {
                    failedLast.put(s, i);
                }
                c.add(i);
            }
        }, "g2-writer");
        writer.start();
        try {
            Thread.sleep(500);
            long before = acked.size();
            assertThat(before).isPositive();
            long transferAt = System.nanoTime();
            assertThat(Resp.once("127.0.0.1", old.port(), "BASALT", "RAFT", "TRANSFER", next.id())).isEqualTo("OK");
            long transferDone = System.nanoTime();
            awaitTrue(10_000, "g2's new leader is " + next.id(), () -> leader("g2") == next);
            awaitTrue(10_000, "Lettuce sees " + next.id() + " as master of slot " + slot,
                    () -> lettuce.getPartitions().getPartitionBySlot(slot).getUri().getPort() == next.port());
            long seenAt = System.nanoTime();
            // writes keep succeeding after the transfer
            long ackedAtSeen = acked.size();
            awaitTrue(5_000, "writes after the transfer", () -> acked.size() > ackedAtSeen + 20);
            stop.set(true);
            writer.join(10_000);

            long maxGap = 0;
            long prev = transferAt;
            long firstAfter = -1;
            for (long[] a : acked) {
                if (a[0] >= transferAt) {
                    if (firstAfter < 0) {
                        firstAfter = a[0];
                    }
                    maxGap = Math.max(maxGap, a[0] - prev);
                    prev = a[0];
                } else {
                    prev = transferAt;
                }
            }
            System.out.printf("leader transfer g2 %s -> %s: TRANSFER took %d ms, first write after it at +%d ms, "
                            + "longest pause between acknowledged writes %d ms, Lettuce topology updated at +%d ms, "
                            + "%d writes acked, %d failed %s%n",
                    old.id(), next.id(), (transferDone - transferAt) / 1_000_000, (firstAfter - transferAt) / 1_000_000,
                    maxGap / 1_000_000, (seenAt - transferAt) / 1_000_000, acked.size(), errors.get(), errorSamples);
            assertThat(firstAfter).isPositive();
            assertThat(maxGap).as("longest write pause (ns)").isLessThan(TimeUnit.SECONDS.toNanos(5));
            // every acknowledged write is there, unless a later (failed) write replaced it
            int failedButApplied = 0;
            for (Map.Entry<Integer, List<Integer>> e : candidates.entrySet()) {
                String v = sync.get(keyForSlot[e.getKey()]);
                if (everAcked.contains(e.getKey())) {
                    assertThat(e.getValue().stream().map(i -> "t" + i).toList()).as("slot %d", e.getKey()).contains(v);
                }
                Integer f = failedLast.get(e.getKey());
                if (f != null && ("t" + f).equals(v)) {
                    failedButApplied++;
                }
            }
            System.out.printf("%d slots written, %d of them hold a write that had failed%n", candidates.size(), failedButApplied);
        } finally {
            stop.set(true);
            writer.join(10_000);
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------

    private static Node node(String id) {
        return cluster.node(id);
    }

    private static Node leader(String group) throws InterruptedException {
        return cluster.leader(group);
    }

    private static long dbsize(Node n) {
        return cluster.dbsize(n);
    }

    private static void awaitTrue(long timeoutMs, String what, ProcessCluster.Check check) throws Exception {
        ProcessCluster.awaitTrue(timeoutMs, what, check);
    }

    private static long ms(long since) {
        return ProcessCluster.ms(since);
    }

    static String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("/usr/bin/redis-cli");
        cmd.addAll(List.of(args));
        return run(cmd, 10);
    }

    private static String run(List<String> cmd, int seconds) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            Thread reader = new Thread(() -> {
                try {
                    p.getInputStream().transferTo(out);
                } catch (java.io.IOException ignored) {
                    // process gone
                }
            });
            reader.start();
            assertThat(p.waitFor(seconds, TimeUnit.SECONDS)).as("%s finished", cmd.get(0)).isTrue();
            reader.join(2_000);
            String s = out.toString(StandardCharsets.UTF_8).trim();
            assertThat(p.exitValue()).as("exit of %s: %s", cmd.get(0), s).isZero();
            return s;
        } finally {
            p.destroyForcibly();
        }
    }
}
