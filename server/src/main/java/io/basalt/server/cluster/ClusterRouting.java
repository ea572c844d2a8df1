package io.basalt.server.cluster;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.commands.CommandSpec;
import io.basalt.routing.slots.SlotHash;
import io.basalt.server.resp.Reply;
import java.util.List;

/**
 * Where a command's keys live by the cluster map, with Redis Cluster's redirects: {@code -MOVED slot
 * host:port} to the owning group's leader, {@code -CROSSSLOT} when the keys belong to different
 * groups, {@code -CLUSTERDOWN Hash slot not served} for a slot no group owns, {@code -CLUSTERDOWN The
 * cluster is down} when the owning group has no known leader.
 *
 * <p>One deliberate difference from Redis Cluster: keys in several slots are fine as long as every
 * one of those slots belongs to this server's group (a group is one store, so MGET/MSET/SUNIONSTORE,
 * … across its slots are atomic anyway). Redis Cluster would answer CROSSSLOT.
 */
public final class ClusterRouting {
    public static final Reply.Error CROSSSLOT = new Reply.Error("CROSSSLOT Keys in request don't hash to the same slot");
    public static final Reply.Error NOT_SERVED = new Reply.Error("CLUSTERDOWN Hash slot not served");
    public static final Reply.Error DOWN = new Reply.Error("CLUSTERDOWN The cluster is down");

    private ClusterRouting() {}

    /**
     * The redirect or refusal for a command whose keys are not (all) served here, or {@code null}:
     * run it here (no keys, cluster mode off, or every key in a slot of this server's group).
     */
    public static Reply.Error route(ClusterState state, CommandSpec spec, List<byte[]> argv) {
        ClusterMap map = state.map();
        if (map == null || spec == null || spec.keySpecs().isEmpty()) {
            return null;
        }
        List<Integer> keys = spec.keyPositions(argv);
        if (keys.isEmpty()) {
            return null;
        }
        String owner = null;
        int firstSlot = -1;
        for (int pos : keys) {
            int slot = SlotHash.slot(argv.get(pos));
            String g = map.topology().ownerOf(slot);
            if (g == null) {
                return NOT_SERVED;
            }
            if (owner == null) {
                owner = g;
                firstSlot = slot;
            } else if (!owner.equals(g)) {
                return CROSSSLOT;
            }
        }
        if (owner.equals(state.groupId())) {
            return null;
        }
        ClusterMap.Group group = map.groups().get(owner);
        ClusterMap.Member leader = group == null ? null : group.leaderMember();
        if (leader == null) {
            return DOWN;
        }
        return new Reply.Error("MOVED " + firstSlot + " " + leader.respAddress());
    }
}
