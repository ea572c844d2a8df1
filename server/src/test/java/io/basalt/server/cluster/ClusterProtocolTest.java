package io.basalt.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.SlotRange;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.routing.slots.SlotHash;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis Cluster protocol answered from a cluster map put straight into the server: this server
 * ("standalone" in group g1) owns slots 0-8191, a fake group g2 elsewhere owns 8192-16383. Expected
 * replies follow Redis 7.0.15 Cluster's shapes byte for byte (captured from a real cluster).
 */
class ClusterProtocolTest {
    static TestServer plain;
    static TestServer server;
    static long epoch = 10;

    static final String ME = ClusterState.nodeId("standalone");
    static final String B = ClusterState.nodeId("b");
    static final String C = ClusterState.nodeId("c");
    static final String D = ClusterState.nodeId("d");

    @BeforeAll
    static void start() {
        plain = new TestServer();
        server = new TestServer();
    }

    @AfterAll
    static void stop() {
        plain.close();
        server.close();
    }

    @BeforeEach
    void reset() {
        install(twoGroups(true));
        server.flush();
    }

    static Map<String, Group> twoGroupsGroups(boolean g2Leader) {
        Map<String, Group> groups = new LinkedHashMap<>();
        groups.put("g1", new Group("g1", List.of(
                new Member("standalone", "127.0.0.1", 7001, server.port(), false),
                new Member("b", "10.0.0.5", 7005, 6385, true)), "standalone", 3));
        groups.put("g2", new Group("g2", List.of(
                new Member("c", "10.0.0.2", 7002, 6380, false),
                new Member("d", "10.0.0.3", 7003, 6381, false)), g2Leader ? "c" : null, 5));
        return groups;
    }

    static ClusterMap twoGroups(boolean g2Leader) {
        return new ClusterMap(new Topology(0, List.of(new SlotRange(0, 8191, "g1"), new SlotRange(8192, 16383, "g2"))),
                twoGroupsGroups(g2Leader));
    }

    /** Installs {@code map} with the next epoch (the server only takes rising epochs). */
    static void install(ClusterMap map) {
        epoch++;
        ClusterMap m = new ClusterMap(new Topology(epoch, map.topology().ranges()), map.groups());
        assertThat(server.server().node().cluster().update(m)).isTrue();
    }

    /** A key whose slot is in [from, to]. */
    static String keyIn(int from, int to, String prefix) {
        for (int i = 0; ; i++) {
            String k = prefix + i;
            int s = SlotHash.slot(k);
            if (s >= from && s <= to) {
                return k;
            }
        }
    }

    static String bulk(String s) {
        return "$" + s.length() + "\r\n" + s + "\r\n";
    }

    @Test
    void withoutClusterModeEverySubcommandSaysDisabled() throws Exception {
        try (RespConnection c = new RespConnection(plain.port())) {
            for (String cmd : List.of("CLUSTER SLOTS", "CLUSTER SHARDS", "CLUSTER NODES", "CLUSTER MYID", "CLUSTER INFO",
                    "CLUSTER KEYSLOT foo", "CLUSTER COUNTKEYSINSLOT 5", "CLUSTER GETKEYSINSLOT 5 10", "CLUSTER HELP",
                    "ASKING", "READONLY", "READWRITE")) {
                assertThat(c.call(cmd)).as(cmd).isEqualTo("-ERR This instance has cluster support disabled\r\n");
            }
            assertThat(c.call("CLUSTER FOO")).isEqualTo("-ERR unknown subcommand 'FOO'. Try CLUSTER HELP.\r\n");
            assertThat(c.call("CLUSTER KEYSLOT")).isEqualTo("-ERR wrong number of arguments for 'cluster|keyslot' command\r\n");
            assertThat(c.call("INFO cluster")).isEqualTo("$30\r\n# Cluster\r\ncluster_enabled:0\r\n\r\n");
            // no routing without a map
            assertThat(c.call("SET " + keyIn(8192, 16383, "k") + " v")).isEqualTo("+OK\r\n");
        }
    }

