package io.basalt.server.rdb;

import java.nio.charset.StandardCharsets;

/** Reads RDB objects from DUMP payloads. Throws {@link BadFormat} for anything it cannot read. */
public final class RdbReader {
    /** The payload is not a valid RDB object (RESTORE replies "Bad data format"). */
    public static final class BadFormat extends Exception {
        public BadFormat(String why) {
            super(why, null, false, false);
        }
    }

    /**
     * A restored value: its kind ({@code TYPE_STRING}, {@code TYPE_LIST}, {@code TYPE_SET},
     * {@code TYPE_ZSET}, {@code TYPE_HASH}), the string, or the elements (hash: field, value, …;
     * sorted set: members with {@code scores}).
     */
    public record Value(int rdbType, byte[] string, java.util.List<byte[]> items, double[] scores, StreamDump stream) {
        Value(int rdbType, byte[] string) {
            this(rdbType, string, null, null, null);
        }

        Value(int rdbType, byte[] string, java.util.List<byte[]> items, double[] scores) {
            this(rdbType, string, items, scores, null);
        }
    }

    private final byte[] buf;
    private int pos;
    private final int end;

    private RdbReader(byte[] buf, int end) {
        this.buf = buf;
        this.end = end;
    }

    /** Checks the trailer (RDB version ≤ ours, CRC-64 matches). */
    public static boolean verify(byte[] payload) {
        if (payload.length < 10) {
            return false;
        }
        int footer = payload.length - 10;
        int version = (payload[footer] & 0xFF) | ((payload[footer + 1] & 0xFF) << 8);
        if (version > RdbWriter.RDB_VERSION) {
            return false;
        }
        long crc = 0;
        for (int i = 7; i >= 0; i--) {
            crc = (crc << 8) | (payload[payload.length - 8 + i] & 0xFF);
        }
        return Crc64.of(payload, 0, payload.length - 8) == crc;
    }

    /** The library codes of a verified FUNCTION DUMP payload. */
    public static java.util.List<byte[]> readFunctions(byte[] payload) throws BadFormat {
        RdbReader r = new RdbReader(payload, payload.length - 10);
        java.util.List<byte[]> codes = new java.util.ArrayList<>();
        while (r.pos < r.end) {
            int op = r.u8();
            if (op != RdbWriter.OPCODE_FUNCTION2) {
                throw new BadFormat("given type is not a function");
            }
            codes.add(r.readString());
        }
        return codes;
    }

    /** Decodes a verified payload's object. */
    public static Value read(byte[] payload) throws BadFormat {
        RdbReader r = new RdbReader(payload, payload.length - 10);
        int type = r.u8();
        Value v = r.readObject(type);
        if (r.pos != r.end) {
            throw new BadFormat("trailing bytes after the object");
        }
        return v;
    }

