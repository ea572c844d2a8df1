package io.basalt.server.storage.types;

import io.basalt.server.resp.Errors;
import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.encoding.Metadata;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import java.util.ArrayList;
import java.util.List;

/**
 * A list as stored: packed elements inside the metadata while small; else one DATA entry per
 * element keyed by its position, with the head and tail positions in the metadata payload, so
 * pushes and pops at both ends are O(1) and LINDEX/LSET are one point access. Operations in the
 * middle (LINSERT, LREM) rewrite the positions after the change point, O(N) as in Redis.
 */
public final class ListValue {
    private final Keyspace ks;
    private final Entry entry;
    private Metadata meta;
    private List<byte[]> packed;
    private byte[] prefix;
    private long head;
    private long tail; // exclusive
    private long bytes;
    private boolean dirty;

    private ListValue(Keyspace ks, Entry entry) {
        this.ks = ks;
        this.entry = entry;
        this.meta = entry.meta();
        if (meta != null) {
            if (meta.packed()) {
                packed = Packed.decode(meta.payload());
                for (byte[] b : packed) {
                    bytes += b.length;
                }
            } else {
                prefix = KeyCodec.memberPrefix(entry.userKey(), meta.version());
                head = KeyCodec.getLong(meta.payload(), 0);
                tail = KeyCodec.getLong(meta.payload(), 8);
            }
        }
    }

    public static ListValue of(Keyspace ks, byte[] key) {
        return of(ks, ks.entry(key));
    }

    public static ListValue of(Keyspace ks, Entry e) {
        if (e.exists() && e.type() != RedisType.LIST) {
            throw Errors.wrongType();
        }
        return new ListValue(ks, e);
    }

    public Entry entry() {
        return entry;
    }

    public long size() {
        return packed != null ? packed.size() : tail - head;
    }

    public boolean exists() {
        return meta != null && size() > 0;
    }

    public byte[] get(long index) {
        long n = size();
        if (index < 0 || index >= n) {
            return null;
        }
        if (packed != null) {
            return packed.get((int) index);
        }
        return ks.kv().get(Cf.DATA, KeyCodec.indexKey(prefix, head + index));
    }

    @FunctionalInterface
    public interface Visitor {
        boolean visit(long index, byte[] element);
    }

