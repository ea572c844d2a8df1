package io.basalt.server.cluster;

import io.basalt.routing.cluster.ClusterMap;

/**
 * What this server knows of the cluster: the newest cluster map it has seen (from ZooKeeper), its
 * own server id and the group it serves. Without a map ({@link #enabled} false: no {@code
 * cluster-zk}) the server is not in cluster mode and answers like a Redis with cluster support
 * disabled. The map only moves forward: an older epoch than the one held is ignored.
 */
public final class ClusterState {
    private final String serverId;
    private volatile String groupId;
    private volatile ClusterMap map;

    /** {@code groupId} null: a spare, until the coordinator puts this server in a group. */
    public ClusterState(String serverId, String groupId) {
        this.serverId = serverId;
        this.groupId = groupId;
    }

    /** Cluster mode: a map has been received (possibly still empty: no slot assigned yet). */
    public boolean enabled() {
        return map != null;
    }

    public ClusterMap map() {
        return map;
    }

    public String serverId() {
        return serverId;
    }

    /** The group this server is a replica of, or {@code null} while it is a spare. */
    public String groupId() {
        return groupId;
    }

    /** This server joined {@code id} (a restart rejoining the group it remembers). */
    public void joined(String id) {
        groupId = id;
    }

    /** Takes {@code next} unless it is older than the map held. Returns whether it was taken. */
    public synchronized boolean update(ClusterMap next) {
        ClusterMap cur = map;
        if (cur != null && next.epoch() < cur.epoch()) {
            return false;
        }
        map = next;
        return true;
    }

    /** The 40-hex-character node id Redis Cluster clients expect, derived from a server id. */
    public static String nodeId(String serverId) {
        return ClusterMap.nodeId(serverId);
    }
}
