package io.basalt.server.raft;

/**
 * One Raft log entry. The payload is never copied after it is made: the same array is written to
 * the log file, kept in the log's memory cache, sent to followers and decoded by the applier.
 */
record LogEntry(long term, long index, byte type, byte[] payload) {
    /** A leader's first entry of its term: committing it commits everything before it. */
    static final byte NOOP = 0;
    /** A batch of proposals ({@link io.basalt.server.write.Proposal#encodeBatch}). */
    static final byte DATA = 1;
    /** A new membership ({@link RaftConfig#encode}). */
    static final byte CONFIG = 2;

    static final byte[] NO_PAYLOAD = new byte[0];

    /** Bytes this entry takes in a message or the log (header included), for flow control. */
    int size() {
        return 17 + payload.length;
    }
}
