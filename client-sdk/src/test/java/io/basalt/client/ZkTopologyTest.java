package io.basalt.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.routing.cluster.ClusterStore;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;

/**
 * The SDK's view of the map, against a real in-process ZooKeeper (no servers: nothing is
 * connected, only the partitions Lettuce would route by are checked).
 */
class ZkTopologyTest {

    static Group group(String id, int base, String leader, long term) {
        return new Group(id, List.of(
                new Member("n" + base, "127.0.0.1", 9000 + base, 7000 + base, false),
                new Member("n" + (base + 1), "127.0.0.1", 9001 + base, 7001 + base, false),
                new Member("n" + (base + 2), "127.0.0.1", 9002 + base, 7002 + base, true)), leader, term);
    }

    @Test
    void partitionsFollowTheMapByPush() throws Exception {
        try (TestingServer zk = new TestingServer(true);
                CuratorFramework cf = CuratorFrameworkFactory.newClient(zk.getConnectString(), new RetryOneTime(100))) {
            cf.start();
            ClusterStore store = new ClusterStore(cf, "t");
            store.setGroup(group("g1", 1, "n2", 3), -1);
            store.setGroup(group("g2", 4, null, 0), -1);
            ClusterStore.Versioned<Topology> t0 = store.topology();
            store.setTopology(Topology.empty().assign(0, 8191, "g1"), t0);

            try (BasaltClient client = BasaltClient.create(zk.getConnectString(), "t")) {
                Partitions p = client.lettuce().getPartitions();
                assertThat(p).hasSize(6);
                RedisClusterNode master = p.getPartitionBySlot(100);
                assertThat(master.getNodeId()).isEqualTo(ClusterMap.nodeId("n2"));
                assertThat(master.is(NodeFlag.UPSTREAM)).isTrue();
                assertThat(master.getUri().getPort()).isEqualTo(7002);
                assertThat(p.getPartitionByNodeId(ClusterMap.nodeId("n1")).getSlaveOf()).isEqualTo(ClusterMap.nodeId("n2"));
                assertThat(p.getPartitionByNodeId(ClusterMap.nodeId("n3")).is(NodeFlag.REPLICA)).isTrue();
                assertThat(p.getPartitionBySlot(9000)).isNull(); // unassigned

                // a new leader and new slots: pushed, no polling
                long t = System.nanoTime();
                ClusterStore.Versioned<Group> g1 = store.group("g1");
                store.setGroup(g1.value().withLeader("n1", 4), g1.version());
                ClusterStore.Versioned<Group> g2 = store.group("g2");
                store.setGroup(g2.value().withLeader("n6", 1), g2.version());
                ClusterStore.Versioned<Topology> t1 = store.topology();
                store.setTopology(t1.value().assign(8192, 16383, "g2"), t1);
                long deadline = System.currentTimeMillis() + 1_000;
                while (System.currentTimeMillis() < deadline) {
                    RedisClusterNode a = client.lettuce().getPartitions().getPartitionBySlot(100);
                    RedisClusterNode b = client.lettuce().getPartitions().getPartitionBySlot(9000);
                    if (a != null && a.getNodeId().equals(ClusterMap.nodeId("n1")) && b != null
                            && b.getNodeId().equals(ClusterMap.nodeId("n6"))) {
                        break;
                    }
                    Thread.sleep(5);
                }
                assertThat(client.lettuce().getPartitions().getPartitionBySlot(100).getNodeId()).isEqualTo(ClusterMap.nodeId("n1"));
                assertThat(client.lettuce().getPartitions().getPartitionBySlot(9000).getNodeId()).isEqualTo(ClusterMap.nodeId("n6"));
                System.out.printf("map change applied in %d ms%n", (System.nanoTime() - t) / 1_000_000);
                assertThat(client.clusterMap().epoch()).isEqualTo(2);
                assertThat(client.meterRegistry().get("basalt.client.topology.refreshes").tag("source", "zookeeper")
                        .counter().count()).isGreaterThanOrEqualTo(2);
            }
        }
    }

    @Test
    void neverGoesBackInEpochOrLeaderTerm() {
        ClusterMap newer = new ClusterMap(new Topology(5, List.of()), Map.of("g1", group("g1", 1, "n2", 7)));
        ClusterMap older = new ClusterMap(new Topology(4, List.of()), Map.of("g1", group("g1", 1, "n1", 9)));
        assertThat(ZkTopology.merge(newer, older)).isNull();
        assertThat(ZkTopology.merge(newer, newer)).isNull();
        // same epoch, a stale leader record (lower term): the newer leader stays
        ClusterMap staleLeader = new ClusterMap(new Topology(5, List.of()), Map.of("g1", group("g1", 1, "n1", 6)));
        assertThat(ZkTopology.merge(newer, staleLeader)).isNull();
        ClusterMap nextTerm = new ClusterMap(new Topology(5, List.of()), Map.of("g1", group("g1", 1, "n3", 8)));
        assertThat(ZkTopology.merge(newer, nextTerm).groups().get("g1").leader()).isEqualTo("n3");
    }

    @Test
    void failsClearlyWithoutZooKeeperOrMap() throws Exception {
        try (TestingServer zk = new TestingServer(true)) {
            assertThatThrownBy(() -> BasaltClient.create(zk.getConnectString(), "nothing-here"))
                    .isInstanceOf(BasaltClientException.class).hasMessageContaining("no groups");
        }
        assertThatThrownBy(() -> BasaltClient.create("127.0.0.1:1", "x",
                BasaltClientOptions.builder().zkConnectTimeout(Duration.ofMillis(500)).build()))
                .isInstanceOf(BasaltClientException.class).hasMessageContaining("ZooKeeper");
    }
}