    @Test
    void slots() throws Exception {
        String g1 = "*4\r\n:0\r\n:8191\r\n"
                + "*4\r\n" + bulk("127.0.0.1") + ":" + server.port() + "\r\n" + bulk(ME) + "%0\r\n"
                + "*4\r\n" + bulk("10.0.0.5") + ":6385\r\n" + bulk(B) + "%0\r\n";
        String g2 = "*4\r\n:8192\r\n:16383\r\n"
                + "*4\r\n" + bulk("10.0.0.2") + ":6380\r\n" + bulk(C) + "%0\r\n"
                + "*4\r\n" + bulk("10.0.0.3") + ":6381\r\n" + bulk(D) + "%0\r\n";
        try (RespConnection c = new RespConnection(server.port())) {
            assertThat(c.call("CLUSTER SLOTS")).isEqualTo(("*2\r\n" + g1 + g2).replace("%0", "*0"));
            c.call("HELLO 3");
            assertThat(c.call("CLUSTER SLOTS")).isEqualTo("*2\r\n" + g1 + g2);
            // a group without a known leader serves no slot
            install(twoGroups(false));
            assertThat(c.call("cluster slots")).isEqualTo("*1\r\n" + g1);
        }
    }

    static String shardNode(String id, int port, String ip, String role) {
        return "%7\r\n" + bulk("id") + bulk(id) + bulk("port") + ":" + port + "\r\n" + bulk("ip") + bulk(ip)
                + bulk("endpoint") + bulk(ip) + bulk("role") + bulk(role) + bulk("replication-offset") + ":0\r\n"
                + bulk("health") + bulk("online");
    }

    @Test
    void shards() throws Exception {
        String g1 = "%2\r\n" + bulk("slots") + "*2\r\n:0\r\n:8191\r\n" + bulk("nodes") + "*2\r\n"
                + shardNode(ME, server.port(), "127.0.0.1", "master") + shardNode(B, 6385, "10.0.0.5", "replica");
        String g2 = "%2\r\n" + bulk("slots") + "*2\r\n:8192\r\n:16383\r\n" + bulk("nodes") + "*2\r\n"
                + shardNode(C, 6380, "10.0.0.2", "master") + shardNode(D, 6381, "10.0.0.3", "replica");
        try (RespConnection c = new RespConnection(server.port())) {
            assertThat(c.call("CLUSTER SHARDS")).isEqualTo(("*2\r\n" + g1 + g2).replaceAll("%(\\d)", "*$1$1")
                    .replace("*22", "*4").replace("*77", "*14"));
            c.call("HELLO 3");
            assertThat(c.call("CLUSTER SHARDS")).isEqualTo("*2\r\n" + g1 + g2);
            install(twoGroups(false));
            assertThat(c.call("CLUSTER SHARDS")).isEqualTo("*2\r\n" + g1 + g2
                    .replace(shardNode(C, 6380, "10.0.0.2", "master"), shardNode(C, 6380, "10.0.0.2", "replica")));
        }
    }

