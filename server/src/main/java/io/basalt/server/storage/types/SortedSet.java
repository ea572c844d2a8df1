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

/**
 * A sorted set as stored: packed (member, score) pairs in (score, member) order inside the metadata
 * while small; else DATA member → score plus a SCORE index keyed (score, member) for ordered walks.
 * Ranks in the member layout are found by walking the index (O(rank)); counts are O(1).
 */
public final class SortedSet {
    /** One element. */
    public record Item(byte[] member, double score) {}

    private final Keyspace ks;
    private final Entry entry;
    private Metadata meta;
    private List<Item> packed;
    private byte[] prefix;
    private long size;
    private boolean dirty;

    private SortedSet(Keyspace ks, Entry entry) {
        this.ks = ks;
        this.entry = entry;
        this.meta = entry.meta();
        if (meta != null) {
            size = meta.size();
            if (meta.packed()) {
                List<byte[]> raw = Packed.decode(meta.payload());
                packed = new ArrayList<>(raw.size() / 2);
                for (int i = 0; i < raw.size(); i += 2) {
                    packed.add(new Item(raw.get(i), Double.longBitsToDouble(KeyCodec.getLong(raw.get(i + 1), 0))));
                }
            } else {
                prefix = KeyCodec.memberPrefix(entry.userKey(), meta.version());
            }
        }
    }

    public static SortedSet of(Keyspace ks, byte[] key) {
        return of(ks, ks.entry(key));
    }

    public static SortedSet of(Keyspace ks, Entry e) {
        if (e.exists() && e.type() != RedisType.ZSET) {
            throw Errors.wrongType();
        }
        return new SortedSet(ks, e);
    }

    public Entry entry() {
        return entry;
    }

    public boolean exists() {
        return size > 0;
    }

    public long size() {
        return size;
    }

    public boolean isPacked() {
        return packed != null;
    }

    static int compare(double s1, byte[] m1, double s2, byte[] m2) {
        int c = Double.compare(s1 == 0 ? 0.0 : s1, s2 == 0 ? 0.0 : s2);
        return c != 0 ? c : Arrays.compareUnsigned(m1, m2);
    }

    private int packedIndex(byte[] member) {
        for (int i = 0; i < packed.size(); i++) {
            if (Arrays.equals(packed.get(i).member(), member)) {
                return i;
            }
        }
        return -1;
    }

    public Double score(byte[] member) {
        if (size == 0) {
            return null;
        }
        if (packed != null) {
            int i = packedIndex(member);
            return i < 0 ? null : packed.get(i).score();
        }
        byte[] v = ks.kv().get(Cf.DATA, KeyCodec.memberKey(prefix, member));
        return v == null ? null : Double.longBitsToDouble(KeyCodec.getLong(v, 0));
    }

    /** 0-based rank in ascending order, or -1. */
    public long rank(byte[] member) {
        Double s = score(member);
        if (s == null) {
            return -1;
        }
        if (packed != null) {
            return packedIndex(member) == -1 ? -1 : indexOfItem(member, s);
        }
        long n = 0;
        byte[] target = KeyCodec.scoreKey(prefix, s, member);
        try (KvCursor c = ks.kv().cursor(Cf.SCORE, prefix, target)) {
            c.seek(prefix);
            while (c.valid()) {
                n++;
                c.next();
            }
        }
        return n;
    }

    private int indexOfItem(byte[] member, double s) {
        for (int i = 0; i < packed.size(); i++) {
            if (Arrays.equals(packed.get(i).member(), member)) {
                return i;
            }
        }
        return -1;
    }

    @FunctionalInterface
    public interface Visitor {
        boolean visit(byte[] member, double score);
    }