    private Value readObject(int type) throws BadFormat {
        switch (type) {
            case RdbWriter.TYPE_STRING:
                return new Value(type, readString());
            case RdbWriter.TYPE_LIST:
                return new Value(RdbWriter.TYPE_LIST, null, nonEmpty(readStrings(count(1))), null);
            case RdbWriter.TYPE_SET:
                return new Value(RdbWriter.TYPE_SET, null, distinct(nonEmpty(readStrings(count(1))), 1), null);
            case RdbWriter.TYPE_HASH:
                return new Value(RdbWriter.TYPE_HASH, null, distinct(nonEmpty(readStrings(count(2))), 2), null);
            case RdbWriter.TYPE_ZSET:
            case RdbWriter.TYPE_ZSET_2: {
                long n = count(1);
                java.util.List<byte[]> members = new java.util.ArrayList<>();
                double[] scores = new double[(int) n];
                for (int i = 0; i < n; i++) {
                    members.add(readString());
                    scores[i] = type == RdbWriter.TYPE_ZSET_2 ? binaryDouble() : stringDouble();
                }
                return new Value(RdbWriter.TYPE_ZSET, null, distinct(nonEmpty(members), 1), scores);
            }
            case RdbWriter.TYPE_SET_INTSET:
                return new Value(RdbWriter.TYPE_SET, null, Intset.decode(readString()), null);
            case RdbWriter.TYPE_HASH_ZIPLIST:
            case RdbWriter.TYPE_HASH_LISTPACK: {
                java.util.List<byte[]> items = type == RdbWriter.TYPE_HASH_LISTPACK ? Listpack.decode(readString()) : Ziplist.decode(readString());
                if (items.size() % 2 != 0) {
                    throw new BadFormat("odd hash listpack");
                }
                return new Value(RdbWriter.TYPE_HASH, null, distinct(nonEmpty(items), 2), null);
            }
            case RdbWriter.TYPE_ZSET_ZIPLIST:
            case RdbWriter.TYPE_ZSET_LISTPACK: {
                java.util.List<byte[]> items = type == RdbWriter.TYPE_ZSET_LISTPACK ? Listpack.decode(readString()) : Ziplist.decode(readString());
                if (items.size() % 2 != 0) {
                    throw new BadFormat("odd zset listpack");
                }
                java.util.List<byte[]> members = new java.util.ArrayList<>();
                double[] scores = new double[items.size() / 2];
                for (int i = 0; i < items.size(); i += 2) {
                    members.add(items.get(i));
                    Double d = io.basalt.server.dispatch.Args.parseDouble(items.get(i + 1));
                    if (d == null) {
                        throw new BadFormat("bad score in zset listpack");
                    }
                    scores[i / 2] = d;
                }
                return new Value(RdbWriter.TYPE_ZSET, null, distinct(nonEmpty(members), 1), scores);
            }
            case RdbWriter.TYPE_LIST_ZIPLIST:
                return new Value(RdbWriter.TYPE_LIST, null, nonEmpty(Ziplist.decode(readString())), null);
            case RdbWriter.TYPE_LIST_QUICKLIST:
            case RdbWriter.TYPE_LIST_QUICKLIST_2: {
                long nodes = count(1);
                java.util.List<byte[]> all = new java.util.ArrayList<>();
                for (long i = 0; i < nodes; i++) {
                    long container = type == RdbWriter.TYPE_LIST_QUICKLIST_2 ? readLength(null) : 2;
                    byte[] blob = readString();
                    if (container == 1) {
                        all.add(blob); // a plain node: one large element
                    } else if (container == 2) {
                        java.util.List<byte[]> node = type == RdbWriter.TYPE_LIST_QUICKLIST_2 ? Listpack.decode(blob) : Ziplist.decode(blob);
                        if (node.isEmpty()) {
                            throw new BadFormat("empty quicklist node");
                        }
                        all.addAll(node);
                    } else {
                        throw new BadFormat("unknown quicklist container");
                    }
                }
                return new Value(RdbWriter.TYPE_LIST, null, nonEmpty(all), null);
            }
            case RdbWriter.TYPE_STREAM_LISTPACKS:
            case RdbWriter.TYPE_STREAM_LISTPACKS_2:
                return new Value(RdbWriter.TYPE_STREAM_LISTPACKS_2, null, null, null, readStream(type == RdbWriter.TYPE_STREAM_LISTPACKS_2));
            default:
                throw new BadFormat("unsupported RDB type " + type);
        }
    }