    @Test
    void nodes() throws Exception {
        int port = server.port();
        String text = ME + " 127.0.0.1:" + port + "@7001 myself,master - 0 0 " + (epoch) + " connected 0-8191\n"
                + B + " 10.0.0.5:6385@7005 slave " + ME + " 0 0 " + epoch + " connected\n"
                + C + " 10.0.0.2:6380@7002 master - 0 0 " + epoch + " connected 8192-16383\n"
                + D + " 10.0.0.3:6381@7003 slave " + C + " 0 0 " + epoch + " connected\n";
        try (RespConnection c = new RespConnection(server.port())) {
            assertThat(c.call("CLUSTER NODES")).isEqualTo("$" + text.length() + "\r\n" + text + "\r\n");
            c.call("HELLO 3");
            assertThat(c.call("CLUSTER NODES")).isEqualTo("=" + (text.length() + 4) + "\r\ntxt:" + text + "\r\n");
            // single slots and split ranges; a leaderless group's members are replicas of nobody
            Map<String, Group> groups = twoGroupsGroups(false);
            install(new ClusterMap(new Topology(0, List.of(new SlotRange(0, 0, "g1"), new SlotRange(1, 100, "g2"),
                    new SlotRange(101, 16383, "g1"))), groups));
            String t2 = ME + " 127.0.0.1:" + port + "@7001 myself,master - 0 0 " + epoch + " connected 0 101-16383\n"
                    + B + " 10.0.0.5:6385@7005 slave " + ME + " 0 0 " + epoch + " connected\n"
                    + C + " 10.0.0.2:6380@7002 slave - 0 0 " + epoch + " connected\n"
                    + D + " 10.0.0.3:6381@7003 slave - 0 0 " + epoch + " connected\n";
            assertThat(c.call("CLUSTER NODES")).isEqualTo("=" + (t2.length() + 4) + "\r\ntxt:" + t2 + "\r\n");
        }
    }

