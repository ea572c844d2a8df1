package io.basalt.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.SlotRange;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisCluster;

/** Real Redis Cluster clients against one server owning all 16384 slots (a single-group map). */
class ClusterClientsTest {
    static TestServer server;

    @BeforeAll
    static void start() {
        server = new TestServer();
        ClusterMap map = new ClusterMap(new Topology(1, List.of(new SlotRange(0, 16383, "g1"))),
                Map.of("g1", new Group("g1", List.of(new Member("standalone", "127.0.0.1", 7001, server.port(), false)),
                        "standalone", 1)));
        server.server().node().cluster().update(map);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void lettuceClusterClient() {
        RedisClusterClient client = RedisClusterClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(server.port())
                .withTimeout(Duration.ofSeconds(10)).build());
        try (StatefulRedisClusterConnection<String, String> conn = client.connect()) {
            RedisAdvancedClusterCommands<String, String> c = conn.sync();
            assertThat(client.getPartitions().size()).isEqualTo(1);
            Map<String, String> kv = new HashMap<>();
            for (int i = 0; i < 200; i++) {
                assertThat(c.set("lk" + i, "v" + i)).isEqualTo("OK");
                kv.put("lk" + i, "v" + i);
            }
            for (int i = 0; i < 200; i++) {
                assertThat(c.get("lk" + i)).isEqualTo("v" + i);
            }
            List<String> keys = new ArrayList<>(kv.keySet());
            List<KeyValue<String, String>> got = c.mget(keys.toArray(new String[0]));
            assertThat(got).hasSize(200);
            for (KeyValue<String, String> e : got) {
                assertThat(e.getValue()).isEqualTo(kv.get(e.getKey()));
            }
            assertThat(c.mset(Map.of("{x}1", "a", "{x}2", "b", "y", "c"))).isEqualTo("OK");
            assertThat(c.get("y")).isEqualTo("c");
            assertThat(c.dbsize()).isGreaterThanOrEqualTo(203L);
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        }
    }

    @Test
    void jedisCluster() {
        try (JedisCluster jc = new JedisCluster(Set.of(new HostAndPort("127.0.0.1", server.port())), 10_000, 10_000, 3,
                null, new org.apache.commons.pool2.impl.GenericObjectPoolConfig<>())) {
            for (int i = 0; i < 100; i++) {
                assertThat(jc.set("jk" + i, "v" + i)).isEqualTo("OK");
            }
            for (int i = 0; i < 100; i++) {
                assertThat(jc.get("jk" + i)).isEqualTo("v" + i);
            }
            assertThat(jc.mget("{t}a", "{t}b")).containsExactly(null, null);
        }
    }

    @Test
    void redisCliFollowsTheCluster() throws Exception {
        assertThat(cli("-c", "-p", Integer.toString(server.port()), "SET", "clikey", "hello")).isEqualTo("OK");
        assertThat(cli("-c", "-p", Integer.toString(server.port()), "GET", "clikey")).isEqualTo("hello");
        assertThat(cli("-p", Integer.toString(server.port()), "CLUSTER", "KEYSLOT", "clikey")).matches("\\d+");
    }

    static String cli(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add("redis-cli");
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        p.getInputStream().transferTo(out);
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return out.toString(StandardCharsets.UTF_8).trim();
    }
}