    /**
     * Walks elements in order (descending if {@code reverse}) starting at the first element at or
     * after {@code fromScore} in walk order (null = the first element), then skipping {@code skip}
     * elements, until the visitor returns false.
     */
    public void walk(boolean reverse, Double fromScore, byte[] fromMember, long skip, Visitor v) {
        if (size == 0) {
            return;
        }
        if (packed != null) {
            int n = packed.size();
            int i = 0;
            if (fromScore != null) {
                while (i < n) {
                    Item it = packed.get(reverse ? n - 1 - i : i);
                    int c = fromMember == null ? Double.compare(norm(it.score()), norm(fromScore))
                            : compare(it.score(), it.member(), fromScore, fromMember);
                    if (reverse ? c <= 0 : c >= 0) {
                        break;
                    }
                    i++;
                }
            }
            i += (int) Math.min(skip, Integer.MAX_VALUE);
            for (; i < n; i++) {
                Item it = packed.get(reverse ? n - 1 - i : i);
                if (!v.visit(it.member(), it.score())) {
                    return;
                }
            }
            return;
        }
        try (KvCursor c = ks.kv().cursor(Cf.SCORE, prefix, KeyCodec.prefixEnd(prefix))) {
            if (fromScore == null) {
                if (reverse) {
                    c.seekToLast();
                } else {
                    c.seekToFirst();
                }
            } else if (!reverse) {
                c.seek(KeyCodec.scoreKey(prefix, fromScore, fromMember == null ? new byte[0] : fromMember));
            } else if (fromMember != null) {
                c.seekForPrev(KeyCodec.scoreKey(prefix, fromScore, fromMember));
            } else {
                // last element with score <= fromScore: before the first key of the next score
                byte[] k = KeyCodec.scoreKey(prefix, fromScore, new byte[0]);
                long sortable = KeyCodec.sortableDouble(fromScore);
                if (sortable == -1L) {
                    c.seekToLast();
                } else {
                    KeyCodec.putLong(k, prefix.length, sortable + 1);
                    c.seek(k);
                    if (c.valid()) {
                        c.prev();
                    } else {
                        c.seekToLast();
                    }
                }
            }
            for (long s = 0; s < skip && c.valid(); s++) {
                if (reverse) {
                    c.prev();
                } else {
                    c.next();
                }
            }
            while (c.valid()) {
                byte[] k = c.key();
                double score = KeyCodec.unsortableDouble(KeyCodec.getLong(k, prefix.length));
                byte[] member = Arrays.copyOfRange(k, prefix.length + 8, k.length);
                if (score == 0) {
                    score = score(member); // the index folds -0 into 0; the member entry keeps the sign
                }
                if (!v.visit(member, score)) {
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

    private static double norm(double d) {
        return d == 0 ? 0.0 : d;
    }

    /** Every element in ascending order. */
    public List<Item> all() {
        List<Item> out = new ArrayList<>((int) Math.min(size, 1 << 16));
        walk(false, null, null, 0, (m, s) -> out.add(new Item(m, s)));
        return out;
    }

    /** First element in walk order, or null. */
    public Item first(boolean reverse) {
        Item[] out = new Item[1];
        walk(reverse, null, null, 0, (m, s) -> {
            out[0] = new Item(m, s);
            return false;
        });
        return out[0];
    }

    // ---- writes ----

    private KeyspaceTxn txn() {
        return (KeyspaceTxn) ks;
    }

    /** Adds or re-scores a member. Returns the previous score, or null if it is new. */
    public Double put(byte[] member, double score) {
        if (meta == null) {
            meta = new Metadata(RedisType.ZSET, true, 0, txn().newVersion(), 0, new byte[0]);
            packed = new ArrayList<>();
        }
        dirty = true;
        Encodings enc = txn().encodings();
        if (packed != null) {
            int i = packedIndex(member);
            Double old = i < 0 ? null : packed.get(i).score();
            long newSize = old == null ? size + 1 : size;
            if (newSize <= enc.zsetMaxEntries() && member.length <= enc.zsetMaxValue()) {
                if (i >= 0) {
                    packed.remove(i);
                }
                int at = 0;
                while (at < packed.size() && compare(packed.get(at).score(), packed.get(at).member(), score, member) < 0) {
                    at++;
                }
                packed.add(at, new Item(member, score));
                size = newSize;
                return old;
            }
            convert();
        }
        byte[] mk = KeyCodec.memberKey(prefix, member);
        byte[] oldRaw = ks.kv().get(Cf.DATA, mk);
        Double old = null;
        if (oldRaw != null) {
            old = Double.longBitsToDouble(KeyCodec.getLong(oldRaw, 0));
            txn().batch().delete(Cf.SCORE, KeyCodec.scoreKey(prefix, old, member));
        } else {
            size++;
        }
        byte[] sv = new byte[8];
        KeyCodec.putLong(sv, 0, Double.doubleToRawLongBits(score));
        txn().batch().put(Cf.DATA, mk, sv);
        txn().batch().put(Cf.SCORE, KeyCodec.scoreKey(prefix, score, member), new byte[0]);
        return old;
    }

    private void convert() {
        prefix = KeyCodec.memberPrefix(entry.userKey(), meta.version());
        for (Item it : packed) {
            byte[] sv = new byte[8];
            KeyCodec.putLong(sv, 0, Double.doubleToRawLongBits(it.score()));
            txn().batch().put(Cf.DATA, KeyCodec.memberKey(prefix, it.member()), sv);
            txn().batch().put(Cf.SCORE, KeyCodec.scoreKey(prefix, it.score(), it.member()), new byte[0]);
        }
        packed = null;
    }

    public boolean remove(byte[] member) {
        if (size == 0) {
            return false;
        }
        if (packed != null) {
            int i = packedIndex(member);
            if (i < 0) {
                return false;
            }
            packed.remove(i);
        } else {
            byte[] mk = KeyCodec.memberKey(prefix, member);
            byte[] oldRaw = ks.kv().get(Cf.DATA, mk);
            if (oldRaw == null) {
                return false;
            }
            double old = Double.longBitsToDouble(KeyCodec.getLong(oldRaw, 0));
            txn().batch().delete(Cf.DATA, mk);
            txn().batch().delete(Cf.SCORE, KeyCodec.scoreKey(prefix, old, member));
        }
        size--;
        dirty = true;
        return true;
    }

    public void save() {
        if (!dirty) {
            return;
        }
        byte[] payload = new byte[0];
        if (packed != null) {
            List<byte[]> raw = new ArrayList<>(packed.size() * 2);
            for (Item it : packed) {
                raw.add(it.member());
                byte[] sv = new byte[8];
                KeyCodec.putLong(sv, 0, Double.doubleToRawLongBits(it.score()));
                raw.add(sv);
            }
            payload = Packed.encode(raw);
        }
        txn().saveComposite(entry, RedisType.ZSET, packed != null, meta.version(), size, payload);
        dirty = false;
    }

    public String encoding() {
        return packed != null ? "listpack" : "skiplist";
    }
}