    /** Visits elements [start, stop] (0-based, clamped), forwards or backwards, until the visitor returns false. */
    public void range(long start, long stop, boolean reverse, Visitor v) {
        long n = size();
        start = Math.max(0, start);
        stop = Math.min(n - 1, stop);
        if (start > stop) {
            return;
        }
        if (packed != null) {
            for (long i = reverse ? stop : start; reverse ? i >= start : i <= stop; i += reverse ? -1 : 1) {
                if (!v.visit(i, packed.get((int) i))) {
                    return;
                }
            }
            return;
        }
        byte[] from = KeyCodec.indexKey(prefix, head + start);
        byte[] to = KeyCodec.indexKey(prefix, head + stop + 1);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, from, to)) {
            if (reverse) {
                c.seekToLast();
            } else {
                c.seekToFirst();
            }
            while (c.valid()) {
                long i = KeyCodec.indexOf(c.key()) - head;
                if (!v.visit(i, c.value())) {
                    return;
                }
                if (reverse) {
                    c.prev();
                } else {
                    c.next();
                }
            }
        }
    }

    public List<byte[]> all() {
        List<byte[]> out = new ArrayList<>((int) Math.min(size(), 1 << 16));
        range(0, size() - 1, false, (i, e) -> out.add(e));
        return out;
    }

    // ---- writes ----

    private KeyspaceTxn txn() {
        return (KeyspaceTxn) ks;
    }

    private void ensure() {
        if (meta == null) {
            meta = new Metadata(RedisType.LIST, true, 0, txn().newVersion(), 0, new byte[0]);
            packed = new ArrayList<>();
            bytes = 0;
        }
        dirty = true;
    }

    public void push(boolean left, byte[] element) {
        ensure();
        if (packed != null) {
            if (txn().encodings().listFits(packed.size() + 1, bytes + element.length)) {
                if (left) {
                    packed.add(0, element);
                } else {
                    packed.add(element);
                }
                bytes += element.length;
                return;
            }
            convert();
        }
        long pos = left ? --head : tail++;
        txn().batch().put(Cf.DATA, KeyCodec.indexKey(prefix, pos), element);
    }

    private void convert() {
        prefix = KeyCodec.memberPrefix(entry.userKey(), meta.version());
        head = 0;
        tail = 0;
        for (byte[] e : packed) {
            txn().batch().put(Cf.DATA, KeyCodec.indexKey(prefix, tail++), e);
        }
        packed = null;
    }

    public byte[] pop(boolean left) {
        if (size() == 0) {
            return null;
        }
        dirty = true;
        if (packed != null) {
            byte[] e = packed.remove(left ? 0 : packed.size() - 1);
            bytes -= e.length;
            return e;
        }
        long pos = left ? head : tail - 1;
        byte[] k = KeyCodec.indexKey(prefix, pos);
        byte[] e = txn().batch().getAhead(Cf.DATA, k, KeyCodec.indexKey(prefix, head), KeyCodec.indexKey(prefix, tail), !left, 64);
        txn().batch().delete(Cf.DATA, k);
        if (left) {
            head++;
        } else {
            tail--;
        }
        return e;
    }

    public void set(long index, byte[] element) {
        dirty = true;
        if (packed != null) {
            byte[] old = packed.set((int) index, element);
            bytes += element.length - old.length;
            if (!txn().encodings().listFits(packed.size(), bytes)) {
                convert();
            }
            return;
        }
        txn().batch().put(Cf.DATA, KeyCodec.indexKey(prefix, head + index), element);
    }

    /** Keeps only [start, stop] (already clamped, start <= stop), deleting the rest. */
    public void trim(long start, long stop) {
        dirty = true;
        long n = size();
        if (packed != null) {
            List<byte[]> kept = new ArrayList<>(packed.subList((int) start, (int) stop + 1));
            packed = kept;
            bytes = 0;
            for (byte[] b : kept) {
                bytes += b.length;
            }
            return;
        }
        if (start > 0) {
            deletePositions(head, head + start);
        }
        if (stop < n - 1) {
            deletePositions(head + stop + 1, tail);
        }
        tail = head + stop + 1;
        head = head + start;
    }

    /**
     * Deletes the elements at positions [from, to). A few are deleted one by one: a capped list
     * (LPUSH + LTRIM per write) must not leave a range tombstone per command, which RocksDB reads
     * would have to skip over; many go in one range delete.
     */
    private void deletePositions(long from, long to) {
        if (to - from <= 128) {
            for (long p = from; p < to; p++) {
                txn().batch().delete(Cf.DATA, KeyCodec.indexKey(prefix, p));
            }
        } else {
            txn().batch().deleteRange(Cf.DATA, KeyCodec.indexKey(prefix, from), KeyCodec.indexKey(prefix, to));
        }
    }

    /** Empties the list (LTRIM out of range). */
    public void clear() {
        dirty = true;
        if (packed != null) {
            packed.clear();
            bytes = 0;
        } else {
            tail = head;
        }
    }

    /**
     * Replaces the elements from position {@code from} to the end with {@code rest} (LINSERT, LREM):
     * O(size - from) rewrites.
     */
    public void replaceFrom(long from, List<byte[]> rest) {
        dirty = true;
        if (packed != null) {
            List<byte[]> all = new ArrayList<>(packed.subList(0, (int) from));
            all.addAll(rest);
            packed = all;
            bytes = 0;
            for (byte[] b : all) {
                bytes += b.length;
            }
            if (!txn().encodings().listFits(packed.size(), bytes)) {
                convert();
            }
            return;
        }
        if (head + from < tail) {
            deletePositions(head + from, tail);
        }
        tail = head + from;
        for (byte[] e : rest) {
            txn().batch().put(Cf.DATA, KeyCodec.indexKey(prefix, tail++), e);
        }
    }

    public void save() {
        if (!dirty) {
            return;
        }
        byte[] payload;
        if (packed != null) {
            payload = Packed.encode(packed);
        } else {
            payload = new byte[16];
            KeyCodec.putLong(payload, 0, head);
            KeyCodec.putLong(payload, 8, tail);
        }
        txn().saveComposite(entry, RedisType.LIST, packed != null, meta.version(), size(), payload);
        dirty = false;
    }

    /** Redis 7.0 reports every list as a quicklist. */
    public String encoding() {
        return "quicklist";
    }
}
