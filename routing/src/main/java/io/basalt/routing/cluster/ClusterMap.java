package io.basalt.routing.cluster;

import io.basalt.routing.slots.SlotHash;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The cluster map as servers, coordinator and clients see it: which group owns each of the 16384
 * slots ({@link Topology}, with its epoch) and each group's replicas and current leader
 * ({@link Group}). Immutable; a change makes a new map (see {@link ClusterStore} for how it is kept
 * in ZooKeeper).
 */
public record ClusterMap(Topology topology, Map<String, Group> groups) {

    public ClusterMap {
        Objects.requireNonNull(topology, "topology");
        groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    public static ClusterMap empty() {
        return new ClusterMap(Topology.empty(), Map.of());
    }

    public long epoch() {
        return topology.epoch();
    }

    /** The group owning {@code slot}, or null if the slot is not assigned. */
    public Group ownerOf(int slot) {
        String gid = topology.ownerOf(slot);
        return gid == null ? null : groups.get(gid);
    }

    public Group ownerOfKey(byte[] key) {
        return ownerOf(SlotHash.slot(key));
    }

    /**
     * The 40-hex-character node id a server shows to Redis Cluster clients ({@code CLUSTER NODES},
     * {@code CLUSTER SHARDS}, {@code CLUSTER MYID}): the SHA-1 of {@code "basalt:" + serverId}. The
     * SDK derives the same ids from the map, so its view and the servers' agree.
     */
    public static String nodeId(String serverId) {
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-1")
                    .digest(("basalt:" + serverId).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            StringBuilder sb = new StringBuilder(40);
            for (byte b : d) {
                sb.append(Character.forDigit((b >> 4) & 15, 16)).append(Character.forDigit(b & 15, 16));
            }
            return sb.toString();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A replica of a group: the server it runs on and the addresses it is reached at. */
    public record Member(String serverId, String host, int raftPort, int respPort, boolean learner) {
        public String respAddress() {
            return host + ":" + respPort;
        }

        /** {@link ClusterMap#nodeId(String)} of this member's server. */
        public String nodeId() {
            return ClusterMap.nodeId(serverId);
        }
    }

    /**
     * A shard group (one Raft group): its replicas, the server id of its current leader (null while
     * unknown) and the Raft term that leader was elected in — a leader's report replaces the record's
     * leader only with a higher term, so a deposed leader cannot overwrite its successor.
     */
    public record Group(String id, List<Member> members, String leader, long leaderTerm) {
        public Group {
            Objects.requireNonNull(id, "id");
            members = List.copyOf(members);
        }

        public Member member(String serverId) {
            for (Member m : members) {
                if (m.serverId().equals(serverId)) {
                    return m;
                }
            }
            return null;
        }

        public Member leaderMember() {
            return leader == null ? null : member(leader);
        }

        public Group withLeader(String serverId, long term) {
            return new Group(id, members, serverId, term);
        }

        public Group withMembers(List<Member> newMembers) {
            return new Group(id, newMembers, leader, leaderTerm);
        }
    }

    /**
     * The slot map: an epoch that only grows (every change bumps it; nobody acts on an older one than
     * it has seen) and slot ranges, each owned by one group. Ranges are kept sorted, disjoint and
     * merged when adjacent with the same owner.
     */
    public record Topology(long epoch, List<SlotRange> ranges) {
        public Topology {
            ranges = normalize(ranges);
        }

        public static Topology empty() {
            return new Topology(0, List.of());
        }

        public String ownerOf(int slot) {
            int lo = 0;
            int hi = ranges.size() - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                SlotRange r = ranges.get(mid);
                if (slot < r.from()) {
                    hi = mid - 1;
                } else if (slot > r.to()) {
                    lo = mid + 1;
                } else {
                    return r.group();
                }
            }
            return null;
        }

        /** This topology with slots {@code [from, to]} owned by {@code group} (null: unassigned), epoch + 1. */
        public Topology assign(int from, int to, String group) {
            if (from < 0 || to >= SlotHash.SLOT_COUNT || from > to) {
                throw new IllegalArgumentException("bad slot range " + from + "-" + to);
            }
            List<SlotRange> out = new ArrayList<>();
            for (SlotRange r : ranges) {
                if (r.to() < from || r.from() > to) {
                    out.add(r);
                    continue;
                }
                if (r.from() < from) {
                    out.add(new SlotRange(r.from(), from - 1, r.group()));
                }
                if (r.to() > to) {
                    out.add(new SlotRange(to + 1, r.to(), r.group()));
                }
            }
            if (group != null) {
                out.add(new SlotRange(from, to, group));
            }
            return new Topology(epoch + 1, out);
        }

        /** Slots owned by {@code group}. */
        public int count(String group) {
            int n = 0;
            for (SlotRange r : ranges) {
                if (r.group().equals(group)) {
                    n += r.to() - r.from() + 1;
                }
            }
            return n;
        }

        private static List<SlotRange> normalize(List<SlotRange> in) {
            List<SlotRange> sorted = new ArrayList<>(in);
            sorted.sort((a, b) -> Integer.compare(a.from(), b.from()));
            List<SlotRange> out = new ArrayList<>();
            for (SlotRange r : sorted) {
                if (r.from() < 0 || r.to() >= SlotHash.SLOT_COUNT || r.from() > r.to() || r.group() == null) {
                    throw new IllegalArgumentException("bad slot range " + r);
                }
                SlotRange last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && r.from() <= last.to()) {
                    throw new IllegalArgumentException("overlapping slot ranges " + last + " and " + r);
                }
                if (last != null && last.to() + 1 == r.from() && last.group().equals(r.group())) {
                    out.set(out.size() - 1, new SlotRange(last.from(), r.to(), r.group()));
                } else {
                    out.add(r);
                }
            }
            return List.copyOf(out);
        }
    }

    /** Slots {@code from..to} (inclusive) owned by {@code group}. */
    public record SlotRange(int from, int to, String group) {}
}
