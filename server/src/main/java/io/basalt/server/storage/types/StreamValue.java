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
 * A stream as stored: always in member layout under the key's version (an empty stream exists, so
 * it cannot be packed away), with the stream's counters in the metadata payload:
 * <pre>
 *   META payload : last-id(16) entries-added(8) max-deleted-id(16) first-id(16) groups(8)
 *   E id(16)                              → fields and values (length-prefixed items)
 *   N master-id(16)                       → node: live(8) deleted(8) entry-bytes(8) last-id(16) master fields
 *   G group                               → last-delivered-id(16) entries-read(8) pel-count(8) consumers(8)
 *   C glen(4) group consumer              → seen-time(8) pel-count(8)
 *   P glen(4) group id(16)                → delivery-time(8) delivery-count(8) consumer   (group PEL)
 *   Q glen(4) group clen(4) consumer id(16) → empty                                        (consumer PEL)
 * </pre>
 * IDs are 16 big-endian bytes, so XRANGE is a range scan, and group and consumer names sort as
 * Redis's radix trees list them. Nodes model Redis's listpack nodes (which entries were appended
 * together, their listpack size): approximate trimming removes whole nodes only, exactly as Redis
 * does, and DUMP writes one listpack per node. The metadata's count is the stream length.
 */
public final class StreamValue {
    private static final byte ENTRY = 'E';
    private static final byte NODE = 'N';
    private static final byte GROUP = 'G';
    private static final byte CONSUMER = 'C';
    private static final byte PEL = 'P';
    private static final byte CPEL = 'Q';
    /** entries-read of a group whose position in the stream is unknown. */
    public static final long INVALID_READ = -1;

    private final Keyspace ks;
    private Entry entry;
    private final byte[] key;
    private Metadata meta;
    private byte[] prefix;
    private long length;
    private StreamId lastId = StreamId.MIN;
    private long entriesAdded;
    private StreamId maxDeletedId = StreamId.MIN;
    private StreamId firstId = StreamId.MIN;
    private long groupCount;
    private boolean dirty;

    private StreamValue(Keyspace ks, Entry entry) {
        this.ks = ks;
        this.entry = entry;
        this.key = entry.userKey();
        this.meta = entry.meta();
        if (meta != null) {
            prefix = KeyCodec.memberPrefix(key, meta.version());
            length = meta.size();
            byte[] p = meta.payload();
            lastId = StreamId.decode(p, 0);
            entriesAdded = KeyCodec.getLong(p, 16);
            maxDeletedId = StreamId.decode(p, 24);
            firstId = StreamId.decode(p, 40);
            groupCount = KeyCodec.getLong(p, 56);
        }
    }

    public static StreamValue of(Keyspace ks, byte[] key) {
        return of(ks, ks.entry(key));
    }

    public static StreamValue of(Keyspace ks, Entry e) {
        if (e.exists() && e.type() != RedisType.STREAM) {
            throw Errors.wrongType();
        }
        return new StreamValue(ks, e);
    }

    public boolean exists() {
        return meta != null;
    }

    public byte[] key() {
        return key;
    }

    public long length() {
        return length;
    }

    public StreamId lastId() {
        return lastId;
    }

    public long entriesAdded() {
        return entriesAdded;
    }

    public StreamId maxDeletedId() {
        return maxDeletedId;
    }

    public StreamId firstId() {
        return firstId;
    }

    public long groupCount() {
        return groupCount;
    }

    // ---- keys ----

    private byte[] k(byte tag, byte[]... parts) {
        int n = prefix.length + 1;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = Arrays.copyOf(prefix, n);
        out[prefix.length] = tag;
        int off = prefix.length + 1;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }

    private static byte[] len4(byte[] b) {
        byte[] l = new byte[4];
        KeyCodec.putInt(l, 0, b.length);
        return l;
    }

    private byte[] entryKey(StreamId id) {
        return k(ENTRY, id.encode());
    }

    private byte[] groupPrefix(byte tag, byte[] group) {
        return k(tag, len4(group), group);
    }

    // ---- entries ----

    /** A stream entry: its ID and its fields and values (f1, v1, f2, v2, …). */
    public record StreamEntry(StreamId id, List<byte[]> fields) {}

    @FunctionalInterface
    public interface EntryVisitor {
        boolean visit(StreamEntry e);
    }

