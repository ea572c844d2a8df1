package io.basalt.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.routing.cluster.ClusterStore;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three Raft replicas joined to a real (in-process) ZooKeeper: they announce themselves, follow the
 * map, the leader reports itself into its group record (and a new leader after a transfer), and the
 * group keeps serving while ZooKeeper is down.
 */
@Timeout(120)
class ClusterAgentTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static TestServer leader(List<TestServer> nodes) {
        return nodes.stream().filter(n -> n.server().node().writePath().acceptsWrites()).findFirst().orElse(null);
    }

    @Test
    void serversFollowTheMapAndReportTheirLeader() throws Exception {
        int[] resp = {freePort(), freePort(), freePort()};
        int[] raft = {freePort(), freePort(), freePort()};
        StringBuilder peers = new StringBuilder();
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            peers.append(i > 0 ? "," : "").append("n").append(i + 1).append("=127.0.0.1:").append(raft[i]).append(':').append(resp[i]);
            members.add(new Member("n" + (i + 1), "127.0.0.1", raft[i], resp[i], false));
        }
        List<TestServer> nodes = new ArrayList<>();
        try (TestingServer zk = new TestingServer(true)) {
            CuratorFramework admin = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100));
            admin.start();
            ClusterStore store = new ClusterStore(admin, "it");
            // what the coordinator will do: the group with its members, all slots to it
            store.setGroup(new Group("g1", members, null, 0), -1);
            store.setTopology(Topology.empty().assign(0, 16383, "g1"), store.topology());
            for (int i = 0; i < 3; i++) {
                Map<String, String> cfg = new HashMap<>(Map.of("raft-id", "n" + (i + 1), "raft-peers", peers.toString(),
                        "port", Integer.toString(resp[i]), "raft-election-min-ms", "150", "raft-election-max-ms", "300"));
                cfg.put("cluster-zk", zk.getConnectString());
                cfg.put("cluster-name", "it");
                nodes.add(new TestServer(cfg));
            }
            // announced, map received
            await().atMost(Duration.ofSeconds(20)).until(() -> store.servers().size() == 3);
            assertThat(store.servers()).anySatisfy(s -> {
                assertThat(s.id()).isEqualTo("n2");
                assertThat(s.respPort()).isEqualTo(resp[1]);
                assertThat(s.raftPort()).isEqualTo(raft[1]);
                assertThat(s.groups()).containsExactly("g1");
            });
            for (TestServer n : nodes) {
                await().atMost(Duration.ofSeconds(20)).until(() -> n.server().node().cluster().enabled()
                        && n.server().node().cluster().map().epoch() == 1);
            }
            // the leader reports itself; every server's map shows it
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(nodes) != null);
            TestServer lead = leader(nodes);
            String leadId = "n" + (nodes.indexOf(lead) + 1);
            await().atMost(Duration.ofSeconds(20)).until(() -> nodes.stream().allMatch(n -> {
                ClusterMap m = n.server().node().cluster().map();
                return leadId.equals(m.groups().get("g1").leader());
            }));
            long term1 = store.group("g1").value().leaderTerm();
            assertThat(term1).isPositive();

            // leadership moves: the record follows within a report period or two
            String target = leadId.equals("n1") ? "n2" : "n1";
            try (RespConnection c = new RespConnection(lead.port())) {
                assertThat(c.call("BASALT RAFT TRANSFER " + target)).isEqualTo("+OK\r\n");
            }
            long t0 = System.nanoTime();
            await().atMost(Duration.ofSeconds(20)).until(() -> target.equals(store.group("g1").value().leader()));
            System.out.println("leader record updated " + (System.nanoTime() - t0) / 1_000_000 + " ms after the transfer returned");
            assertThat(store.group("g1").value().leaderTerm()).isGreaterThan(term1);
            TestServer newLead = nodes.get(Integer.parseInt(target.substring(1)) - 1);

            // ZooKeeper goes away: the group keeps serving its slots from the last map
            zk.stop();
            try (RespConnection c = new RespConnection(newLead.port())) {
                await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> c.call("SET during-zk-outage 1").equals("+OK\r\n"));
                assertThat(c.call("GET during-zk-outage")).isEqualTo("$1\r\n1\r\n");
            }
            assertThat(newLead.server().node().cluster().map().epoch()).isEqualTo(1);
            // and when it is back, the servers announce themselves again
            zk.restart();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> store.servers().size() == 3);
            admin.close();
        } finally {
            for (TestServer n : nodes) {
                n.close();
            }
        }
    }

    /**
     * Spare servers (only an id and ZooKeeper: no --peers) form the group a record names, and ride
     * out a real ZooKeeper session expiry: the session of the leader's ZooKeeper client is closed by
     * the server (a second client with the same session id and password closes it — what Curator's
     * old KillSession did), the ephemeral announcement vanishes with it. Meanwhile the group keeps
     * serving; then the server re-announces itself under a new session, its map watch is back (a
     * newer epoch that moves half the slots away is followed: MOVED for them), and it still
     * reports leadership changes.
     */
    @Test
    void sparesFormTheirGroupAndSurviveASessionExpiry() throws Exception {
        int[] resp = {freePort(), freePort(), freePort()};
        int[] raft = {freePort(), freePort(), freePort()};
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            members.add(new Member("s" + (i + 1), "127.0.0.1", raft[i], resp[i], false));
        }
        List<TestServer> nodes = new ArrayList<>();
        try (TestingServer zk = new TestingServer(true);
                CuratorFramework admin = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            admin.start();
            ClusterStore store = new ClusterStore(admin, "exp");
            for (int i = 0; i < 3; i++) {
                Map<String, String> cfg = new HashMap<>(Map.of("raft-id", "s" + (i + 1), "raft-port", Integer.toString(raft[i]),
                        "port", Integer.toString(resp[i]), "raft-election-min-ms", "150", "raft-election-max-ms", "300"));
                cfg.put("cluster-zk", zk.getConnectString());
                cfg.put("cluster-name", "exp");
                cfg.put("cluster-zk-session-ms", "4000");
                nodes.add(new TestServer(cfg));
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> store.servers().size() == 3);
            assertThat(store.servers()).allSatisfy(s -> assertThat(s.groups()).as("spares host nothing").isEmpty());
            assertThat(leader(nodes)).as("no group before the record names them").isNull();
            // the coordinator's create-group + assign-slots
            store.setGroup(new Group("g1", members, null, 0), -1);
            store.setTopology(Topology.empty().assign(0, 16383, "g1"), store.topology());
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(nodes) != null && store.group("g1").value().leader() != null);
            await().atMost(Duration.ofSeconds(10)).until(() -> store.servers().stream().allMatch(s -> s.groups().equals(List.of("g1"))));
            TestServer lead = leader(nodes);

            ClusterAgent agent = lead.server().node().clusterAgent();
            org.apache.zookeeper.ZooKeeper session = agent.curator().getZookeeperClient().getZooKeeper();
            String me = lead.server().node().cluster().serverId();
            long owner = admin.checkExists().forPath(store.serversPath() + "/" + me).getEphemeralOwner();
            assertThat(owner).isEqualTo(session.getSessionId());
            java.util.concurrent.CountDownLatch connected = new java.util.concurrent.CountDownLatch(1);
            org.apache.zookeeper.ZooKeeper killer = new org.apache.zookeeper.ZooKeeper(zk.getConnectString(), 4000, e -> {
                if (e.getState() == org.apache.zookeeper.Watcher.Event.KeeperState.SyncConnected) {
                    connected.countDown();
                }
            }, session.getSessionId(), session.getSessionPasswd());
            assertThat(connected.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
            killer.close(); // the server ends the session: its ephemeral nodes go, the owner sees Expired
            long expired = System.nanoTime();
            try (RespConnection c = new RespConnection(lead.port())) {
                assertThat(c.call("SET {bar}after-expiry 1")).as("writes continue without a ZooKeeper session").isEqualTo("+OK\r\n");
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                org.apache.zookeeper.data.Stat st = admin.checkExists().forPath(store.serversPath() + "/" + me);
                return st != null && st.getEphemeralOwner() != owner;
            });
            System.out.println("re-announced under a new session " + (System.nanoTime() - expired) / 1_000_000 + " ms after the expiry");
            assertThat(store.servers()).filteredOn(s -> s.id().equals(me)).singleElement()
                    .satisfies(s -> assertThat(s.groups()).containsExactly("g1"));

            // the map watch lives on: a newer epoch gives slots 8192..16383 to another group
            store.setGroup(new Group("g2", List.of(new Member("other", "127.0.0.1", 1, 6999, false)), "other", 1), -1);
            store.setTopology(store.topology().value().assign(8192, 16383, "g2"), store.topology());
            String moved = "{x}"; // slot 16287
            await().atMost(Duration.ofSeconds(20)).until(() -> lead.server().node().cluster().map().epoch() == 2);
            try (RespConnection c = new RespConnection(lead.port())) {
                assertThat(c.call("SET " + moved + " 1")).startsWith("-MOVED 16287 127.0.0.1:6999");
                assertThat(c.call("GET {bar}after-expiry")).isEqualTo("$1\r\n1\r\n");
            }
            // and it still reports leadership: transfer away, the successor's report lands
            String target = me.equals("s1") ? "s2" : "s1";
            try (RespConnection c = new RespConnection(lead.port())) {
                assertThat(c.call("BASALT RAFT TRANSFER " + target)).isEqualTo("+OK\r\n");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> target.equals(store.group("g1").value().leader()));
        } finally {
            for (TestServer n : nodes) {
                n.close();
            }
        }
    }
}
