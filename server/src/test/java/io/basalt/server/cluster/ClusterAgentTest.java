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
}
