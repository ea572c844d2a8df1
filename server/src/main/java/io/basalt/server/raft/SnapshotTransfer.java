package io.basalt.server.raft;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Snapshots between replicas, on the Raft loop. A leader streams its newest snapshot's files to a
 * follower in {@value #CHUNK}-byte chunks, one at a time (the next once the follower stored the
 * last); a stall of {@code 30 s} restarts the transfer. A follower writes the chunks under
 * {@code incoming/}, renames the whole into place after the last one and hands it to the apply
 * side to load; the core acknowledges it once loaded.
 */
final class SnapshotTransfer {
    private static final Logger log = LoggerFactory.getLogger(SnapshotTransfer.class);
    static final int CHUNK = 1 << 20;
    private static final long STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** Sending the newest snapshot to one follower. */
    private static final class Send {
        final String to;
        final Snapshots.Snapshot snapshot;
        final byte[] config;
        final List<Path> files;
        int file;
        long offset;
        long seq = -1;
        boolean last;
        long lastActivity = System.nanoTime();

        Send(String to, Snapshots.Snapshot snapshot) {
            this.to = to;
            this.snapshot = snapshot;
            this.config = snapshot.config().encode();
            this.files = snapshot.files().stream().filter(p -> !p.getFileName().toString().equals(Snapshots.META)).toList();
        }
    }

    /** Receiving a snapshot from the leader. */
    private record Receive(String from, long index, long[] nextSeq) {}

    private final String self;
    private final Snapshots snapshots;
    private final RaftTransport transport;
    private final RaftApplier applier;
    private RaftCore core;
    private final Map<String, Send> sending = new HashMap<>();
    private Receive receiving;

    SnapshotTransfer(String self, Snapshots snapshots, RaftTransport transport, RaftApplier applier) {
        this.self = self;
        this.snapshots = snapshots;
        this.transport = transport;
        this.applier = applier;
    }

    void core(RaftCore c) {
        this.core = c;
    }

    /** Leader: follower {@code to} needs the newest snapshot. */
    void start(String to) {
        Snapshots.Snapshot snap = snapshots.latest();
        if (snap == null) {
            log.warn("follower {} needs a snapshot, but there is none", to);
            core.snapshotSent(to, 0, false);
            return;
        }
        log.info("sending snapshot {} to {}", snap.dir().getFileName(), to);
        Send s = new Send(to, snap);
        sending.put(to, s);
        sendChunk(s);
    }

    private void sendChunk(Send s) {
        try {
            s.seq++;
            s.lastActivity = System.nanoTime();
            String name = "";
            byte[] data = new byte[0];
            long offset = 0;
            if (!s.files.isEmpty()) {
                Path f = s.files.get(s.file);
                long size = Files.size(f);
                data = new byte[(int) Math.max(0, Math.min(CHUNK, size - s.offset))];
                try (FileChannel ch = FileChannel.open(f)) {
                    ByteBuffer b = ByteBuffer.wrap(data);
                    while (b.hasRemaining() && ch.read(b, s.offset + b.position()) >= 0) {
                        // keep reading
                    }
                }
                name = f.getFileName().toString();
                offset = s.offset;
                s.offset += data.length;
                if (s.offset >= size) {
                    s.file++;
                    s.offset = 0;
                }
            }
            s.last = s.file >= s.files.size();
            transport.send(s.to, new RaftMessage.SnapshotChunk(core.term(), self, s.snapshot.index(), s.snapshot.term(),
                    s.config, s.seq, name, offset, data, s.last));
        } catch (IOException | RuntimeException e) {
            log.warn("reading snapshot {} for {} failed: {}", s.snapshot.dir().getFileName(), s.to, e.toString());
            sending.remove(s.to);
            core.snapshotSent(s.to, s.snapshot.index(), false);
        }
    }

    /** Leader: a follower stored a chunk (or the whole snapshot), or refused it. */
    void reply(RaftMessage.SnapshotReply r) {
        Send s = sending.get(r.from());
        if (s == null || r.index() != s.snapshot.index() || !core.isLeader() || r.term() != core.term()) {
            return;
        }
        if (!r.ok()) {
            sending.remove(r.from());
            core.snapshotSent(r.from(), s.snapshot.index(), false);
        } else if (r.seq() == Long.MAX_VALUE || (r.seq() == s.seq && s.last)) {
            sending.remove(r.from());
            log.info("follower {} installed snapshot at index {}", r.from(), s.snapshot.index());
            core.snapshotSent(r.from(), s.snapshot.index(), true);
        } else if (r.seq() == s.seq) {
            sendChunk(s);
        }
    }

    /** Leader: restarts transfers that stalled. */
    void tick() {
        long now = System.nanoTime();
        for (Send s : new ArrayList<>(sending.values())) {
            if (now - s.lastActivity > STALL_NANOS) {
                log.warn("snapshot transfer to {} stalled: retrying", s.to);
                sending.remove(s.to);
                core.snapshotSent(s.to, s.snapshot.index(), false);
            }
        }
    }

    /** This replica stopped leading: its transfers end. */
    void stopSending() {
        sending.clear();
    }

    /** Follower: a chunk from the current leader (the core checked its term). */
    void chunk(RaftMessage.SnapshotChunk c) {
        try {
            if (c.seq() == 0) {
                receiving = new Receive(c.from(), c.index(), new long[] {0});
                snapshots.clearIncoming();
                log.info("receiving snapshot at index {} from {}", c.index(), c.from());
            }
            Receive r = receiving;
            if (r == null || !r.from().equals(c.from()) || r.index() != c.index() || r.nextSeq()[0] != c.seq()) {
                core.snapshotFailed(c.from(), c.index(), c.seq());
                return;
            }
            if (!c.file().isEmpty()) {
                snapshots.writeChunk(c.file(), c.offset(), c.data());
            }
            r.nextSeq()[0]++;
            if (!c.done()) {
                core.snapshotChunkStored(c.from(), c.index(), c.seq());
                return;
            }
            receiving = null;
            Snapshots.Snapshot snap = snapshots.publishIncoming(c.lastTerm(), c.index(), c.config());
            applier.install(new RaftApplier.Install(snap, RaftConfig.decode(c.config()), c.from(), c.term(), c.seq()));
        } catch (RuntimeException e) {
            log.warn("storing a snapshot chunk from {} failed: {}", c.from(), e.toString());
            receiving = null;
            core.snapshotFailed(c.from(), c.index(), c.seq());
        }
    }
}