    private StreamDump readStream(boolean v2) throws BadFormat {
        long nodeCount = readLength(null);
        if (nodeCount > end - pos) {
            throw new BadFormat("bad stream node count");
        }
        java.util.List<StreamDump.Node> nodes = new java.util.ArrayList<>();
        io.basalt.server.storage.types.StreamId prevMaster = null;
        for (long i = 0; i < nodeCount; i++) {
            byte[] key = readString();
            if (key.length != 16) {
                throw new BadFormat("stream node key is not an ID");
            }
            io.basalt.server.storage.types.StreamId master = io.basalt.server.storage.types.StreamId.decode(key, 0);
            if (prevMaster != null && master.compareTo(prevMaster) <= 0) {
                throw new BadFormat("stream nodes out of order");
            }
            prevMaster = master;
            byte[] lp = readString();
            nodes.add(node(master, lp));
        }
        long length = readLength(null);
        io.basalt.server.storage.types.StreamId last = readId();
        io.basalt.server.storage.types.StreamId first = io.basalt.server.storage.types.StreamId.MIN;
        io.basalt.server.storage.types.StreamId maxDeleted = io.basalt.server.storage.types.StreamId.MIN;
        long added = length;
        if (v2) {
            first = readId();
            maxDeleted = readId();
            added = readLength(null);
        } else {
            for (StreamDump.Node n : nodes) {
                if (!n.entries().isEmpty()) {
                    first = n.entries().get(0).id();
                    break;
                }
            }
        }
        long groupCount = readLength(null);
        if (groupCount > end - pos) {
            throw new BadFormat("bad stream group count");
        }
        java.util.List<StreamDump.Group> groups = new java.util.ArrayList<>();
        java.util.HashSet<io.basalt.server.util.ByteKey> names = new java.util.HashSet<>();
        for (long g = 0; g < groupCount; g++) {
            byte[] name = readString();
            if (!names.add(new io.basalt.server.util.ByteKey(name))) {
                throw new BadFormat("duplicate consumer group");
            }
            io.basalt.server.storage.types.StreamId gLast = readId();
            long entriesRead = v2 ? readLength(null) : -1;
            long pelSize = readLength(null);
            if (pelSize > (end - pos) / 17) {
                throw new BadFormat("bad PEL size");
            }
            java.util.List<StreamDump.Nack> pel = new java.util.ArrayList<>();
            java.util.HashSet<io.basalt.server.storage.types.StreamId> inPel = new java.util.HashSet<>();
            for (long p = 0; p < pelSize; p++) {
                io.basalt.server.storage.types.StreamId id = io.basalt.server.storage.types.StreamId.decode(raw(16), 0);
                long time = millis();
                long count = readLength(null);
                if (!inPel.add(id)) {
                    throw new BadFormat("duplicate PEL entry");
                }
                pel.add(new StreamDump.Nack(id, time, count));
            }
            long consumerCount = readLength(null);
            if (consumerCount > end - pos) {
                throw new BadFormat("bad consumer count");
            }
            java.util.List<StreamDump.Consumer> consumers = new java.util.ArrayList<>();
            java.util.HashSet<io.basalt.server.util.ByteKey> cnames = new java.util.HashSet<>();
            java.util.HashSet<io.basalt.server.storage.types.StreamId> owned = new java.util.HashSet<>();
            for (long c = 0; c < consumerCount; c++) {
                byte[] cname = readString();
                if (!cnames.add(new io.basalt.server.util.ByteKey(cname))) {
                    throw new BadFormat("duplicate consumer");
                }
                long seen = millis();
                long n = readLength(null);
                if (n > (end - pos) / 16) {
                    throw new BadFormat("bad consumer PEL size");
                }
                java.util.List<io.basalt.server.storage.types.StreamId> ids = new java.util.ArrayList<>();
                for (long k = 0; k < n; k++) {
                    io.basalt.server.storage.types.StreamId id = io.basalt.server.storage.types.StreamId.decode(raw(16), 0);
                    if (!inPel.contains(id) || !owned.add(id)) {
                        throw new BadFormat("consumer PEL entry not in the group PEL");
                    }
                    ids.add(id);
                }
                consumers.add(new StreamDump.Consumer(cname, seen, ids));
            }
            groups.add(new StreamDump.Group(name, gLast, entriesRead, pel, consumers));
        }
        return new StreamDump(nodes, length, last, first, maxDeleted, added, groups);
    }

