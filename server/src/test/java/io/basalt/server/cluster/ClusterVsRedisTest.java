package io.basalt.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.SlotRange;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.server.testing.RealRedis;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Same-run comparison with a real one-node Redis 7 Cluster owning all slots: once node ids and ports
 * are made equal, Basalt's replies (single group, this server its leader, map epoch 0) are the same
 * bytes.
 */
class ClusterVsRedisTest {
    static TestServer server;
    static RealRedis redis;
    static Path conf;
    static String redisId;

    @BeforeAll
    static void start() throws Exception {
        Assumptions.assumeTrue(RealRedis.available(), "redis-server not installed");
        conf = Files.createTempFile("nodes", ".conf");
        Files.delete(conf);
        redis = new RealRedis("--cluster-enabled", "yes", "--cluster-config-file", conf.toString(),
                "--cluster-announce-ip", "127.0.0.1");
        try (RespConnection c = new RespConnection(redis.port())) {
            assertThat(c.call("CLUSTER ADDSLOTSRANGE 0 16383")).isEqualTo("+OK\r\n");
            await().atMost(Duration.ofSeconds(10)).until(() -> c.call("CLUSTER INFO").contains("cluster_state:ok"));
            String id = c.call("CLUSTER MYID");
            redisId = id.substring(id.indexOf('\n') + 1, id.length() - 2);
        }
        server = new TestServer();
        server.server().node().cluster().update(new ClusterMap(new Topology(0, List.of(new SlotRange(0, 16383, "g1"))),
                Map.of("g1", new Group("g1", List.of(new Member("standalone", "127.0.0.1", redis.port() + 10000, server.port(), false)),
                        "standalone", 1))));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (redis != null) {
            redis.close();
            Files.deleteIfExists(conf);
        }
    }

    /** Redis's reply with its node id and port replaced by ours. */
    static String normalized(String reply) {
        String me = ClusterState.nodeId("standalone");
        return reply.replace(redisId, me).replace(":" + redis.port(), ":" + server.port());
    }

    @Test
    void sameRepliesAsRedisCluster() throws Exception {
        try (RespConnection b = new RespConnection(server.port()); RespConnection r = new RespConnection(redis.port())) {
            for (int proto : new int[] {2, 3}) {
                if (proto == 3) {
                    b.call("HELLO 3");
                    r.call("HELLO 3");
                }
                for (String cmd : List.of("CLUSTER SLOTS", "CLUSTER SHARDS", "CLUSTER NODES", "CLUSTER INFO", "CLUSTER MYID",
                        "CLUSTER KEYSLOT {a}b", "CLUSTER COUNTKEYSINSLOT 7", "CLUSTER GETKEYSINSLOT 7 3",
                        "CLUSTER COUNTKEYSINSLOT 16384", "CLUSTER GETKEYSINSLOT 0 -1", "ASKING", "READONLY", "READWRITE",
                        "INFO cluster", "SELECT 2")) {
                    assertThat(b.call(cmd)).as(cmd + " RESP" + proto).isEqualTo(normalized(r.call(cmd)));
                }
            }
        }
    }
}
