package io.basalt.server.storage.types;

import io.basalt.server.storage.engine.BatchTxn;
import io.basalt.server.storage.engine.EngineOptions;
import io.basalt.server.storage.engine.RocksEngine;
import java.nio.file.Path;

/**
 * One replica's data: the engine plus the bookkeeping the type layer keeps exact. Readers get a
 * {@link Keyspace} at their time; the single applier opens one {@link Batch} per group of commands.
 */
public final class Store implements AutoCloseable {
    private static final byte[] VERSION_KEY = "version".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private final RocksEngine engine;
    private final KeyCounts counts = new KeyCounts();
    /** Count changes of the open batch; reused (its arrays cover every slot, too big to allocate per batch). */
    private final KeyCounts.Delta batchDelta = new KeyCounts.Delta();
    /** The last composite version handed out (persisted in SYSTEM with each batch that allocates). */
    private long lastVersion;

    public Store(Path dir, EngineOptions options) {
        engine = new RocksEngine(dir, options);
        counts.load(engine.reader());
        byte[] v = engine.get(io.basalt.server.storage.engine.Cf.SYSTEM, VERSION_KEY);
        lastVersion = v == null ? 0 : io.basalt.server.storage.encoding.KeyCodec.getLong(v, 0);
    }

    private static final byte[] APPLIED_KEY = "raft-applied".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /**
     * The replicated log position whose effects storage holds: {term, index}, or {0, 0}. Written in
     * the same atomic batch as the data it covers, so after a crash (RocksDB WAL off, memtables lost)
     * it falls back together with the data and the log replays from there.
     */
    public long[] applied() {
        byte[] v = engine.get(io.basalt.server.storage.engine.Cf.SYSTEM, APPLIED_KEY);
        if (v == null) {
            return new long[] {0, 0};
        }
        return new long[] {io.basalt.server.storage.encoding.KeyCodec.getLong(v, 0),
            io.basalt.server.storage.encoding.KeyCodec.getLong(v, 8)};
    }

    private static final byte[] LOADING_KEY = "snapshot-loading".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    /** Records the log position {@code term, index} as applied (no data changes with it). */
    public void markApplied(long term, long index) {
        try (Batch b = beginBatch()) {
            b.applied(term, index);
            b.commit(false);
        }
    }

    /**
     * A consistent copy of this store at {@code target} (RocksDB checkpoint: hard links, so it costs
     * little disk until compaction rewrites the files). Only the applier may call it (between batches).
     */
    public void checkpoint(Path target) {
        engine.checkpoint(target);
    }

    /**
     * Replaces all data by the checkpoint at {@code source}, which covers the log up to {@code term,
     * index}. Readers running meanwhile may see a mix; callers keep them out. Durable on return.
     */
    public void load(Path source, long term, long index) {
        engine.replaceWith(source, LOADING_KEY);
        markApplied(term, index);
        engine.flush();
        counts.load(engine.reader());
        byte[] v = engine.get(io.basalt.server.storage.engine.Cf.SYSTEM, VERSION_KEY);
        lastVersion = v == null ? 0 : io.basalt.server.storage.encoding.KeyCodec.getLong(v, 0);
    }

    /**
     * Deletes all data, the applied position included: this replica left its group and may join
     * another one as a blank spare. Nothing may write meanwhile.
     */
    public void clear() {
        engine.clearAll();
        counts.load(engine.reader());
    }

    /** True if a {@link #load} was interrupted (by a crash): the data is incomplete until it is redone. */
    public boolean loadInterrupted() {
        return engine.get(io.basalt.server.storage.engine.Cf.SYSTEM, LOADING_KEY) != null;
    }

    public RocksEngine engine() {
        return engine;
    }

    public KeyCounts counts() {
        return counts;
    }

    /** A read view of the committed state, expiring keys at {@code nowMs}. */
    public Keyspace reader(long nowMs) {
        return new Keyspace(engine.reader(), nowMs);
    }

    /** A read view pinned to one consistent state (composite reads); close it. */
    public Keyspace snapshot(long nowMs) {
        return new Keyspace(engine.snapshotReader(), nowMs);
    }

