package io.basalt.server.storage.types;

import io.basalt.server.resp.Errors;
import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.encoding.Metadata;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A hash (field → value) or a set (member → empty value) as stored: packed inside the metadata value
 * while small, else one DATA entry per field under the key's current version. Reads work on any
 * {@link Keyspace}; writes need the batch's {@link KeyspaceTxn} and end with {@link #save}, which
 * writes the metadata (count, encoding) or deletes the key when it became empty.
 *
 * <p>Packed order is Redis's listpack/intset order: hashes keep insertion order, integer-only sets
 * keep numeric order. Member-layout order is byte order of the field.
 */
public final class FieldMap {
    public static final byte[] NO_VALUE = new byte[0];

    private final Keyspace ks;
    private final Entry entry;
    private final RedisType type;
    private Metadata meta;
    /** Packed items: hash = field, value, field, value…; set = members. Null in member layout. */
    private List<byte[]> packed;
    private byte[] prefix;
    private long size;
    private boolean dirty;

    private FieldMap(Keyspace ks, Entry entry, RedisType type) {
        this.ks = ks;
        this.entry = entry;
        this.type = type;
        this.meta = entry.meta();
        if (meta != null) {
            size = meta.size();
            if (meta.packed()) {
                packed = Packed.decode(meta.payload());
            } else {
                prefix = KeyCodec.memberPrefix(entry.userKey(), meta.version());
            }
        }
    }

    /** The key as a hash or set; WRONGTYPE if it holds another type. An absent key reads as empty. */
    public static FieldMap of(Keyspace ks, byte[] key, RedisType type) {
        Entry e = ks.entry(key);
        if (e.exists() && e.type() != type) {
            throw Errors.wrongType();
        }
        return new FieldMap(ks, e, type);
    }

    public static FieldMap of(Keyspace ks, Entry e, RedisType type) {
        if (e.exists() && e.type() != type) {
            throw Errors.wrongType();
        }
        return new FieldMap(ks, e, type);
    }

    public boolean exists() {
        return size > 0;
    }

    public long size() {
        return size;
    }

    public Entry entry() {
        return entry;
    }

    private boolean isHash() {
        return type == RedisType.HASH;
    }

    private int stride() {
        return isHash() ? 2 : 1;
    }

    private int indexOf(byte[] field) {
        int step = stride();
        for (int i = 0; i < packed.size(); i += step) {
            if (Arrays.equals(packed.get(i), field)) {
                return i;
            }
        }
        return -1;
    }

    /** The field's value (an empty array for a set member), or null. */
    public byte[] get(byte[] field) {
        if (size == 0) {
            return null;
        }
        if (packed != null) {
            int i = indexOf(field);
            return i < 0 ? null : isHash() ? packed.get(i + 1) : NO_VALUE;
        }
        return ks.kv().get(Cf.DATA, KeyCodec.memberKey(prefix, field));
    }

    public boolean contains(byte[] field) {
        return get(field) != null;
    }

    /** Visits fields in order until the visitor returns false. */
    public void forEach(Visitor v) {
        if (size == 0) {
            return;
        }
        if (packed != null) {
            int step = stride();
            for (int i = 0; i < packed.size(); i += step) {
                if (!v.visit(packed.get(i), isHash() ? packed.get(i + 1) : NO_VALUE)) {
                    return;
                }
            }
            return;
        }
        try (KvCursor c = ks.kv().cursor(Cf.DATA, prefix, KeyCodec.prefixEnd(prefix))) {
            c.seek(prefix);
            while (c.valid()) {
                byte[] k = c.key();
                if (!v.visit(Arrays.copyOfRange(k, prefix.length, k.length), c.value())) {
                    return;
                }
                c.next();
            }
        }
    }

    @FunctionalInterface
    public interface Visitor {
        boolean visit(byte[] field, byte[] value);
    }

    /** All fields (and values for a hash) in order, as field, value, field, value… or members. */
    public List<byte[]> all(boolean withValues) {
        List<byte[]> out = new ArrayList<>();
        forEach((f, val) -> {
            out.add(f);
            if (withValues) {
                out.add(val);
            }
            return true;
        });
        return out;
    }

