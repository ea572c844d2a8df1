package io.basalt.server.raft;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.netty.NettyConfigKeys;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.rpc.SupportedRpcType;
import org.apache.ratis.server.RaftServerConfigKeys;

/**
 * A node's place in its group, from {@code --id n1 --group g1 --peers n1=host:raftPort:respPort,…}:
 * its Raft id, the group (its id derived from the name, so every member computes the same one),
 * the peers with their Raft and RESP addresses, and the Ratis properties Basalt runs with.
 */
public record RaftSettings(String id, String groupName, List<Peer> peers, long electionMinMs, long electionMaxMs,
        boolean leaderLease, boolean unsafeFlush, long snapshotEntries, long segmentBytes, int inflightBatches) {

    /**
     * One member: Raft address (host:port), the RESP address clients are redirected to, and whether
     * it is a learner (receives the log, serves READONLY reads, never votes nor leads).
     */
    public record Peer(String id, String host, int raftPort, int respPort, boolean learner) {}

    /** Parses {@code n1=127.0.0.1:9001:7001,n2=…} (a learner: {@code n4=host:raftPort:respPort:learner}). */
    public static List<Peer> parsePeers(String spec) {
        List<Peer> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            String[] addr = p.substring(eq + 1).split(":");
            boolean learner = addr.length == 4 && "learner".equalsIgnoreCase(addr[3]);
            if (eq <= 0 || (addr.length != 3 && !learner)) {
                throw new IllegalArgumentException("peer must be id=host:raftPort:respPort[:learner], got '" + p + "'");
            }
            try {
                out.add(new Peer(p.substring(0, eq), addr[0], Integer.parseInt(addr[1]), Integer.parseInt(addr[2]), learner));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("peer ports must be numbers, got '" + p + "'");
            }
        }
        return out;
    }

    public Peer self() {
        return peers.stream().filter(p -> p.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("--id " + id + " is not among --peers"));
    }

    public RaftGroup group() {
        List<RaftPeer> rp = new ArrayList<>();
        for (Peer p : peers) {
            rp.add(peer(p));
        }
        UUID gid = UUID.nameUUIDFromBytes(("basalt-group:" + groupName).getBytes(StandardCharsets.UTF_8));
        return RaftGroup.valueOf(RaftGroupId.valueOf(gid), rp);
    }

    /**
     * A member as Ratis knows it. The RESP address rides in the peer's client address (unused by
     * Ratis's Netty transport), so every replica learns it from the group configuration, also for
     * members added later.
     */
    static RaftPeer peer(Peer p) {
        return RaftPeer.newBuilder().setId(p.id()).setAddress(p.host() + ":" + p.raftPort())
                .setClientAddress(p.host() + ":" + p.respPort())
                .setStartupRole(p.learner() ? org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER
                        : org.apache.ratis.proto.RaftProtos.RaftPeerRole.FOLLOWER)
                .build();
    }

    RaftProperties properties() {
        RaftProperties props = new RaftProperties();
        RaftConfigKeys.Rpc.setType(props, SupportedRpcType.NETTY);
        NettyConfigKeys.Server.setPort(props, self().raftPort());
        RaftServerConfigKeys.Rpc.setTimeoutMin(props, RaftWritePath.ms(electionMinMs));
        RaftServerConfigKeys.Rpc.setTimeoutMax(props, RaftWritePath.ms(electionMaxMs));
        RaftServerConfigKeys.Read.setOption(props, RaftServerConfigKeys.Read.Option.LINEARIZABLE);
        // a replica that cannot win (a new member not yet added, one back from a partition) asks
        // first, so it does not depose a healthy leader by bumping the term
        RaftServerConfigKeys.LeaderElection.setPreVote(props, true);
        RaftServerConfigKeys.Read.setLeaderLeaseEnabled(props, leaderLease);
        // a snapshot (RocksDB checkpoint) every snapshotEntries applied entries; the log is purged up
        // to it, whole segments at a time (replay after a crash starts at the store's applied index,
        // which is never below the newest snapshot)
        RaftServerConfigKeys.Snapshot.setAutoTriggerEnabled(props, snapshotEntries > 0);
        if (snapshotEntries > 0) {
            RaftServerConfigKeys.Snapshot.setAutoTriggerThreshold(props, snapshotEntries);
        }
        RaftServerConfigKeys.Snapshot.setRetentionFileNum(props, 2);
        RaftServerConfigKeys.Log.setPurgeUptoSnapshotIndex(props, true);
        RaftServerConfigKeys.Log.setPurgeGap(props, (int) Math.max(1, Math.min(1024, snapshotEntries / 4)));
        RaftServerConfigKeys.Log.setSegmentSizeMax(props, org.apache.ratis.util.SizeInBytes.valueOf(segmentBytes));
        // no commit-index metadata entries: they would double the log writes (and fsyncs)
        RaftServerConfigKeys.Log.setLogMetadataEnabled(props, false);
        // default: a replica syncs its log to disk before it counts towards the quorum
        RaftServerConfigKeys.Log.setUnsafeFlushEnabled(props, unsafeFlush);
        return props;
    }
}
