package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterStore;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Groups made by the coordinator out of spare servers, and a dead replica replaced — with the
 * leading coordinator killed (SIGKILL, its own process) in the middle of both jobs:
 * <ol>
 *   <li>five spare server processes ({@code --id --zk}, no {@code --peers}) and two coordinator
 *       processes; create-group is sent to the leading coordinator, which is killed at once; the
 *       client repeats its requests to the next leader, which finishes: the group forms a Raft group
 *       by itself from the record, the slots are assigned once, clients write;</li>
 *   <li>a replica's process is killed during a write load; after {@code --replace-after} the
 *       coordinator writes a spare into the group record — and is killed right then; its successor
 *       finishes the Raft membership change (add the spare, remove the dead one), the spare catches
 *       up with every acknowledged write, and no second spare is taken;</li>
 *   <li>the replaced replica is restarted: it is told to leave the group, deletes its copy and
 *       becomes a spare.</li>
 * </ol>
 */
@Timeout(240)
class ClusterMembershipTest {
    private static final String CLUSTER = "members";

    @Test
    void coordinatorBuildsGroupsFromSparesAndReplacesADeadReplica() throws Exception {
        long t0 = System.nanoTime();
        List<Path> dirs = new ArrayList<>();
        Map<String, ServerProcess> servers = new LinkedHashMap<>();
        List<CoordinatorProcess> coordinators = new ArrayList<>();
        try (TestingServer zk = new TestingServer(true);
                CuratorFramework curator = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(200))) {
            curator.start();
            ClusterStore store = new ClusterStore(curator, CLUSTER);
            for (int i = 0; i < 2; i++) {
                coordinators.add(new CoordinatorProcess(zk.getConnectString(), CLUSTER, "--replace-after", "3",
                        "--zk-session-timeout", "3000").start());
            }
            for (int i = 1; i <= 5; i++) {
                Path d = Files.createTempDirectory("basalt-it-members-n" + i);
                dirs.add(d);
                ServerProcess p = new ServerProcess(d).args("--id", "n" + i, "--zk", zk.getConnectString(),
                        "--cluster", CLUSTER, "--raft-port", Integer.toString(ServerProcess.freePort()),
                        "--set", "raft-election-min-ms=300", "--set", "raft-election-max-ms=600",
                        "--set", "cluster-zk-session-ms=3000");
                servers.put("n" + i, p);
                p.start();
            }
            await(30_000, "five spares announced", () -> count(store) == 5);

            // ---- 1. create-group; the leading coordinator dies with the request in flight ----------
            CoordinatorProcess first = leader(coordinators);
            first.postNoWait("/api/groups", "{\"id\":\"g1\",\"servers\":[\"n1\",\"n2\",\"n3\"]}");
            Thread.sleep(20);
            first.kill();
            long killed = System.nanoTime();
            CoordinatorProcess second = leader(coordinators);
            System.out.printf("coordinator killed mid create-group; the other leads after %d ms%n", ms(killed));
            // the client repeats what it could not see finish: harmless if it was done
            assertThat(second.post("/api/groups", "{\"id\":\"g1\",\"servers\":[\"n1\",\"n2\",\"n3\"]}")).isEqualTo(200);
            assertThat(second.post("/api/slots", "{\"from\":0,\"to\":16383,\"group\":\"g1\"}")).isEqualTo(200);
            assertThat(second.post("/api/slots", "{\"from\":0,\"to\":16383,\"group\":\"g1\"}")).isEqualTo(200);
            assertThat(store.topology().value().epoch()).as("slots assigned exactly once").isEqualTo(1);
            long created = System.nanoTime();
            await(30_000, "g1 elected a leader and reported it", () -> leaderOf(store) != null);
            System.out.printf("group g1 formed %d ms after the create-group request succeeded%n", ms(created));
            System.out.printf("group g1 formed from spares: leader %s, %d ms after the start%n", leaderOf(store), ms(t0));
            for (String id : List.of("n1", "n2", "n3")) {
                ServerProcess p = servers.get(id);
                await(30_000, id + " serves the map", () -> String.valueOf(Resp.once("127.0.0.1", p.port(), "CLUSTER", "INFO"))
                        .contains("cluster_state:ok"));
            }
            coordinators.set(0, new CoordinatorProcess(zk.getConnectString(), CLUSTER, "--replace-after", "3",
                    "--zk-session-timeout", "3000").start()); // back, as a follower

            // ---- 2. a replica dies under load; replaced by a spare, coordinator killed mid-way ------
            RedisClusterClient lettuce = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1")
                    .withPort(servers.get("n1").port()).withTimeout(Duration.ofSeconds(3)).build());
            lettuce.setOptions(ClusterClientOptions.builder().topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                    .enableAllAdaptiveRefreshTriggers().adaptiveRefreshTriggersTimeout(Duration.ofMillis(200))
                    .enablePeriodicRefresh(Duration.ofSeconds(1)).build()).build());
            Map<String, String> acked = new ConcurrentHashMap<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread writer;
            try (StatefulRedisClusterConnection<String, String> conn = lettuce.connect()) {
                writer = new Thread(() -> {
                    for (int i = 0; !stop.get(); i++) {
                        String k = "key:" + i;
                        String v = "v" + i;
                        while (!stop.get()) {
                            try {
                                if ("OK".equals(conn.sync().set(k, v))) {
                                    acked.put(k, v);
                                    break;
                                }
                            } catch (RuntimeException e) {
                                sleep(100); // SET of the same value again is harmless
                            }
                        }
                    }
                }, "writer");
                writer.start();
                await(30_000, "writes acknowledged", () -> acked.size() > 100);

                String victim = store.group("g1").value().members().stream().map(ClusterMap.Member::serverId)
                        .filter(id -> !id.equals(leaderOf(store))).findFirst().orElseThrow();
                servers.get(victim).kill();
                long victimKilled = System.nanoTime();
                System.out.printf("killed replica %s with %d writes acknowledged%n", victim, acked.size());
                await(30_000, "the record names a spare instead of " + victim,
                        () -> members(store).contains("n4") || members(store).contains("n5"));
                CoordinatorProcess replacing = leader(coordinators);
                replacing.kill(); // right after its record write, before (or while) it changes Raft
                System.out.printf("record changed %d ms after the kill (ZooKeeper session 3 s + replace-after 3 s) to %s; leading coordinator killed%n",
                        ms(victimKilled), members(store));
                TreeSet<String> expected = members(store);
                assertThat(expected).as("the dead replica left the record").doesNotContain(victim).hasSize(3);
                String spare = expected.contains("n4") ? "n4" : "n5";
                await(60_000, "the next coordinator makes the Raft configuration match the record " + expected,
                        () -> raftMembers(store).equals(expected));
                System.out.printf("Raft configuration %s, %d ms after the replica was killed%n", expected, ms(victimKilled));
                int before = acked.size();
                await(30_000, "writes continue", () -> acked.size() > before + 100);
                stop.set(true);
                writer.join(10_000);
                // the new replica has every acknowledged write (follower reads after READONLY)
                ServerProcess np = servers.get(spare);
                await(60_000, spare + " has all " + acked.size() + " acknowledged writes", () -> missing(np, acked) == 0);
                assertThat(members(store)).as("no second replacement").isEqualTo(expected);
                String other = spare.equals("n4") ? "n5" : "n4";
                assertThat(store.servers().stream().filter(s -> s.id().equals(other)).findFirst().orElseThrow().groups())
                        .as("the other spare stays a spare").isEmpty();
                System.out.printf("%s holds all %d acknowledged writes%n", spare, acked.size());

                // the replaced replica comes back: told to leave, it deletes its copy and is a spare
                servers.get(victim).start();
                long back = System.nanoTime();
                await(60_000, victim + " is a spare again", () -> {
                    try {
                        return store.servers().stream().anyMatch(s -> s.id().equals(victim) && s.groups().isEmpty());
                    } catch (Exception e) {
                        return false;
                    }
                });
                assertThat(Resp.once("127.0.0.1", servers.get(victim).port(), "DBSIZE")).as("its old copy is gone").isEqualTo(0L);
                assertThat(members(store)).isEqualTo(expected);
                System.out.printf("%s restarted: a blank spare %d ms later; whole test %d ms%n", victim, ms(back), ms(t0));
            } finally {
                stop.set(true);
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            }
        } finally {
            for (CoordinatorProcess c : coordinators) {
                c.close();
            }
            for (ServerProcess p : servers.values()) {
                p.close();
            }
            for (Path d : dirs) {
                ServerProcess.deleteDir(d);
            }
        }
    }

    private static int missing(ServerProcess p, Map<String, String> acked) {
        try (Resp c = new Resp("127.0.0.1", p.port(), 5_000)) {
            c.call("READONLY");
            int missing = 0;
            for (Map.Entry<String, String> e : acked.entrySet()) {
                if (!e.getValue().equals(c.call("GET", e.getKey()))) {
                    missing++;
                }
            }
            return missing;
        } catch (Exception e) {
            return -1;
        }
    }

    private static CoordinatorProcess leader(List<CoordinatorProcess> cs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            for (CoordinatorProcess c : cs) {
                if (c.leads()) {
                    return c;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no coordinator leads");
    }

    private static int count(ClusterStore store) {
        try {
            return store.servers().size();
        } catch (Exception e) {
            return -1;
        }
    }

    private static String leaderOf(ClusterStore store) {
        try {
            return store.group("g1").value().leader();
        } catch (Exception e) {
            return null;
        }
    }

    private static TreeSet<String> members(ClusterStore store) {
        try {
            TreeSet<String> out = new TreeSet<>();
            store.group("g1").value().members().forEach(m -> out.add(m.serverId()));
            return out;
        } catch (Exception e) {
            return new TreeSet<>();
        }
    }

    /** The Raft configuration as the group's current leader reports it. */
    private static TreeSet<String> raftMembers(ClusterStore store) {
        try {
            ClusterMap.Member l = store.group("g1").value().leaderMember();
            Object status = Resp.once(l.host(), l.respPort(), "BASALT", "RAFT", "STATUS");
            TreeSet<String> out = new TreeSet<>();
            for (String line : String.valueOf(status).split("\r\n")) {
                if (line.startsWith("member:")) {
                    out.add(line.substring(7, line.indexOf(',')));
                }
            }
            return out;
        } catch (Exception e) {
            return new TreeSet<>();
        }
    }

    private static void await(long ms, String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.currentTimeMillis() + ms;
        while (!cond.getAsBoolean()) {
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(100);
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long ms(long since) {
        return (System.nanoTime() - since) / 1_000_000;
    }
}
