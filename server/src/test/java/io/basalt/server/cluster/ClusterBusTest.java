package io.basalt.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.Topology;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** PUBLISH on any server reaches subscribers on every server of the map, once; the count is the local one. */
@Timeout(60)
class ClusterBusTest {

    @Test
    void publishReachesSubscribersOnEveryServer() throws Exception {
        try (TestServer a = new TestServer(Map.of("raft-id", "a")); TestServer b = new TestServer(Map.of("raft-id", "b"))) {
            ClusterMap map = new ClusterMap(Topology.empty().assign(0, 8191, "g1").assign(8192, 16383, "g2"), Map.of(
                    "g1", new Group("g1", List.of(new Member("a", "127.0.0.1", 1, a.port(), false)), "a", 1),
                    "g2", new Group("g2", List.of(new Member("b", "127.0.0.1", 2, b.port(), false)), "b", 1)));
            a.server().node().cluster().update(map);
            b.server().node().cluster().update(map);
            try (RespConnection subA = new RespConnection(a.port()); RespConnection subB = new RespConnection(b.port());
                    RespConnection pubA = new RespConnection(a.port()); RespConnection pubB = new RespConnection(b.port())) {
                assertThat(subB.call("SUBSCRIBE news")).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
                assertThat(pubA.call("PUBLISH news hello")).isEqualTo(":0\r\n"); // nobody on a itself
                assertThat(subB.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");

                assertThat(subA.call("SUBSCRIBE news")).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
                assertThat(pubB.call("PUBLISH news again")).isEqualTo(":1\r\n");
                assertThat(subA.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nagain\r\n");
                assertThat(subB.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nagain\r\n");
                // exactly once each: the next message each sees is the next one published
                assertThat(pubA.call("PUBLISH news third")).isEqualTo(":1\r\n");
                assertThat(subA.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nthird\r\n");
                assertThat(subB.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nthird\r\n");
            }
        }
    }
}