    /** Parses one node's listpack: master entry, then entries (deleted ones skipped, but counted). */
    private static StreamDump.Node node(io.basalt.server.storage.types.StreamId master, byte[] lp) throws BadFormat {
        java.util.List<byte[]> items = Listpack.decode(lp);
        if (items.isEmpty()) {
            throw new BadFormat("empty listpack inside stream");
        }
        int p = 0;
        long live = num(items, p++);
        long deleted = num(items, p++);
        long nf = num(items, p++);
        if (nf < 0 || nf > items.size()) {
            throw new BadFormat("bad master field count");
        }
        java.util.List<byte[]> masterFields = new java.util.ArrayList<>();
        for (long i = 0; i < nf; i++) {
            masterFields.add(item(items, p++));
        }
        if (num(items, p++) != 0) {
            throw new BadFormat("bad master entry terminator");
        }
        long headerBytes = 7 + io.basalt.server.storage.types.ListpackSize.ofInt(live)
                + io.basalt.server.storage.types.ListpackSize.ofInt(deleted) + io.basalt.server.storage.types.ListpackSize.ofInt(nf)
                + io.basalt.server.storage.types.ListpackSize.ofInt(0);
        for (byte[] f : masterFields) {
            headerBytes += io.basalt.server.storage.types.ListpackSize.of(f);
        }
        java.util.List<StreamDump.Entry> entries = new java.util.ArrayList<>();
        io.basalt.server.storage.types.StreamId last = master;
        long seenLive = 0;
        long seenDeleted = 0;
        while (p < items.size()) {
            long flags = num(items, p++);
            long msd = num(items, p++);
            long seqd = num(items, p++);
            io.basalt.server.storage.types.StreamId id = new io.basalt.server.storage.types.StreamId(master.ms() + msd, master.seq() + seqd);
            if (id.compareTo(last) < 0 || (id.equals(last) && !entries.isEmpty())) {
                throw new BadFormat("stream IDs out of order");
            }
            java.util.List<byte[]> fields = new java.util.ArrayList<>();
            if ((flags & 2) != 0) {
                for (byte[] f : masterFields) {
                    fields.add(f);
                    fields.add(item(items, p++));
                }
            } else {
                long n = num(items, p++);
                if (n < 0 || n > items.size()) {
                    throw new BadFormat("bad field count");
                }
                for (long i = 0; i < 2 * n; i++) {
                    fields.add(item(items, p++));
                }
            }
            num(items, p++); // lp-count
            last = id;
            if ((flags & 1) != 0) {
                seenDeleted++;
            } else {
                seenLive++;
                entries.add(new StreamDump.Entry(id, fields));
            }
        }
        if (seenLive != live || seenDeleted != deleted) {
            throw new BadFormat("stream node counts mismatch");
        }
        return new StreamDump.Node(master, masterFields, entries, deleted, last, lp.length - headerBytes);
    }

    private static byte[] item(java.util.List<byte[]> items, int i) throws BadFormat {
        if (i >= items.size()) {
            throw new BadFormat("truncated stream listpack");
        }
        return items.get(i);
    }

    private static long num(java.util.List<byte[]> items, int i) throws BadFormat {
        Long v = io.basalt.server.dispatch.Args.parseLong(item(items, i));
        if (v == null) {
            throw new BadFormat("expected an integer in stream listpack");
        }
        return v;
    }

    private io.basalt.server.storage.types.StreamId readId() throws BadFormat {
        long ms = readLength(null);
        long seq = readLength(null);
        return new io.basalt.server.storage.types.StreamId(ms, seq);
    }

    private byte[] raw(int n) throws BadFormat {
        if (n > end - pos) {
            throw new BadFormat("truncated");
        }
        byte[] b = java.util.Arrays.copyOfRange(buf, pos, pos + n);
        pos += n;
        return b;
    }

