package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.client.BasaltClient;
import io.basalt.coordinator.Coordinator;
import io.basalt.routing.slots.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A group added to a running cluster reaches the SDK by push: two spare server processes; g1 is
 * made of one and owns half the slots; the SDK connects; then g2 is created from the other spare
 * (it starts its Raft group from the record) and given the other half, and the SDK routes the new
 * slots within a second of the assignment — no polling, no MOVED needed — and its writes land on
 * the new group's server.
 */
@Timeout(120)
class SdkNewGroupTest {

    @Test
    void aNewGroupIsPickedUpByPushWithinASecond() throws Exception {
        List<ServerProcess> servers = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (TestingServer zk = new TestingServer(true);
                Coordinator coordinator = new Coordinator(zk.getConnectString(), "grow", "127.0.0.1", 0)) {
            for (String id : List.of("a", "b")) {
                Path d = Files.createTempDirectory("basalt-it-grow-" + id);
                dirs.add(d);
                ServerProcess p = new ServerProcess(d).args("--id", id, "--zk", zk.getConnectString(), "--cluster", "grow",
                        "--raft-port", Integer.toString(ServerProcess.freePort()),
                        "--set", "raft-election-min-ms=300", "--set", "raft-election-max-ms=600");
                servers.add(p);
                p.start();
            }
            ProcessCluster.awaitTrue(30_000, "two spares announced", () -> coordinator.store().servers().size() == 2);
            ProcessCluster.awaitTrue(10_000, "the coordinator leads", coordinator::isLeader);
            assertThat(admin(coordinator, "/api/groups", "{\"id\":\"g1\",\"servers\":[\"a\"]}")).isEqualTo(200);
            assertThat(admin(coordinator, "/api/slots", "{\"from\":0,\"to\":8191,\"group\":\"g1\"}")).isEqualTo(200);
            ProcessCluster.awaitTrue(30_000, "g1 has a leader", () -> coordinator.store().group("g1").value().leader() != null);

            String newKey = "k";
            for (int i = 0; SlotHash.slot(newKey.getBytes(StandardCharsets.UTF_8)) < 8192; i++) {
                newKey = "k" + i;
            }
            int newSlot = SlotHash.slot(newKey.getBytes(StandardCharsets.UTF_8));
            try (BasaltClient client = BasaltClient.create(zk.getConnectString(), "grow");
                    StatefulRedisClusterConnection<String, String> conn = client.connect()) {
                assertThat(conn.sync().set("{bar}old", "1")).isEqualTo("OK");
                assertThat(client.lettuce().getPartitions().getPartitionBySlot(newSlot)).isNull();

                assertThat(admin(coordinator, "/api/groups", "{\"id\":\"g2\",\"servers\":[\"b\"]}")).isEqualTo(200);
                ProcessCluster.awaitTrue(30_000, "g2 formed and reported its leader",
                        () -> coordinator.store().group("g2").value().leader() != null);
                long assignAt = System.nanoTime();
                assertThat(admin(coordinator, "/api/slots", "{\"from\":8192,\"to\":16383,\"group\":\"g2\"}")).isEqualTo(200);
                ProcessCluster.awaitTrue(5_000, "the SDK routes slot " + newSlot,
                        () -> client.lettuce().getPartitions().getPartitionBySlot(newSlot) != null);
                long seenMs = ProcessCluster.ms(assignAt);
                System.out.printf("new group g2: the SDK routes its slots %d ms after the assignment began%n", seenMs);
                assertThat(seenMs).as("pushed within a second").isLessThan(TimeUnit.SECONDS.toMillis(1));

                ServerProcess b = servers.get(1);
                ProcessCluster.awaitTrue(30_000, "b serves the map", () -> String.valueOf(
                        Resp.once("127.0.0.1", b.port(), "CLUSTER", "INFO")).contains("cluster_size:2"));
                assertThat(conn.sync().set(newKey, "new")).isEqualTo("OK");
                assertThat(conn.sync().get(newKey)).isEqualTo("new");
                assertThat(Resp.once("127.0.0.1", b.port(), "DBSIZE")).as("the write went to g2's server").isEqualTo(1L);
                assertThat(conn.sync().get("{bar}old")).isEqualTo("1");
            }
        } finally {
            for (ServerProcess p : servers) {
                p.close();
            }
            for (Path d : dirs) {
                ServerProcess.deleteDir(d);
            }
        }
    }

    private static int admin(Coordinator c, String path, String body) throws Exception {
        var r = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + c.httpPort() + path))
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.out.println("admin " + path + " " + body + " -> " + r.statusCode() + " " + r.body());
        }
        return r.statusCode();
    }
}