    /**
     * One page of HSCAN/SSCAN: fields from {@code from} (inclusive; null = start) until about
     * {@code count} were visited. Returns the field to resume from, or null when done. A packed
     * value is returned whole in one page, as Redis does for listpacks and intsets.
     */
    public byte[] scan(byte[] from, long count, Visitor v) {
        if (size == 0) {
            return null;
        }
        if (packed != null) {
            forEach(v);
            return null;
        }
        byte[] start = from == null ? prefix : KeyCodec.memberKey(prefix, from);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, prefix, KeyCodec.prefixEnd(prefix))) {
            c.seek(start);
            long n = 0;
            while (c.valid()) {
                byte[] k = c.key();
                byte[] f = Arrays.copyOfRange(k, prefix.length, k.length);
                if (n++ >= count) {
                    return f;
                }
                v.visit(f, c.value());
                c.next();
            }
        }
        return null;
    }

    /**
     * A field chosen by {@code random}. Packed: uniform. Member layout: seeks to a random point of
     * the field space (cheap on any size, but biased towards fields after sparse gaps).
     */
    public byte[][] random(SplittableRandom random) {
        if (size == 0) {
            return null;
        }
        if (packed != null) {
            int i = random.nextInt((int) (packed.size() / stride())) * stride();
            return new byte[][] {packed.get(i), isHash() ? packed.get(i + 1) : NO_VALUE};
        }
        byte[] probe = new byte[8];
        for (int i = 0; i < probe.length; i++) {
            probe[i] = (byte) random.nextInt(256);
        }
        try (KvCursor c = ks.kv().cursor(Cf.DATA, prefix, KeyCodec.prefixEnd(prefix))) {
            c.seek(KeyCodec.memberKey(prefix, probe));
            if (!c.valid()) {
                c.seekToFirst();
            }
            byte[] k = c.key();
            return new byte[][] {Arrays.copyOfRange(k, prefix.length, k.length), c.value()};
        }
    }

    // ---- writes ----

    private KeyspaceTxn txn() {
        return (KeyspaceTxn) ks;
    }

    private void create() {
        KeyspaceTxn t = txn();
        meta = new Metadata(type, true, 0, t.newVersion(), 0, new byte[0]);
        packed = new ArrayList<>();
    }

    /** Sets a field; returns whether it is new. */
    public boolean put(byte[] field, byte[] value) {
        if (meta == null) {
            create();
        }
        dirty = true;
        if (packed != null) {
            int i = indexOf(field);
            if (i >= 0) {
                if (isHash()) {
                    packed.set(i + 1, value);
                }
                if (!fitsPacked(field, value, size)) {
                    convert();
                }
                return false;
            }
            if (fitsPacked(field, value, size + 1)) {
                insertPacked(field, value);
                size++;
                return true;
            }
            convert();
        }
        byte[] mk = KeyCodec.memberKey(prefix, field);
        boolean fresh = ks.kv().get(Cf.DATA, mk) == null;
        txn().batch().put(Cf.DATA, mk, isHash() ? value : NO_VALUE);
        if (fresh) {
            size++;
        }
        return fresh;
    }

    private void insertPacked(byte[] field, byte[] value) {
        if (isHash()) {
            packed.add(field);
            packed.add(value);
            return;
        }
        Long n = io.basalt.server.dispatch.Args.parseLong(field);
        if (n != null && allIntegers()) {
            int i = 0;
            while (i < packed.size() && io.basalt.server.dispatch.Args.parseLong(packed.get(i)) < n) {
                i++;
            }
            packed.add(i, field);
        } else {
            packed.add(field);
        }
    }

    private boolean allIntegers() {
        for (byte[] m : packed) {
            if (io.basalt.server.dispatch.Args.parseLong(m) == null) {
                return false;
            }
        }
        return true;
    }

    private boolean fitsPacked(byte[] field, byte[] value, long newSize) {
        Encodings enc = txn().encodings();
        if (isHash()) {
            return newSize <= enc.hashMaxEntries() && field.length <= enc.hashMaxValue() && value.length <= enc.hashMaxValue();
        }
        boolean ints = io.basalt.server.dispatch.Args.parseLong(field) != null && allIntegers();
        if (ints) {
            return newSize <= enc.setMaxIntsetEntries(); // an intset, or a hashtable in Redis
        }
        if (newSize > enc.setMaxEntries() || field.length > enc.setMaxValue()) {
            return false;
        }
        for (byte[] m : packed) {
            if (m.length > enc.setMaxValue()) {
                return false;
            }
        }
        return true;
    }

    /** Packed → member layout (one way, as in Redis). Keeps the version: no member entries exist under it yet. */
    private void convert() {
        prefix = KeyCodec.memberPrefix(entry.userKey(), meta.version());
        int step = stride();
        for (int i = 0; i < packed.size(); i += step) {
            txn().batch().put(Cf.DATA, KeyCodec.memberKey(prefix, packed.get(i)), isHash() ? packed.get(i + 1) : NO_VALUE);
        }
        packed = null;
    }

    /** Removes a field; returns whether it was there. */
    public boolean remove(byte[] field) {
        if (size == 0) {
            return false;
        }
        if (packed != null) {
            int i = indexOf(field);
            if (i < 0) {
                return false;
            }
            packed.remove(i);
            if (isHash()) {
                packed.remove(i);
            }
        } else {
            byte[] mk = KeyCodec.memberKey(prefix, field);
            if (ks.kv().get(Cf.DATA, mk) == null) {
                return false;
            }
            txn().batch().delete(Cf.DATA, mk);
        }
        size--;
        dirty = true;
        return true;
    }

    /** Writes the metadata after changes (or deletes the key if it became empty). */
    public void save() {
        if (!dirty) {
            return;
        }
        txn().saveComposite(entry, type, packed != null, meta.version(), size, packed != null ? Packed.encode(packed) : new byte[0]);
        dirty = false;
    }

    /** What OBJECT ENCODING reports, as Redis 7.0 would for this content. */
    public String encoding() {
        if (isHash()) {
            return packed != null ? "listpack" : "hashtable";
        }
        return packed != null && allIntegers() ? "intset" : "hashtable";
    }
}
