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
    public record Value(int rdbType, byte[] string, java.util.List<byte[]> items, double[] scores) {
        Value(int rdbType, byte[] string) {
            this(rdbType, string, null, null);
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
            default:
                throw new BadFormat("unsupported RDB type " + type);
        }
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