    /** Starts a batch. Only one batch may be open at a time (the applier is single-threaded). */
    public Batch beginBatch() {
        return new Batch();
    }

    @Override
    public void close() {
        engine.close();
    }

    /**
     * A group of commands applied together and committed as one RocksDB write. Each command runs
     * between {@link #begin} and {@link #succeeded}/{@link #failed}; a failed command leaves no trace.
     */
    public final class Batch implements AutoCloseable {
        private final BatchTxn txn = engine.begin();
        private final KeyCounts.Delta delta = batchDelta;
        private KeyspaceTxn current;
        private long version = lastVersion;
        private final java.util.ArrayList<byte[]> modified = new java.util.ArrayList<>();
        private final java.util.ArrayList<String> modifiedBy = new java.util.ArrayList<>();
        private String command = "";
        private int commandMark;
        private int flushes;

        /** A key's stored value changed (written, deleted, expired) in this batch. */
        void modified(byte[] userKey) {
            modified.add(userKey);
            modifiedBy.add(command);
        }

        /** A side event of the current command on a key (SET … EX also "expire"s; HDEL of the last field also "del"s). */
        void sideEvent(byte[] userKey, String event) {
            modified.add(userKey);
            modifiedBy.add("+" + event);
        }

        /**
         * Names the command whose changes follow (the applier for each proposal, the nested runner
         * for each command of an EXEC or a script); returns the previous name to restore.
         */
        public String command(String name) {
            String prev = command;
            command = name;
            return prev;
        }

        /** The command that made each change of {@link #modifiedKeys} (keyspace notifications). */
        public java.util.List<String> modifiedBy() {
            return modifiedBy;
        }

        int modifiedCount() {
            return modified.size();
        }

        /** A command failed: its changes are undone, so they are not reported either. */
        void forgetModified(int mark) {
            while (modified.size() > mark) {
                modified.remove(modified.size() - 1);
                modifiedBy.remove(modifiedBy.size() - 1);
            }
        }

        void flushed() {
            flushes++;
        }

        /**
         * Keys changed so far in this batch, in order, with repeats (also by commands that later
         * failed: listeners must treat it as "may have changed").
         */
        public java.util.List<byte[]> modifiedKeys() {
            return modified;
        }

        /** How many FLUSHALL/FLUSHDB ran in this batch so far. */
        public int flushes() {
            return flushes;
        }

        /** Opens the next command's view of the batch at its fixed time. */
        public KeyspaceTxn begin(long nowMs) {
            return begin(nowMs, Encodings.DEFAULTS);
        }

        public KeyspaceTxn begin(long nowMs, Encodings encodings) {
            txn.setSavePoint();
            current = new KeyspaceTxn(txn, nowMs, delta, encodings, this);
            commandMark = modified.size();
            return current;
        }

        /** A new composite version: unique for the life of the store, the same on every replica. */
        long newVersion() {
            return ++version;
        }

        public void succeeded() {
            current.commitCommand();
            txn.releaseSavePoint();
            current = null;
        }

        public void failed() {
            forgetModified(commandMark);
            current.rollbackCommand();
            txn.rollbackToSavePoint();
            current = null;
        }

        /** Records, in this batch, the log position its commands came from (see {@link Store#applied}). */
        public void applied(long term, long index) {
            byte[] v = new byte[16];
            io.basalt.server.storage.encoding.KeyCodec.putLong(v, 0, term);
            io.basalt.server.storage.encoding.KeyCodec.putLong(v, 8, index);
            txn.put(io.basalt.server.storage.engine.Cf.SYSTEM, APPLIED_KEY, v);
        }

        /** Writes everything atomically (with the count updates) and publishes the new counts. */
        public void commit(boolean sync) {
            if (!delta.isEmpty()) {
                delta.persist(counts, txn);
            }
            if (version != lastVersion) {
                byte[] v = new byte[8];
                io.basalt.server.storage.encoding.KeyCodec.putLong(v, 0, version);
                txn.put(io.basalt.server.storage.engine.Cf.SYSTEM, VERSION_KEY, v);
            }
            engine.commit(txn, sync);
            counts.apply(delta);
            lastVersion = version;
        }

        @Override
        public void close() {
            delta.clear();
            txn.close();
        }
    }
}
