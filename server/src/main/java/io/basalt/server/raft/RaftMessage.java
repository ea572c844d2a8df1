package io.basalt.server.raft;

import java.util.List;

/** The messages replicas exchange (see {@link RaftCodec} for their wire form). */
sealed interface RaftMessage {
    long term();

    String from();

    /**
     * Entries (possibly none: a heartbeat) following {@code prevIndex}/{@code prevTerm}.
     * {@code prevIndex = -1} is a pure heartbeat with no log check (sent while a snapshot is on its
     * way). {@code readSeq} and {@code sentNanos} are echoed back: the first confirms leadership for
     * read requests, the second (the leader's own clock) dates the acknowledgement for the lease.
     */
    record Append(long term, String from, long prevIndex, long prevTerm, long commit, List<LogEntry> entries,
            long readSeq, long sentNanos) implements RaftMessage {}

    /**
     * {@code success}: the follower's log matches the leader's up to {@code index} (durably). Else
     * {@code index} is a hint: the leader should retry from {@code index + 1}.
     */
    record AppendReply(long term, String from, boolean success, long index, long readSeq, long sentNanos)
            implements RaftMessage {}

    /** A (pre-)vote request; {@code transfer}: asked on the leader's behalf (leadership transfer). */
    record Vote(long term, String from, long lastIndex, long lastTerm, boolean pre, boolean transfer) implements RaftMessage {}

    record VoteReply(long term, String from, boolean granted, boolean pre) implements RaftMessage {}

    /** Leadership transfer: the leader tells a caught-up follower to start an election at once. */
    record TimeoutNow(long term, String from) implements RaftMessage {}

    /**
     * One chunk of the snapshot at {@code index} (whose last entry has {@code lastTerm}, with
     * membership {@code config}): {@code seq} numbers the chunks from 0, {@code done} marks the last.
     */
    record SnapshotChunk(long term, String from, long index, long lastTerm, byte[] config, long seq, String file,
            long offset, byte[] data, boolean done) implements RaftMessage {}

    /** {@code ok}: chunk {@code seq} was stored (for the last one: the snapshot is installed). */
    record SnapshotReply(long term, String from, long index, long seq, boolean ok) implements RaftMessage {}
}