    /** Visits entries with start ≤ id ≤ end, forwards or backwards, until the visitor returns false. */
    public void range(StreamId start, StreamId end, boolean reverse, EntryVisitor v) {
        if (meta == null || length == 0 || start.compareTo(end) > 0) {
            return;
        }
        byte[] from = entryKey(start);
        StreamId after = end.next();
        byte[] to = after == null ? KeyCodec.prefixEnd(k(ENTRY)) : entryKey(after);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, from, to)) {
            if (reverse) {
                c.seekToLast();
            } else {
                c.seekToFirst();
            }
            while (c.valid()) {
                byte[] key = c.key();
                StreamEntry e = new StreamEntry(StreamId.decode(key, key.length - 16), Packed.decode(c.value()));
                if (!v.visit(e)) {
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

    public List<StreamEntry> range(StreamId start, StreamId end, boolean reverse, long count) {
        List<StreamEntry> out = new ArrayList<>();
        range(start, end, reverse, e -> {
            out.add(e);
            return count <= 0 || out.size() < count;
        });
        return out;
    }

    /** The entry with this ID, or null. */
    public List<byte[]> get(StreamId id) {
        if (meta == null) {
            return null;
        }
        byte[] v = ks.kv().get(Cf.DATA, entryKey(id));
        return v == null ? null : Packed.decode(v);
    }

    public StreamEntry first() {
        List<StreamEntry> l = range(StreamId.MIN, StreamId.MAX, false, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    public StreamEntry last() {
        List<StreamEntry> l = range(StreamId.MIN, StreamId.MAX, true, 1);
        return l.isEmpty() ? null : l.get(0);
    }

    // ---- nodes (Redis's listpack nodes, modelled) ----

    /** A node: entries appended together from {@code master} to {@code last}, as Redis groups them. */
    public record Node(StreamId master, long live, long deleted, long entryBytes, StreamId last, List<byte[]> masterFields) {
        byte[] encode() {
            byte[] f = Packed.encode(masterFields);
            byte[] out = new byte[40 + f.length];
            KeyCodec.putLong(out, 0, live);
            KeyCodec.putLong(out, 8, deleted);
            KeyCodec.putLong(out, 16, entryBytes);
            last.encodeInto(out, 24);
            System.arraycopy(f, 0, out, 40, f.length);
            return out;
        }

        static Node decode(StreamId master, byte[] v) {
            return new Node(master, KeyCodec.getLong(v, 0), KeyCodec.getLong(v, 8), KeyCodec.getLong(v, 16),
                    StreamId.decode(v, 24), Packed.decode(Arrays.copyOfRange(v, 40, v.length)));
        }

        /** Bytes of the node's listpack as Redis would have it. */
        public long listpackBytes() {
            long b = 7 + ListpackSize.ofInt(live) + ListpackSize.ofInt(deleted) + ListpackSize.ofInt(masterFields.size())
                    + ListpackSize.ofInt(0);
            for (byte[] f : masterFields) {
                b += ListpackSize.of(f);
            }
            return b + entryBytes;
        }
    }

    /** All nodes in ID order. */
    public List<Node> nodes() {
        List<Node> out = new ArrayList<>();
        if (meta == null) {
            return out;
        }
        byte[] from = k(NODE);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, from, KeyCodec.prefixEnd(from))) {
            c.seekToFirst();
            while (c.valid()) {
                byte[] key = c.key();
                out.add(Node.decode(StreamId.decode(key, key.length - 16), c.value()));
                c.next();
            }
        }
        return out;
    }

    private Node lastNode() {
        byte[] from = k(NODE);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, from, KeyCodec.prefixEnd(from))) {
            c.seekToLast();
            if (!c.valid()) {
                return null;
            }
            byte[] key = c.key();
            return Node.decode(StreamId.decode(key, key.length - 16), c.value());
        }
    }

    /** The node holding {@code id} (the last node whose master ID is ≤ id), or null. */
    private Node nodeOf(StreamId id) {
        byte[] from = k(NODE);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, from, k(NODE, id.next() == null ? StreamId.MAX.encode() : id.next().encode()))) {
            c.seekToLast();
            if (!c.valid()) {
                return null;
            }
            byte[] key = c.key();
            return Node.decode(StreamId.decode(key, key.length - 16), c.value());
        }
    }

    private void putNode(Node n) {
        txn().batch().put(Cf.DATA, k(NODE, n.master().encode()), n.encode());
    }

    private void deleteNode(Node n) {
        txn().batch().delete(Cf.DATA, k(NODE, n.master().encode()));
    }

    /** Listpack bytes of one entry appended to a node with these master fields (Redis's layout). */
    static long entryBytes(StreamId master, StreamId id, List<byte[]> fields, List<byte[]> masterFields) {
        boolean same = sameFields(fields, masterFields);
        int pairs = fields.size() / 2;
        long b = ListpackSize.ofInt(same ? 2 : 0) + ListpackSize.ofInt(id.ms() - master.ms())
                + ListpackSize.ofInt(id.seq() - master.seq());
        if (same) {
            for (int i = 1; i < fields.size(); i += 2) {
                b += ListpackSize.of(fields.get(i));
            }
            b += ListpackSize.ofInt(pairs + 3);
        } else {
            b += ListpackSize.ofInt(pairs);
            for (byte[] f : fields) {
                b += ListpackSize.of(f);
            }
            b += ListpackSize.ofInt(2L * pairs + 4);
        }
        return b;
    }

    public static boolean sameFields(List<byte[]> fields, List<byte[]> masterFields) {
        if (fields.size() / 2 != masterFields.size()) {
            return false;
        }
        for (int i = 0; i < masterFields.size(); i++) {
            if (!Arrays.equals(fields.get(2 * i), masterFields.get(i))) {
                return false;
            }
        }
        return true;
    }

    // ---- writes ----

    private KeyspaceTxn txn() {
        return (KeyspaceTxn) ks;
    }

    /** Creates an empty stream (XADD, XGROUP CREATE MKSTREAM, RESTORE). */
    public void create() {
        if (meta == null) {
            meta = new Metadata(RedisType.STREAM, false, 0, txn().newVersion(), 0, new byte[0]);
            prefix = KeyCodec.memberPrefix(key, meta.version());
            dirty = true;
        }
    }

    /** Appends an entry whose ID the caller checked is greater than the last ID. */
    public void append(StreamId id, List<byte[]> fields) {
        appendRaw(id, fields, true);
        entriesAdded++;
        lastId = id;
    }

    /** Appends an entry (also RESTORE, which sets the counters itself), keeping the node model. */
    public void appendRaw(StreamId id, List<byte[]> fields, boolean model) {
        create();
        dirty = true;
        txn().batch().put(Cf.DATA, entryKey(id), Packed.encode(fields));
        if (length == 0) {
            firstId = id;
        }
        length++;
        if (!model) {
            return;
        }
        Encodings enc = txn().encodings();
        long maxBytes = enc.streamNodeMaxBytes();
        if (maxBytes <= 0 || maxBytes > (1L << 30)) {
            maxBytes = 1L << 30;
        }
        Node tail = lastNode();
        boolean fresh = tail == null;
        if (!fresh) {
            long valueBytes = 0;
            for (byte[] f : fields) {
                valueBytes += f.length;
            }
            if (tail.listpackBytes() + valueBytes >= maxBytes) {
                fresh = true;
            } else if (enc.streamNodeMaxEntries() > 0 && tail.live() + tail.deleted() >= enc.streamNodeMaxEntries()) {
                fresh = true;
            }
        }
        if (fresh) {
            List<byte[]> masterFields = new ArrayList<>();
            for (int i = 0; i < fields.size(); i += 2) {
                masterFields.add(fields.get(i));
            }
            putNode(new Node(id, 1, 0, entryBytes(id, id, fields, masterFields), id, masterFields));
        } else {
            putNode(new Node(tail.master(), tail.live() + 1, tail.deleted(),
                    tail.entryBytes() + entryBytes(tail.master(), id, fields, tail.masterFields()), id, tail.masterFields()));
        }
    }

    /** Restores a node as Redis had it (RESTORE), its entries already appended with {@code model} false. */
    public void putRestoredNode(Node n) {
        putNode(n);
    }

    /** XDEL of one ID: whether it existed. Updates first ID and max deleted ID as Redis does. */
    public boolean delete(StreamId id) {
        if (meta == null || length == 0) {
            return false;
        }
        byte[] ek = entryKey(id);
        if (ks.kv().get(Cf.DATA, ek) == null) {
            return false;
        }
        txn().batch().delete(Cf.DATA, ek);
        dirty = true;
        length--;
        Node n = nodeOf(id);
        if (n != null) {
            if (n.live() <= 1) {
                deleteNode(n);
            } else {
                putNode(new Node(n.master(), n.live() - 1, n.deleted() + 1, n.entryBytes(), n.last(), n.masterFields()));
            }
        }
        if (id.compareTo(maxDeletedId) > 0) {
            maxDeletedId = id;
        }
        if (id.equals(firstId)) {
            refreshFirst();
        }
        return true;
    }

    private void refreshFirst() {
        StreamEntry f = length == 0 ? null : first();
        firstId = f == null ? StreamId.MIN : f.id();
    }

    /**
     * XTRIM / XADD trimming, node by node as Redis does: whole nodes go while they can; then, unless
     * approximate, entries of the first remaining node. {@code minId} null means MAXLEN. Returns
     * how many entries were deleted.
     */
    public long trim(long maxLen, StreamId minId, boolean approx, long limit) {
        if (meta == null || length == 0) {
            return 0;
        }
        long deleted = 0;
        for (Node n : nodes()) {
            if (minId == null && length <= maxLen) {
                break;
            }
            long entries = n.live();
            if (limit > 0 && deleted + entries > limit) {
                break;
            }
            boolean removeNode = minId == null ? length - entries >= maxLen : n.last().compareTo(minId) < 0;
            if (removeNode) {
                deleteRange(n.master(), n.last(), entries);
                deleteNode(n);
                length -= entries;
                deleted += entries;
                continue;
            }
            if (approx) {
                break;
            }
            long[] removed = {0};
            List<StreamId> gone = new ArrayList<>();
            range(n.master(), n.last(), false, e -> {
                if (minId == null ? length - removed[0] <= maxLen : e.id().compareTo(minId) >= 0) {
                    return false;
                }
                gone.add(e.id());
                removed[0]++;
                return true;
            });
            for (StreamId id : gone) {
                txn().batch().delete(Cf.DATA, entryKey(id));
            }
            length -= removed[0];
            deleted += removed[0];
            if (removed[0] > 0) {
                putNode(new Node(n.master(), n.live() - removed[0], n.deleted() + removed[0], n.entryBytes(), n.last(),
                        n.masterFields()));
            }
            break;
        }
        if (deleted > 0) {
            dirty = true;
            refreshFirst();
        }
        return deleted;
    }

    private void deleteRange(StreamId from, StreamId to, long count) {
        byte[] a = entryKey(from);
        StreamId after = to.next();
        byte[] b = after == null ? KeyCodec.prefixEnd(k(ENTRY)) : entryKey(after);
        if (count <= 128) {
            List<byte[]> keys = new ArrayList<>();
            try (KvCursor c = ks.kv().cursor(Cf.DATA, a, b)) {
                c.seekToFirst();
                while (c.valid()) {
                    keys.add(c.key());
                    c.next();
                }
            }
            for (byte[] key : keys) {
                txn().batch().delete(Cf.DATA, key);
            }
        } else {
            txn().batch().deleteRange(Cf.DATA, a, b);
        }
    }

    /** XSETID / RESTORE: overwrite the counters. */
    public void setCounters(StreamId last, long added, StreamId maxDeleted) {
        create();
        lastId = last;
        entriesAdded = added;
        maxDeletedId = maxDeleted;
        dirty = true;
    }

    public void setFirstId(StreamId id) {
        firstId = id;
        dirty = true;
    }

    public void save() {
        if (!dirty) {
            return;
        }
        byte[] p = new byte[64];
        lastId.encodeInto(p, 0);
        KeyCodec.putLong(p, 16, entriesAdded);
        maxDeletedId.encodeInto(p, 24);
        firstId.encodeInto(p, 40);
        KeyCodec.putLong(p, 56, groupCount);
        meta = new Metadata(RedisType.STREAM, false, entry.exists() ? entry.expireAt() : 0, meta.version(), length, p);
        txn().put(entry, meta);
        entry = ks.entry(key);
        dirty = false;
    }

    // ---- consumer groups ----

    /** A consumer group's state. */
    public record Group(byte[] name, StreamId lastId, long entriesRead, long pelCount, long consumers) {
        byte[] encode() {
            byte[] v = new byte[40];
            lastId.encodeInto(v, 0);
            KeyCodec.putLong(v, 16, entriesRead);
            KeyCodec.putLong(v, 24, pelCount);
            KeyCodec.putLong(v, 32, consumers);
            return v;
        }

        static Group decode(byte[] name, byte[] v) {
            return new Group(name, StreamId.decode(v, 0), KeyCodec.getLong(v, 16), KeyCodec.getLong(v, 24), KeyCodec.getLong(v, 32));
        }

        public Group with(StreamId last, long read) {
            return new Group(name, last, read, pelCount, consumers);
        }
    }

    public record Consumer(byte[] name, long seenTime, long pelCount) {
        byte[] encode() {
            byte[] v = new byte[16];
            KeyCodec.putLong(v, 0, seenTime);
            KeyCodec.putLong(v, 8, pelCount);
            return v;
        }
    }

    /** A pending (delivered, not acknowledged) entry of a group. */
    public record Pending(StreamId id, byte[] consumer, long deliveryTime, long deliveryCount) {
        byte[] encode() {
            byte[] v = new byte[16 + consumer.length];
            KeyCodec.putLong(v, 0, deliveryTime);
            KeyCodec.putLong(v, 8, deliveryCount);
            System.arraycopy(consumer, 0, v, 16, consumer.length);
            return v;
        }

        static Pending decode(StreamId id, byte[] v) {
            return new Pending(id, Arrays.copyOfRange(v, 16, v.length), KeyCodec.getLong(v, 0), KeyCodec.getLong(v, 8));
        }
    }

    public Group group(byte[] name) {
        if (meta == null) {
            return null;
        }
        byte[] v = ks.kv().get(Cf.DATA, k(GROUP, name));
        return v == null ? null : Group.decode(name, v);
    }

    public List<Group> groups() {
        List<Group> out = new ArrayList<>();
        if (meta == null || groupCount == 0) {
            return out;
        }
        byte[] from = k(GROUP);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, from, KeyCodec.prefixEnd(from))) {
            c.seekToFirst();
            while (c.valid()) {
                byte[] key = c.key();
                out.add(Group.decode(Arrays.copyOfRange(key, from.length, key.length), c.value()));
                c.next();
            }
        }
        return out;
    }

    public void putGroup(Group g) {
        txn().batch().put(Cf.DATA, k(GROUP, g.name()), g.encode());
    }

    /** Creates a group; false if it exists. */
    public boolean createGroup(byte[] name, StreamId last, long entriesRead) {
        if (group(name) != null) {
            return false;
        }
        putGroup(new Group(name, last, entriesRead, 0, 0));
        groupCount++;
        dirty = true;
        return true;
    }

    public boolean destroyGroup(byte[] name) {
        if (group(name) == null) {
            return false;
        }
        txn().batch().delete(Cf.DATA, k(GROUP, name));
        for (byte tag : new byte[] {CONSUMER, PEL, CPEL}) {
            byte[] p = groupPrefix(tag, name);
            deletePrefix(p);
        }
        groupCount--;
        dirty = true;
        return true;
    }

    private void deletePrefix(byte[] p) {
        List<byte[]> keys = new ArrayList<>();
        try (KvCursor c = ks.kv().cursor(Cf.DATA, p, KeyCodec.prefixEnd(p))) {
            c.seekToFirst();
            while (c.valid() && keys.size() <= 128) {
                keys.add(c.key());
                c.next();
            }
        }
        if (keys.size() > 128) {
            txn().batch().deleteRange(Cf.DATA, p, KeyCodec.prefixEnd(p));
        } else {
            for (byte[] key : keys) {
                txn().batch().delete(Cf.DATA, key);
            }
        }
    }

    private byte[] consumerKey(byte[] group, byte[] consumer) {
        return k(CONSUMER, len4(group), group, consumer);
    }

    public Consumer consumer(byte[] group, byte[] name) {
        byte[] v = ks.kv().get(Cf.DATA, consumerKey(group, name));
        return v == null ? null : new Consumer(name, KeyCodec.getLong(v, 0), KeyCodec.getLong(v, 8));
    }

    public List<Consumer> consumers(byte[] group) {
        List<Consumer> out = new ArrayList<>();
        byte[] from = groupPrefix(CONSUMER, group);
        try (KvCursor c = ks.kv().cursor(Cf.DATA, from, KeyCodec.prefixEnd(from))) {
            c.seekToFirst();
            while (c.valid()) {
                byte[] key = c.key();
                byte[] v = c.value();
                out.add(new Consumer(Arrays.copyOfRange(key, from.length, key.length), KeyCodec.getLong(v, 0), KeyCodec.getLong(v, 8)));
                c.next();
            }
        }
        return out;
    }

    public void putConsumer(byte[] group, Consumer c) {
        txn().batch().put(Cf.DATA, consumerKey(group, c.name()), c.encode());
    }

    /** Creates the consumer if missing (seen now); returns it and whether it was created. */
    public Consumer ensureConsumer(byte[] group, byte[] name, long now, boolean[] created) {
        Consumer c = consumer(group, name);
        if (c == null) {
            c = new Consumer(name, now, 0);
            Group g = group(group);
            putGroup(new Group(g.name(), g.lastId(), g.entriesRead(), g.pelCount(), g.consumers() + 1));
            if (created != null) {
                created[0] = true;
            }
        } else {
            c = new Consumer(name, now, c.pelCount());
        }
        putConsumer(group, c);
        return c;
    }

    /** Deletes a consumer and its pending entries; returns how many it had pending. */
    public long deleteConsumer(byte[] group, byte[] name) {
        Consumer c = consumer(group, name);
        if (c == null) {
            return 0;
        }
        List<StreamId> ids = new ArrayList<>();
        consumerPending(group, name, StreamId.MIN, StreamId.MAX, id -> {
            ids.add(id);
            return true;
        });
        for (StreamId id : ids) {
            txn().batch().delete(Cf.DATA, pelKey(group, id));
            txn().batch().delete(Cf.DATA, cpelKey(group, name, id));
        }
        txn().batch().delete(Cf.DATA, consumerKey(group, name));
        Group g = group(group);
        putGroup(new Group(g.name(), g.lastId(), g.entriesRead(), g.pelCount() - ids.size(), g.consumers() - 1));
        return ids.size();
    }

    private byte[] pelKey(byte[] group, StreamId id) {
        return k(PEL, len4(group), group, id.encode());
    }

    private byte[] cpelKey(byte[] group, byte[] consumer, StreamId id) {
        return k(CPEL, len4(group), group, len4(consumer), consumer, id.encode());
    }

    public Pending pending(byte[] group, StreamId id) {
        byte[] v = ks.kv().get(Cf.DATA, pelKey(group, id));
        return v == null ? null : Pending.decode(id, v);
    }

    @FunctionalInterface
    public interface PendingVisitor {
        boolean visit(Pending p);
    }

    /** Visits the group's pending entries with start ≤ id ≤ end in ID order. */
    public void groupPending(byte[] group, StreamId start, StreamId end, PendingVisitor v) {
        if (start.compareTo(end) > 0) {
            return;
        }
        byte[] p = groupPrefix(PEL, group);
        StreamId after = end.next();
        byte[] to = after == null ? KeyCodec.prefixEnd(p) : k(PEL, len4(group), group, after.encode());
        try (KvCursor c = ks.kv().cursor(Cf.DATA, k(PEL, len4(group), group, start.encode()), to)) {
            c.seekToFirst();
            while (c.valid()) {
                byte[] key = c.key();
                if (!v.visit(Pending.decode(StreamId.decode(key, key.length - 16), c.value()))) {
                    return;
                }
                c.next();
            }
        }
    }

    @FunctionalInterface
    public interface IdVisitor {
        boolean visit(StreamId id);
    }

    /** Visits one consumer's pending IDs with start ≤ id ≤ end in ID order. */
    public void consumerPending(byte[] group, byte[] consumer, StreamId start, StreamId end, IdVisitor v) {
        if (start.compareTo(end) > 0) {
            return;
        }
        byte[] p = k(CPEL, len4(group), group, len4(consumer), consumer);
        StreamId after = end.next();
        byte[] to = after == null ? KeyCodec.prefixEnd(p) : k(CPEL, len4(group), group, len4(consumer), consumer, after.encode());
        try (KvCursor c = ks.kv().cursor(Cf.DATA, k(CPEL, len4(group), group, len4(consumer), consumer, start.encode()), to)) {
            c.seekToFirst();
            while (c.valid()) {
                byte[] key = c.key();
                if (!v.visit(StreamId.decode(key, key.length - 16))) {
                    return;
                }
                c.next();
            }
        }
    }

    /**
     * Makes {@code p} the pending entry of its ID, moving it from its previous consumer if it had
     * one, and keeping the group's and consumers' counts.
     */
    public void putPending(byte[] group, Pending p) {
        Pending old = pending(group, p.id());
        Group g = group(group);
        long pel = g.pelCount();
        if (old == null) {
            pel++;
        }
        if (old == null || !Arrays.equals(old.consumer(), p.consumer())) {
            if (old != null) {
                txn().batch().delete(Cf.DATA, cpelKey(group, old.consumer(), p.id()));
                adjustConsumer(group, old.consumer(), -1);
            }
            txn().batch().put(Cf.DATA, cpelKey(group, p.consumer(), p.id()), new byte[0]);
            adjustConsumer(group, p.consumer(), 1);
        }
        txn().batch().put(Cf.DATA, pelKey(group, p.id()), p.encode());
        if (pel != g.pelCount()) {
            putGroup(new Group(g.name(), g.lastId(), g.entriesRead(), pel, g.consumers()));
        }
    }

    /** Removes a pending entry (XACK, or a claim of a deleted entry); whether it existed. */
    public boolean removePending(byte[] group, StreamId id) {
        Pending old = pending(group, id);
        if (old == null) {
            return false;
        }
        txn().batch().delete(Cf.DATA, pelKey(group, id));
        txn().batch().delete(Cf.DATA, cpelKey(group, old.consumer(), id));
        adjustConsumer(group, old.consumer(), -1);
        Group g = group(group);
        putGroup(new Group(g.name(), g.lastId(), g.entriesRead(), g.pelCount() - 1, g.consumers()));
        return true;
    }

    private void adjustConsumer(byte[] group, byte[] name, long d) {
        Consumer c = consumer(group, name);
        if (c != null) {
            putConsumer(group, new Consumer(name, c.seenTime(), c.pelCount() + d));
        }
    }

    /** Whether an entry with this ID exists. */
    public boolean has(StreamId id) {
        return meta != null && ks.kv().get(Cf.DATA, entryKey(id)) != null;
    }

    // ---- Redis's group read counters (entries-read, lag) ----

    /** Whether max-deleted-id lies in [start, end] while entries remain after it (Redis's tombstone test). */
    public boolean rangeHasTombstones(StreamId start, StreamId end) {
        if (length == 0 || maxDeletedId.isMin()) {
            return false;
        }
        if (firstId.compareTo(maxDeletedId) > 0) {
            return false;
        }
        StreamId s = start == null ? StreamId.MIN : start;
        StreamId e = end == null ? StreamId.MAX : end;
        return s.compareTo(maxDeletedId) <= 0 && maxDeletedId.compareTo(e) <= 0;
    }

    /** The logical read counter of {@code id}, or {@link #INVALID_READ} when it cannot be known. */
    public long estimateDistance(StreamId id) {
        if (entriesAdded == 0) {
            return 0;
        }
        if (length == 0 && id.compareTo(lastId) < 1) {
            return entriesAdded;
        }
        int cmpLast = id.compareTo(lastId);
        if (cmpLast == 0) {
            return entriesAdded;
        } else if (cmpLast > 0) {
            return INVALID_READ;
        }
        int cmpFirst = id.compareTo(firstId);
        if (maxDeletedId.isMin() || maxDeletedId.compareTo(firstId) < 0) {
            if (cmpFirst < 0) {
                return entriesAdded - length;
            } else if (cmpFirst == 0) {
                return entriesAdded - length + 1;
            }
        }
        return INVALID_READ;
    }

    /** A group's lag, or null when it cannot be known. */
    public Long lag(Group g) {
        if (entriesAdded == 0) {
            return 0L;
        }
        if (g.entriesRead() != INVALID_READ && !rangeHasTombstones(g.lastId(), null)) {
            return entriesAdded - g.entriesRead();
        }
        long read = estimateDistance(g.lastId());
        return read == INVALID_READ ? null : entriesAdded - read;
    }

    public void markDirty() {
        dirty = true;
    }
}
