package io.basalt.server.raft;

import java.util.ArrayList;
import java.util.List;

/**
 * A node's place in its group, from {@code --id n1 --group g1 --peers n1=host:raftPort:respPort,…}:
 * its Raft id, the group's name (replicas refuse connections from another group), the peers with
 * their Raft and RESP addresses, and the Raft settings it runs with.
 */
public record RaftSettings(String id, String groupName, List<Peer> peers, long electionMinMs, long electionMaxMs,
        boolean leaderLease, boolean unsafeFlush, long snapshotEntries, long segmentBytes, int inflightEntries) {

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

}
