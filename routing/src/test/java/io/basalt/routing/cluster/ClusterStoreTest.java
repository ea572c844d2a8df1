package io.basalt.routing.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.SlotRange;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.routing.cluster.ClusterStore.Conflict;
import io.basalt.routing.cluster.ClusterStore.ServerInfo;
import io.basalt.routing.cluster.ClusterStore.Versioned;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The cluster map in a real (in-process) ZooKeeper: layout, JSON, compare-and-set, ephemeral servers, watches. */
@Timeout(60)
class ClusterStoreTest {

    private static CuratorFramework client(TestingServer zk) {
        CuratorFramework c = CuratorFrameworkFactory.newClient(zk.getConnectString(), 5_000, 5_000, new RetryOneTime(100));
        c.start();
        return c;
    }

    private static Group group(String id, String leader, int base) {
        return new Group(id, List.of(new Member("s" + base, "127.0.0.1", 9000 + base, 7000 + base, false),
                new Member("s" + (base + 1), "127.0.0.1", 9001 + base, 7001 + base, false),
                new Member("s" + (base + 2), "127.0.0.1", 9002 + base, 7002 + base, true)), leader, leader == null ? 0 : 1);
    }

    @Test
    void topologyAssignsRangesAndRaisesTheEpoch() {
        Topology t = Topology.empty().assign(0, 16383, "g1");
        assertThat(t.epoch()).isEqualTo(1);
        assertThat(t.ownerOf(0)).isEqualTo("g1");
        assertThat(t.ownerOf(16383)).isEqualTo("g1");
        Topology t2 = t.assign(8192, 16383, "g2").assign(100, 199, "g2");
        assertThat(t2.epoch()).isEqualTo(3);
        assertThat(t2.ranges()).containsExactly(new SlotRange(0, 99, "g1"), new SlotRange(100, 199, "g2"),
                new SlotRange(200, 8191, "g1"), new SlotRange(8192, 16383, "g2"));
        assertThat(t2.count("g1")).isEqualTo(8092);
        assertThat(t2.count("g2")).isEqualTo(8292);
        // handing a range back merges adjacent ranges of one owner
        assertThat(t2.assign(100, 199, "g1").ranges()).containsExactly(new SlotRange(0, 8191, "g1"),
                new SlotRange(8192, 16383, "g2"));
        assertThat(t2.assign(0, 8191, null).ownerOf(5)).isNull();
        assertThatThrownBy(() -> t.assign(10, 5, "g1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Topology(1, List.of(new SlotRange(0, 10, "a"), new SlotRange(5, 20, "b"))))
                .hasMessageContaining("overlapping");
    }

    @Test
    void writesAreCompareAndSetAndTheMapRoundTrips() throws Exception {
        try (TestingServer zk = new TestingServer(true); CuratorFramework c = client(zk); CuratorFramework other = client(zk)) {
            ClusterStore store = new ClusterStore(c, "test");
            ClusterStore store2 = new ClusterStore(other, "test");
            Versioned<Topology> none = store.topology();
            assertThat(none.value()).isNull();
            assertThat(none.version()).isEqualTo(-1);

            store.setTopology(Topology.empty().assign(0, 16383, "g1"), none);
            store.setGroup(group("g1", "s1", 1), -1);
            store.setGroup(group("g2", null, 4), -1);
            ClusterMap m = store2.map();
            assertThat(m.epoch()).isEqualTo(1);
            assertThat(m.ownerOf(12345).id()).isEqualTo("g1");
            assertThat(m.ownerOf(12345).leaderMember().respAddress()).isEqualTo("127.0.0.1:7001");
            assertThat(m.groups().get("g2")).isEqualTo(group("g2", null, 4));

            // two writers read the same version: the second one's write is refused, not lost silently
            Versioned<Topology> a = store.topology();
            Versioned<Topology> b = store2.topology();
            store.setTopology(a.value().assign(8192, 16383, "g2"), a);
            assertThatThrownBy(() -> store2.setTopology(b.value().assign(0, 100, "g2"), b)).isInstanceOf(Conflict.class);
            // a topology that does not raise the epoch is refused even at the right version
            Versioned<Topology> now = store.topology();
            assertThatThrownBy(() -> store.setTopology(new Topology(now.value().epoch(), now.value().ranges()), now))
                    .isInstanceOf(Conflict.class).hasMessageContaining("does not raise");
            assertThatThrownBy(() -> store.setGroup(group("g1", "s2", 1), -1)).isInstanceOf(Conflict.class);
            Versioned<Group> g1 = store.group("g1");
            store.setGroup(g1.value().withLeader("s2", 2), g1.version());
            assertThatThrownBy(() -> store2.setGroup(g1.value().withLeader("s3", 2), g1.version())).isInstanceOf(Conflict.class);
            assertThat(store2.map().groups().get("g1").leader()).isEqualTo("s2");
            assertThat(store2.map().ownerOf(9000).id()).isEqualTo("g2");
            assertThatThrownBy(() -> new ClusterStore(c, "bad/name")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void serversAreEphemeralAndWatchersSeeEveryChangeInEpochOrder() throws Exception {
        try (TestingServer zk = new TestingServer(true); CuratorFramework c = client(zk)) {
            ClusterStore store = new ClusterStore(c, "w");
            CuratorFramework serverSession = client(zk);
            new ClusterStore(serverSession, "w").register(new ServerInfo("s1", "127.0.0.1", 7001, 9001, List.of("g1")));
            assertThat(store.servers()).containsExactly(new ServerInfo("s1", "127.0.0.1", 7001, 9001, List.of("g1")));
            serverSession.close(); // the server's session ends: it is gone from the map of live servers
            await().atMost(Duration.ofSeconds(10)).until(() -> store.servers().isEmpty());

            List<ClusterMap> seen = new CopyOnWriteArrayList<>();
            try (AutoCloseable w = store.watch(seen::add)) {
                await().atMost(Duration.ofSeconds(10)).until(() -> !seen.isEmpty());
                assertThat(seen.get(seen.size() - 1).epoch()).isZero();
                store.setGroup(group("g1", "s1", 1), -1);
                store.setTopology(Topology.empty().assign(0, 16383, "g1"), store.topology());
                await().atMost(Duration.ofSeconds(10)).until(() -> seen.get(seen.size() - 1).epoch() == 1
                        && seen.get(seen.size() - 1).groups().containsKey("g1"));
                Versioned<Group> g = store.group("g1");
                store.setGroup(g.value().withLeader("s2", 2), g.version()); // a leader change, same epoch
                await().atMost(Duration.ofSeconds(10)).until(() -> "s2".equals(seen.get(seen.size() - 1).groups().get("g1").leader()));
                for (int i = 1; i < seen.size(); i++) {
                    assertThat(seen.get(i).epoch()).isGreaterThanOrEqualTo(seen.get(i - 1).epoch());
                }
            }
        }
    }
}
