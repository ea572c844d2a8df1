package io.basalt.server.raft;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A group's membership: every member with its addresses, voters and learners. It travels in the log
 * (a {@link LogEntry#CONFIG} entry takes effect on every replica as soon as it is appended, as in the
 * Raft dissertation's single-server changes) and in snapshots.
 */
record RaftConfig(Map<String, RaftSettings.Peer> members) {

    static final RaftConfig EMPTY = new RaftConfig(Map.of());

    RaftConfig {
        members = Collections.unmodifiableMap(new TreeMap<>(members));
    }

    static RaftConfig of(List<RaftSettings.Peer> peers) {
        Map<String, RaftSettings.Peer> m = new TreeMap<>();
        for (RaftSettings.Peer p : peers) {
            m.put(p.id(), p);
        }
        return new RaftConfig(m);
    }

    boolean isVoter(String id) {
        RaftSettings.Peer p = members.get(id);
        return p != null && !p.learner();
    }

    boolean contains(String id) {
        return members.containsKey(id);
    }

    List<String> voters() {
        List<String> out = new ArrayList<>();
        members.forEach((id, p) -> {
            if (!p.learner()) {
                out.add(id);
            }
        });
        return out;
    }

    int voterCount() {
        int n = 0;
        for (RaftSettings.Peer p : members.values()) {
            n += p.learner() ? 0 : 1;
        }
        return n;
    }

    /** This configuration with {@code p} added (or its role/addresses replaced). */
    RaftConfig with(RaftSettings.Peer p) {
        Map<String, RaftSettings.Peer> m = new TreeMap<>(members);
        m.put(p.id(), p);
        return new RaftConfig(m);
    }

    RaftConfig without(String id) {
        Map<String, RaftSettings.Peer> m = new TreeMap<>(members);
        m.remove(id);
        return new RaftConfig(m);
    }

    byte[] encode() {
        List<byte[]> parts = new ArrayList<>();
        int size = 4;
        for (RaftSettings.Peer p : members.values()) {
            byte[] id = p.id().getBytes(StandardCharsets.UTF_8);
            byte[] host = p.host().getBytes(StandardCharsets.UTF_8);
            parts.add(id);
            parts.add(host);
            size += 2 + id.length + 2 + host.length + 4 + 4 + 1;
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(members.size());
        int i = 0;
        for (RaftSettings.Peer p : members.values()) {
            byte[] id = parts.get(i++);
            byte[] host = parts.get(i++);
            b.putShort((short) id.length).put(id).putShort((short) host.length).put(host)
                    .putInt(p.raftPort()).putInt(p.respPort()).put((byte) (p.learner() ? 1 : 0));
        }
        return b.array();
    }

    static RaftConfig decode(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        int n = b.getInt();
        List<RaftSettings.Peer> peers = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[b.getShort()];
            b.get(id);
            byte[] host = new byte[b.getShort()];
            b.get(host);
            int raftPort = b.getInt();
            int respPort = b.getInt();
            boolean learner = b.get() != 0;
            peers.add(new RaftSettings.Peer(new String(id, StandardCharsets.UTF_8), new String(host, StandardCharsets.UTF_8),
                    raftPort, respPort, learner));
        }
        return of(peers);
    }
}