    @Test
    void infoMyidAndKeyHelpers() throws Exception {
        try (RespConnection c = new RespConnection(server.port())) {
            String info = "cluster_state:ok\r\ncluster_slots_assigned:16384\r\ncluster_slots_ok:16384\r\n"
                    + "cluster_slots_pfail:0\r\ncluster_slots_fail:0\r\ncluster_known_nodes:4\r\ncluster_size:2\r\n"
                    + "cluster_current_epoch:" + epoch + "\r\ncluster_my_epoch:" + epoch + "\r\n"
                    + "cluster_stats_messages_sent:0\r\ncluster_stats_messages_received:0\r\n"
                    + "total_cluster_links_buffer_limit_exceeded:0\r\n";
            assertThat(c.call("CLUSTER INFO")).isEqualTo("$" + info.length() + "\r\n" + info + "\r\n");
            assertThat(c.call("CLUSTER MYID")).isEqualTo(bulk(ME));
            assertThat(c.call("INFO cluster")).isEqualTo("$30\r\n# Cluster\r\ncluster_enabled:1\r\n\r\n");
            assertThat(c.call("INFO")).contains("# Cluster\r\ncluster_enabled:1\r\n");
            assertThat(c.call("CLUSTER KEYSLOT foo")).isEqualTo(":12182\r\n");
            assertThat(c.call("CLUSTER KEYSLOT {user1}.a")).isEqualTo(":" + SlotHash.slot("user1") + "\r\n");

            String tag = keyIn(0, 8191, "t");
            int slot = SlotHash.slot(tag);
            for (int i = 0; i < 5; i++) {
                assertThat(c.call("SET {" + tag + "}" + i + " v")).isEqualTo("+OK\r\n");
            }
            assertThat(c.call("CLUSTER COUNTKEYSINSLOT " + slot)).isEqualTo(":5\r\n");
            assertThat(c.call("CLUSTER COUNTKEYSINSLOT " + (slot == 0 ? 1 : slot - 1))).isEqualTo(":0\r\n");
            assertThat(c.call("CLUSTER GETKEYSINSLOT " + slot + " 3")).startsWith("*3\r\n");
            String all = c.call("CLUSTER GETKEYSINSLOT " + slot + " 100");
            assertThat(all).startsWith("*5\r\n");
            for (int i = 0; i < 5; i++) {
                assertThat(all).contains("{" + tag + "}" + i + "\r\n");
            }
            assertThat(c.call("CLUSTER GETKEYSINSLOT " + slot + " 0")).isEqualTo("*0\r\n");
            assertThat(c.call("CLUSTER COUNTKEYSINSLOT 16384")).isEqualTo("-ERR Invalid slot\r\n");
            assertThat(c.call("CLUSTER COUNTKEYSINSLOT -1")).isEqualTo("-ERR Invalid slot\r\n");
            assertThat(c.call("CLUSTER COUNTKEYSINSLOT x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(c.call("CLUSTER GETKEYSINSLOT 1 -1")).isEqualTo("-ERR Invalid slot or number of keys\r\n");
            assertThat(c.call("CLUSTER GETKEYSINSLOT 16384 1")).isEqualTo("-ERR Invalid slot or number of keys\r\n");
            assertThat(c.call("CLUSTER GETKEYSINSLOT 1 x")).isEqualTo("-ERR value is not an integer or out of range\r\n");
            assertThat(c.call("SELECT 1")).isEqualTo("-ERR SELECT is not allowed in cluster mode\r\n");
            assertThat(c.call("SELECT 0")).isEqualTo("+OK\r\n");
            assertThat(c.call("ASKING")).isEqualTo("+OK\r\n");
            assertThat(c.call("READONLY")).isEqualTo("+OK\r\n");
            assertThat(c.call("READWRITE")).isEqualTo("+OK\r\n");
            assertThat(c.call("CLUSTER HELP")).startsWith("*21\r\n+CLUSTER <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n");

            // leaderless g2: its slots fail
            install(twoGroups(false));
            assertThat(c.call("CLUSTER INFO")).contains("cluster_state:fail\r\n", "cluster_slots_assigned:16384\r\n",
                    "cluster_slots_ok:8192\r\n", "cluster_slots_fail:8192\r\n");
            // a hole: not all slots assigned
            install(new ClusterMap(new Topology(0, List.of(new SlotRange(0, 99, "g1"))), twoGroupsGroups(true)));
            assertThat(c.call("CLUSTER INFO")).contains("cluster_state:fail\r\n", "cluster_slots_assigned:100\r\n",
                    "cluster_slots_ok:100\r\n", "cluster_slots_fail:0\r\n", "cluster_size:1\r\n");
        }
    }

    @Test
    void redirects() throws Exception {
        String mine = keyIn(0, 8191, "a");
        String mine2 = keyIn(0, 8191, "b");
        String theirs = keyIn(8192, 16383, "c");
        int theirSlot = SlotHash.slot(theirs);
        assertThat(SlotHash.slot(mine)).isNotEqualTo(SlotHash.slot(mine2));
        try (RespConnection c = new RespConnection(server.port())) {
            assertThat(c.call("SET " + mine + " 1")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET " + theirs + " 1")).isEqualTo("-MOVED " + theirSlot + " 10.0.0.2:6380\r\n");
            assertThat(c.call("GET " + theirs)).isEqualTo("-MOVED " + theirSlot + " 10.0.0.2:6380\r\n");
            // READONLY reads locally only what this group owns
            c.call("READONLY");
            assertThat(c.call("GET " + theirs)).isEqualTo("-MOVED " + theirSlot + " 10.0.0.2:6380\r\n");
            c.call("READWRITE");
            // several slots of this server's group: fine (unlike Redis Cluster)
            assertThat(c.call("MSET " + mine + " x " + mine2 + " y")).isEqualTo("+OK\r\n");
            assertThat(c.call("MGET " + mine + " " + mine2)).isEqualTo("*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
            assertThat(c.call("MGET " + mine + " " + theirs)).isEqualTo("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
            assertThat(c.call("MGET " + theirs + " " + mine)).isEqualTo("-CROSSSLOT Keys in request don't hash to the same slot\r\n");
            // CLIENT REPLY SKIP skips just the redirect
            c.send("CLIENT REPLY SKIP");
            c.send("GET " + theirs);
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            // commands without keys run here
            assertThat(c.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(c.call("DBSIZE")).isEqualTo(":2\r\n");
            // scripts are routed by their declared keys
            assertThat(c.call("EVAL \"return redis.call('get', KEYS[1])\" 1 " + theirs))
                    .isEqualTo("-MOVED " + theirSlot + " 10.0.0.2:6380\r\n");
            assertThat(c.call("EVAL \"return redis.call('get', KEYS[1])\" 1 " + mine)).isEqualTo("$1\r\nx\r\n");
            // a group without a known leader
            install(twoGroups(false));
            assertThat(c.call("SET " + theirs + " 1")).isEqualTo("-CLUSTERDOWN The cluster is down\r\n");
            assertThat(c.call("SET " + mine + " 1")).isEqualTo("+OK\r\n");
            // a slot no group owns
            install(new ClusterMap(new Topology(0, List.of(new SlotRange(0, 8191, "g1"))), twoGroupsGroups(true)));
            assertThat(c.call("GET " + theirs)).isEqualTo("-CLUSTERDOWN Hash slot not served\r\n");
            assertThat(c.call("MGET " + mine + " " + theirs)).isEqualTo("-CLUSTERDOWN Hash slot not served\r\n");
            assertThat(c.call("INFO errorstats")).contains("errorstat_CLUSTERDOWN:count=", "errorstat_MOVED:count=",
                    "errorstat_CROSSSLOT:count=2");
        }
    }

    @Test
    void transactions() throws Exception {
        String mine = keyIn(0, 8191, "a");
        String theirs = keyIn(8192, 16383, "c");
        int theirSlot = SlotHash.slot(theirs);
        try (RespConnection c = new RespConnection(server.port())) {
            // refused at queue time, as Redis Cluster does: the EXEC then aborts
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET " + mine + " 1")).isEqualTo("+QUEUED\r\n");
            assertThat(c.call("SET " + theirs + " 1")).isEqualTo("-MOVED " + theirSlot + " 10.0.0.2:6380\r\n");
            assertThat(c.call("EXEC")).isEqualTo("-EXECABORT Transaction discarded because of previous errors.\r\n");
            assertThat(c.call("EXISTS " + mine)).isEqualTo(":0\r\n");

            // the map changes between queueing and EXEC: nothing applies here
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET " + mine + " 1")).isEqualTo("+QUEUED\r\n");
            int mySlot = SlotHash.slot(mine);
            install(new ClusterMap(new Topology(0, List.of(new SlotRange(0, 16383, "g2"))), twoGroupsGroups(true)));
            assertThat(c.call("EXEC")).isEqualTo("-MOVED " + mySlot + " 10.0.0.2:6380\r\n");
            install(twoGroups(true));
            assertThat(c.call("EXISTS " + mine)).isEqualTo(":0\r\n");
            assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET " + mine + " 1")).isEqualTo("+QUEUED\r\n");
            assertThat(c.call("EXEC")).isEqualTo("*1\r\n+OK\r\n");
        }
    }

    @Test
    void lettuceParsesTheTopology() {
        // only the parsing here: the client cannot reach the fake g2, see ClusterClientsTest for traffic
        List<String> nodes = new ArrayList<>();
        for (String line : server.lettuce().clusterNodes().split("\n")) {
            nodes.add(line);
        }
        var parsed = io.lettuce.core.cluster.models.partitions.ClusterPartitionParser.parse(server.lettuce().clusterNodes());
        assertThat(parsed.size()).isEqualTo(4);
        assertThat(parsed.getPartitionBySlot(0).getNodeId()).isEqualTo(ME);
        assertThat(parsed.getPartitionBySlot(16383).getNodeId()).isEqualTo(C);
        assertThat(parsed.getPartitionByNodeId(D).getSlaveOf()).isEqualTo(C);
        var slots = io.lettuce.core.cluster.models.slots.ClusterSlotsParser.parse(server.lettuce().clusterSlots());
        assertThat(slots).hasSize(2);
        assertThat(slots.get(1).getUpstream().getUri().getPort()).isEqualTo(6380);
        assertThat(nodes).hasSize(4);
    }
}
