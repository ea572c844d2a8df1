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
 * index maintenance. The overlay is the batch's final state: the WriteBatch is built from it at
 * commit, so undoing a failed command is restoring the overlay — no RocksDB save points — and a key
 * written by many commands of a batch reaches RocksDB once.
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
    /** Journal positions of the open (nested) save points. */
    private final ArrayList<Integer> marks = new ArrayList<>();
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
        if (cf != Cf.META) {
            return engine.get(cf, key);
        }
        // metadata read by many commands of the batch (a hot key) costs one RocksDB lookup; only the
        // applier writes, so committed state cannot change under the batch, and the batch's own
        // writes are found in the overlay first
        io.basalt.server.util.ByteKey k = new io.basalt.server.util.ByteKey(key);
        byte[] cached = metaReads.get(k);
        if (cached != null) {
            return cached == NOTHING ? null : cached;
        }
        byte[] v = engine.get(cf, key);
        if (metaReads.size() < 65_536) {
            metaReads.put(k, v == null ? NOTHING : v);
        }
        return v;
    }

    private static final byte[] NOTHING = new byte[0];
    private final java.util.HashMap<io.basalt.server.util.ByteKey, byte[]> readAhead = new java.util.HashMap<>();

    /**
     * A point read that, on a miss, also reads up to {@code window} following committed entries of
     * [lo, hi) in one iterator pass (backwards if {@code reverse}) for the batch's next reads: a batch
     * of pops walking a list reads RocksDB once per window instead of once per element. Committed
     * state does not change under a batch, and the batch's own writes are found in the overlay first.
     */
    public byte[] getAhead(Cf cf, byte[] key, byte[] lo, byte[] hi, boolean reverse, int window) {
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
        io.basalt.server.util.ByteKey k = new io.basalt.server.util.ByteKey(key);
        byte[] hit = readAhead.get(k);
        if (hit != null) {
            return hit;
        }
        if (readAhead.size() > 65_536) {
            readAhead.clear();
        }
        try (KvCursor c = engine.reader().cursor(cf, lo, hi)) {
            if (reverse) {
                c.seekForPrev(key);
            } else {
                c.seek(key);
            }
            for (int i = 0; i < window && c.valid(); i++) {
                readAhead.put(new io.basalt.server.util.ByteKey(c.key()), c.value());
                if (reverse) {
                    c.prev();
                } else {
                    c.next();
                }
            }
        }
        return readAhead.get(k);
    }
    private final java.util.HashMap<io.basalt.server.util.ByteKey, byte[]> metaReads = new java.util.HashMap<>();

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
        Object prev = overlay(cf).put(key, value);
        if (inCommand) {
            journal.add(new Undo(cf, key, prev, null));
        }
        writes++;
    }

    @Override
    public void delete(Cf cf, byte[] key) {
        Object prev = overlay(cf).put(key, TOMBSTONE);
        if (inCommand) {
            journal.add(new Undo(cf, key, prev, null));
        }
        writes++;
    }

    @Override
    public void deleteRange(Cf cf, byte[] from, byte[] to) {
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

    /**
     * Marks where a command starts, so {@link #rollbackToSavePoint} can undo just that command. Save
     * points nest: a command inside EXEC or a script sets its own inside the transaction's.
     */
    public void setSavePoint() {
        if (!inCommand) {
            journal.clear();
        }
        inCommand = true;
        marks.add(journal.size());
    }

    /** Undoes every write since the innermost {@link #setSavePoint}. */
    public void rollbackToSavePoint() {
        int mark = marks.remove(marks.size() - 1);
        for (int i = journal.size() - 1; i >= mark; i--) {
            Undo u = journal.remove(i);
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

    /** The innermost command succeeded: its writes stay (undone only if an enclosing one fails). */
    public void releaseSavePoint() {
        marks.remove(marks.size() - 1);
        endCommand();
    }

    private void endCommand() {
        if (marks.isEmpty()) {
            inCommand = false;
            journal.clear();
        }
    }

    public int writeCount() {
        return writes;
    }

    /**
     * Writes the batch's final state: first its range deletes, then every key it touched, once, in
     * key order (the overlay already holds the last value of each key and nothing a later range
     * delete removed). A key written by a thousand commands of the batch costs one memtable insert.
     */
    void commitTo(RocksEngine engine, WriteOptions wo) {
        try {
            for (Cf cf : Cf.values()) {
                List<byte[][]> ranges = rangeDeletes[cf.ordinal()];
                if (ranges != null) {
                    for (byte[][] r : ranges) {
                        batch.deleteRange(engine.handle(cf), r[0], r[1]);
                    }
                }
                NavigableMap<byte[], Object> m = overlay[cf.ordinal()];
                if (m != null) {
                    for (Map.Entry<byte[], Object> e : m.entrySet()) {
                        if (e.getValue() == TOMBSTONE) {
                            batch.delete(engine.handle(cf), e.getKey());
                        } else {
                            batch.put(engine.handle(cf), e.getKey(), (byte[]) e.getValue());
                        }
                    }
                }
            }
        } catch (RocksDBException e) {
            throw new StorageException("batch write failed: " + e.getMessage(), e);
        }
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
