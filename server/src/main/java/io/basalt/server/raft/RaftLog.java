package io.basalt.server.raft;

import java.util.List;

/**
 * A replica's Raft log as {@link RaftCore} sees it: entries after a base (the last entry covered by
 * the newest snapshot, or 0/0). Appends are buffered; {@link #sync} makes everything appended durable.
 * Used by one thread only.
 */
interface RaftLog {
    /** Index of the last entry covered by the snapshot the log starts after (0: none). */
    long baseIndex();

    long baseTerm();

    /** The first entry present ({@code baseIndex() + 1} when the log is empty). */
    default long firstIndex() {
        return baseIndex() + 1;
    }

    long lastIndex();

    /** Indexes of the {@link LogEntry#CONFIG} entries in the log. */
    java.util.NavigableSet<Long> configIndexes();

    /** Term of entry {@code index} for {@code baseIndex() <= index <= lastIndex()}, else -1. */
    long term(long index);

    /** Entry {@code index} ({@code firstIndex() <= index <= lastIndex()}). */
    LogEntry entry(long index);

    /**
     * Entries from {@code from} on, at most {@code maxCount} and, beyond the first, at most
     * {@code maxBytes} in all.
     */
    List<LogEntry> entries(long from, int maxCount, long maxBytes);

    /** Appends an entry whose index is {@code lastIndex() + 1}. */
    void append(LogEntry e);

    /** Removes entries {@code index..lastIndex()} ({@code index > baseIndex()}). */
    void truncateFrom(long index);

    /** Makes every appended entry (and truncation) durable. */
    void sync();

    /**
     * A snapshot covers everything up to {@code index}: entries up to there may be dropped (whole
     * files at a time, so some may stay), and the base moves up to what was dropped.
     */
    void compact(long index, long term);

    /** Drops every entry: the log restarts after a snapshot received from the leader. Durable on return. */
    void reset(long index, long term);

    void close();
}
