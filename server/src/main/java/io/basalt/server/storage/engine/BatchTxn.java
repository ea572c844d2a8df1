package io.basalt.server.storage.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The writes of one apply batch: a plain RocksDB {@link WriteBatch} that is committed atomically,
 * plus an in-heap overlay of what the batch wrote so later commands in the same batch read their
 * predecessors' writes (point reads and cursors), without RocksDB's indexed batch and its per-write
 * index maintenance. Save points undo one failed command, lazily: a command that writes nothing
 * costs nothing.
 *
 * <p>Range deletes are part of the batch too (FLUSHALL, slot drops): they clear the overlay range
 * and hide the range's stored keys from the batch's own reads.
 */
public final class BatchTxn implements KvWriter, AutoCloseable {
    static final Object TOMBSTONE = new Object();

    private final RocksEngine engine;
    private final WriteBatch batch = new WriteBatch();
    @SuppressWarnings("unchecked")
    private final NavigableMap<byte[], Object>[] overlay = new NavigableMap[Cf.values().length];
    @SuppressWarnings("unchecked")
    private final List<byte[][]>[] rangeDeletes = new List[Cf.values().length];

    /** Undo records of the current command: restore these overlay states on rollback. */
    private final ArrayList<Undo> journal = new ArrayList<>();
    private boolean inCommand;
    private boolean batchSavePointSet;
    private int writes;

    private record Undo(Cf cf, byte[] key, Object previous, byte[][] range) {}

    BatchTxn(RocksEngine engine) {
        this.engine = engine;
    }

    private NavigableMap<byte[], Object> overlay(Cf cf) {
        NavigableMap<byte[], Object> m = overlay[cf.ordinal()];
        if (m == null) {
            m = new TreeMap<>(Arrays::compareUnsigned);
            overlay[cf.ordinal()] = m;
        }
        return m;
    }

    @Override
    public byte[] get(Cf cf, byte[] key) {
        NavigableMap<byte[], Object> m = overlay[cf.ordinal()];
        if (m != null) {
            Object v = m.get(key);
            if (v != null) {
                return v == TOMBSTONE ? null : (byte[]) v;
            }
        }
        if (inDeletedRange(cf, key)) {
            return null;
        }
        return engine.get(cf, key);
    }

    boolean inDeletedRange(Cf cf, byte[] key) {
        List<byte[][]> ranges = rangeDeletes[cf.ordinal()];
        if (ranges == null) {
            return false;
        }
        for (byte[][] r : ranges) {
            if (Arrays.compareUnsigned(key, r[0]) >= 0 && Arrays.compareUnsigned(key, r[1]) < 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public KvCursor cursor(Cf cf, byte[] from, byte[] to) {
        KvCursor db = engine.reader().cursor(cf, from, to);
        NavigableMap<byte[], Object> m = overlay[cf.ordinal()];
        if ((m == null || m.isEmpty()) && rangeDeletes[cf.ordinal()] == null) {
            return db;
        }
        NavigableMap<byte[], Object> view = m == null ? new TreeMap<>(Arrays::compareUnsigned) : m;
        if (from != null && to != null) {
            view = view.subMap(from, true, to, false);
        } else if (from != null) {
            view = view.tailMap(from, true);
        } else if (to != null) {
            view = view.headMap(to, false);
        }
        return new MergedCursor(view, db, k -> inDeletedRange(cf, k));
    }

    @Override
    public void put(Cf cf, byte[] key, byte[] value) {
        beforeWrite();
        try {
            batch.put(engine.handle(cf), key, value);
        } catch (RocksDBException e) {
            throw new StorageException("put failed: " + e.getMessage(), e);
        }
        Object prev = overlay(cf).put(key, value);
        if (inCommand) {
            journal.add(new Undo(cf, key, prev, null));
        }
        writes++;
    }

    @Override
    public void delete(Cf cf, byte[] key) {
        beforeWrite();
        try {
            batch.delete(engine.handle(cf), key);
        } catch (RocksDBException e) {
            throw new StorageException("delete failed: " + e.getMessage(), e);
        }
        Object prev = overlay(cf).put(key, TOMBSTONE);
        if (inCommand) {
            journal.add(new Undo(cf, key, prev, null));
        }
        writes++;
    }

    @Override
    public void deleteRange(Cf cf, byte[] from, byte[] to) {
        beforeWrite();
        try {
            batch.deleteRange(engine.handle(cf), from, to);
        } catch (RocksDBException e) {
            throw new StorageException("deleteRange failed: " + e.getMessage(), e);
        }
        NavigableMap<byte[], Object> sub = overlay(cf).subMap(from, true, to, false);
        if (inCommand) {
            for (Map.Entry<byte[], Object> e : sub.entrySet()) {
                journal.add(new Undo(cf, e.getKey(), e.getValue(), null));
            }
        }
        sub.clear();
        byte[][] range = {from, to};
        List<byte[][]> ranges = rangeDeletes[cf.ordinal()];
        if (ranges == null) {
            ranges = new ArrayList<>();
            rangeDeletes[cf.ordinal()] = ranges;
        }
        ranges.add(range);
        if (inCommand) {
            journal.add(new Undo(cf, null, null, range));
        }
        writes++;
    }

    private void beforeWrite() {
        if (inCommand && !batchSavePointSet) {
            batch.setSavePoint();
            batchSavePointSet = true;
        }
    }

    /** Marks where a command starts, so {@link #rollbackToSavePoint} can undo just that command. */
    public void setSavePoint() {
        inCommand = true;
        batchSavePointSet = false;
        journal.clear();
    }

    /** Undoes every write since {@link #setSavePoint}. */
    public void rollbackToSavePoint() {
        if (batchSavePointSet) {
            try {
                batch.rollbackToSavePoint();
            } catch (RocksDBException e) {
                throw new StorageException("rollback failed: " + e.getMessage(), e);
            }
        }
        for (int i = journal.size() - 1; i >= 0; i--) {
            Undo u = journal.get(i);
            if (u.range() != null) {
                rangeDeletes[u.cf().ordinal()].remove(u.range());
            } else if (u.previous() == null) {
                overlay(u.cf()).remove(u.key());
            } else {
                overlay(u.cf()).put(u.key(), u.previous());
            }
        }
        endCommand();
    }

    /** The command succeeded: its writes stay in the batch. */
    public void releaseSavePoint() {
        endCommand();
    }

    private void endCommand() {
        // A WriteBatch save point left on its stack costs a few bytes until the batch is closed;
        // popping it would cost a JNI call per command.
        inCommand = false;
        batchSavePointSet = false;
        journal.clear();
    }

    public int writeCount() {
        return writes;
    }

    void commitTo(RocksEngine engine, WriteOptions wo) {
        if (batch.count() > 0) {
            engine.write(batch, wo);
        } else if (wo.sync()) {
            engine.syncWal();
        }
    }

    @Override
    public void close() {
        batch.close();
    }
}
