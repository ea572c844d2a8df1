package io.basalt.routing.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Servers ({@code CLUSTER NODES}) and the SDK (its partitions) must derive the same node ids. */
class NodeIdTest {
    @Test
    void nodeIdIsTheSha1OfTheServerIdInHex() {
        // echo -n "basalt:n1" | sha1sum
        assertThat(ClusterMap.nodeId("n1")).isEqualTo("5d125a9f35cf15346cd335e4f73770b24fe75b56");
        assertThat(new ClusterMap.Member("n1", "h", 1, 2, false).nodeId()).isEqualTo(ClusterMap.nodeId("n1"));
        assertThat(ClusterMap.nodeId("n2")).hasSize(40).isNotEqualTo(ClusterMap.nodeId("n1"));
    }
}