    private long millis() throws BadFormat {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v |= (long) u8() << (8 * i);
        }
        return v;
    }

    /** An element count, sanity-checked against the bytes left (each element takes at least one byte). */
    private long count(int perElement) throws BadFormat {
        long n = readLength(null);
        if (n == 0 || n > (long) (end - pos) / perElement) {
            throw new BadFormat("bad element count");
        }
        return n * perElement;
    }

    private java.util.List<byte[]> readStrings(long n) throws BadFormat {
        java.util.List<byte[]> out = new java.util.ArrayList<>();
        for (long i = 0; i < n; i++) {
            out.add(readString());
        }
        return out;
    }

    private static java.util.List<byte[]> nonEmpty(java.util.List<byte[]> items) throws BadFormat {
        if (items.isEmpty()) {
            throw new BadFormat("empty collection");
        }
        return items;
    }

    /** Rejects duplicate members (every {@code stride}-th item is a member/field). */
    private static java.util.List<byte[]> distinct(java.util.List<byte[]> items, int stride) throws BadFormat {
        java.util.HashSet<io.basalt.server.util.ByteKey> seen = new java.util.HashSet<>();
        for (int i = 0; i < items.size(); i += stride) {
            if (!seen.add(new io.basalt.server.util.ByteKey(items.get(i)))) {
                throw new BadFormat("duplicate member");
            }
        }
        return items;
    }

    private double binaryDouble() throws BadFormat {
        long bits = 0;
        for (int i = 0; i < 8; i++) {
            bits |= (long) u8() << (8 * i);
        }
        double d = Double.longBitsToDouble(bits);
        if (Double.isNaN(d)) {
            throw new BadFormat("NaN score");
        }
        return d;
    }

    private double stringDouble() throws BadFormat {
        int len = u8();
        switch (len) {
            case 253:
                throw new BadFormat("NaN score");
            case 254:
                return Double.POSITIVE_INFINITY;
            case 255:
                return Double.NEGATIVE_INFINITY;
            default: {
                if (len > end - pos) {
                    throw new BadFormat("truncated score");
                }
                Double d = io.basalt.server.dispatch.Args.parseDouble(java.util.Arrays.copyOfRange(buf, pos, pos + len));
                pos += len;
                if (d == null) {
                    throw new BadFormat("bad score");
                }
                return d;
            }
        }
    }

    private int u8() throws BadFormat {
        if (pos >= end) {
            throw new BadFormat("truncated");
        }
        return buf[pos++] & 0xFF;
    }

    /** Length or, with {@code encoded[0]} set, a special encoding id. */
    private long readLength(boolean[] encoded) throws BadFormat {
        int first = u8();
        int kind = first >>> 6;
        switch (kind) {
            case 0:
                return first & 0x3F;
            case 1:
                return ((long) (first & 0x3F) << 8) | u8();
            case 2:
                if (first == 0x80) {
                    long v = 0;
                    for (int i = 0; i < 4; i++) {
                        v = (v << 8) | u8();
                    }
                    return v;
                }
                if (first == 0x81) {
                    long v = 0;
                    for (int i = 0; i < 8; i++) {
                        v = (v << 8) | u8();
                    }
                    return v;
                }
                throw new BadFormat("unknown length encoding");
            default:
                if (encoded == null) {
                    throw new BadFormat("encoded value where a length was expected");
                }
                encoded[0] = true;
                return first & 0x3F;
        }
    }

    byte[] readString() throws BadFormat {
        boolean[] encoded = {false};
        long len = readLength(encoded);
        if (encoded[0]) {
            switch ((int) len) {
                case 0:
                    return Long.toString((byte) u8()).getBytes(StandardCharsets.US_ASCII);
                case 1: {
                    int v = u8() | (u8() << 8);
                    return Long.toString((short) v).getBytes(StandardCharsets.US_ASCII);
                }
                case 2: {
                    int v = u8() | (u8() << 8) | (u8() << 16) | (u8() << 24);
                    return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
                }
                case 3: {
                    long clen = readLength(null);
                    long ulen = readLength(null);
                    if (clen > end - pos || ulen > Integer.MAX_VALUE - 16) {
                        throw new BadFormat("bad LZF lengths");
                    }
                    try {
                        byte[] s = Lzf.decompress(buf, pos, (int) clen, (int) ulen);
                        pos += (int) clen;
                        return s;
                    } catch (IllegalArgumentException e) {
                        throw new BadFormat(e.getMessage());
                    }
                }
                default:
                    throw new BadFormat("unknown string encoding");
            }
        }
        if (len > end - pos) {
            throw new BadFormat("string longer than the payload");
        }
        byte[] s = java.util.Arrays.copyOfRange(buf, pos, pos + (int) len);
        pos += (int) len;
        return s;
    }
}
