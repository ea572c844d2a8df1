package io.basalt.client;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.basalt.routing.cluster.ClusterMap.Member;
import io.basalt.routing.cluster.ClusterMap.SlotRange;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.models.partitions.Partitions;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode.NodeFlag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;

/**
 * The cluster map in Lettuce's terms: one {@link RedisClusterNode} per member, the group's leader
 * an upstream (master) owning the group's slots, the other members (learners included) its
 * replicas. Node ids are the servers' own ({@link ClusterMap#nodeId}), so this view and the one
 * the servers give in {@code CLUSTER NODES} agree. A group without a known leader has no upstream:
 * its slots are uncovered until a leader reports itself.
 */
final class Topologies {
    private Topologies() {}

    static Partitions toPartitions(ClusterMap map, BasaltClientOptions options) {
        Partitions partitions = new Partitions();
        for (Group g : map.groups().values()) {
            Member leader = g.leaderMember();
            List<Integer> slots = new ArrayList<>();
            for (SlotRange r : map.topology().ranges()) {
                if (r.group().equals(g.id())) {
                    for (int s = r.from(); s <= r.to(); s++) {
                        slots.add(s);
                    }
                }
            }
            for (Member m : g.members()) {
                RedisClusterNode n = new RedisClusterNode();
                n.setNodeId(m.nodeId());
                n.setUri(uri(m.host(), m.respPort(), options));
                n.setConnected(true);
                n.setConfigEpoch(map.epoch());
                if (m == leader) {
                    n.setFlags(EnumSet.of(NodeFlag.UPSTREAM));
                    n.setSlots(slots);
                } else {
                    n.setFlags(EnumSet.of(NodeFlag.REPLICA));
                    n.setSlots(List.of());
                    if (leader != null) {
                        n.setSlaveOf(leader.nodeId());
                        // Lettuce reads only from replicas with a non-zero replication offset (0:
                        // never synced); the map has no offsets, Raft followers follow the log
                        n.setReplOffset(1);
                    }
                }
                partitions.add(n);
            }
        }
        partitions.updateCache();
        return partitions;
    }

    static RedisURI uri(String host, int port, BasaltClientOptions options) {
        RedisURI.Builder b = RedisURI.builder().withHost(host).withPort(port)
                .withTimeout(options.commandTimeout());
        if (options.password() != null) {
            if (options.username() != null) {
                b.withAuthentication(options.username(), options.password());
            } else {
                b.withPassword(options.password());
            }
        }
        return b.build();
    }

    static List<RedisURI> seeds(ClusterMap map, BasaltClientOptions options) {
        List<RedisURI> out = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Group g : map.groups().values()) {
            Member l = g.leaderMember();
            if (l != null && seen.add(l.respAddress())) {
                out.add(uri(l.host(), l.respPort(), options));
            }
        }
        for (Group g : map.groups().values()) {
            for (Member m : g.members()) {
                if (seen.add(m.respAddress())) {
                    out.add(uri(m.host(), m.respPort(), options));
                }
            }
        }
        return out;
    }
}
