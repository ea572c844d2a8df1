package io.basalt.server.rdb;

import java.io.ByteArrayOutputStream;

/** Writes RDB objects and DUMP payloads byte for byte as Redis 7.0 does. */
public final class RdbWriter {
    public static final int RDB_VERSION = 10;
    public static final int TYPE_STRING = 0;
    public static final int TYPE_LIST = 1;
    public static final int TYPE_SET = 2;
    public static final int TYPE_ZSET = 3;
    public static final int TYPE_HASH = 4;
    public static final int TYPE_ZSET_2 = 5;
    public static final int TYPE_LIST_ZIPLIST = 10;
    public static final int TYPE_SET_INTSET = 11;
    public static final int TYPE_ZSET_ZIPLIST = 12;
    public static final int TYPE_HASH_ZIPLIST = 13;
    public static final int TYPE_LIST_QUICKLIST = 14;
    public static final int TYPE_HASH_LISTPACK = 16;
    public static final int TYPE_ZSET_LISTPACK = 17;
    public static final int TYPE_LIST_QUICKLIST_2 = 18;
    public static final int TYPE_STREAM_LISTPACKS = 15;
    public static final int TYPE_STREAM_LISTPACKS_2 = 19;

    private static final int ENC_INT8 = 0;
    private static final int ENC_INT16 = 1;
    private static final int ENC_INT32 = 2;
    private static final int ENC_LZF = 3;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** DUMP of a string value. */
    public static byte[] dumpString(byte[] value) {
        RdbWriter w = new RdbWriter();
        w.out.write(TYPE_STRING);
        w.writeString(value);
        return w.finishPayload();
    }

    /** RDB_OPCODE_FUNCTION2: one function library's code, as FUNCTION DUMP writes it. */
    public static final int OPCODE_FUNCTION2 = 245;

    /** FUNCTION DUMP: each library's code after the FUNCTION2 opcode, then version and checksum. */
    public static byte[] dumpFunctions(java.util.Collection<byte[]> codes) {
        RdbWriter w = new RdbWriter();
        for (byte[] code : codes) {
            w.out.write(OPCODE_FUNCTION2);
            w.writeString(code);
        }
        return w.finishPayload();
    }

    /** DUMP of a hash: {@code fieldsAndValues} = field, value, …; listpack or hashtable encoding. */
    public static byte[] dumpHash(java.util.List<byte[]> fieldsAndValues, boolean listpack) {
        RdbWriter w = new RdbWriter();
        if (listpack) {
            w.out.write(TYPE_HASH_LISTPACK);
            w.writeString(Listpack.encode(fieldsAndValues));
        } else {
            w.out.write(TYPE_HASH);
            w.writeLength(fieldsAndValues.size() / 2);
            for (byte[] b : fieldsAndValues) {
                w.writeString(b);
            }
        }
        return w.finishPayload();
    }

    /** DUMP of a set: an intset when every member is an integer and {@code intset}, else a hashtable. */
    public static byte[] dumpSet(java.util.List<byte[]> members, boolean intset) {
        RdbWriter w = new RdbWriter();
        if (intset) {
            long[] v = new long[members.size()];
            for (int i = 0; i < v.length; i++) {
                v[i] = io.basalt.server.dispatch.Args.parseLong(members.get(i));
            }
            java.util.Arrays.sort(v);
            w.out.write(TYPE_SET_INTSET);
            w.writeString(Intset.encode(v));
        } else {
            w.out.write(TYPE_SET);
            w.writeLength(members.size());
            for (byte[] b : members) {
                w.writeString(b);
            }
        }
        return w.finishPayload();
    }

    /** DUMP of a sorted set given in ascending (score, member) order. */
    public static byte[] dumpZset(java.util.List<byte[]> members, double[] scores, boolean listpack) {
        RdbWriter w = new RdbWriter();
        if (listpack) {
            java.util.List<byte[]> items = new java.util.ArrayList<>(members.size() * 2);
            for (int i = 0; i < members.size(); i++) {
                items.add(members.get(i));
                items.add(scoreText(scores[i]));
            }
            w.out.write(TYPE_ZSET_LISTPACK);
            w.writeString(Listpack.encode(items));
        } else {
            w.out.write(TYPE_ZSET_2);
            w.writeLength(members.size());
            for (int i = members.size() - 1; i >= 0; i--) { // Redis writes from the tail
                w.writeString(members.get(i));
                long bits = Double.doubleToRawLongBits(scores[i]);
                for (int b = 0; b < 8; b++) {
                    w.out.write((int) (bits >>> (8 * b)));
                }
            }
        }
        return w.finishPayload();
    }

    /** A score as Redis's d2string writes it into a listpack. */
    static byte[] scoreText(double d) {
        String t;
        if (Double.isInfinite(d)) {
            t = d > 0 ? "inf" : "-inf";
        } else if (d == 0) {
            t = Double.doubleToRawLongBits(d) < 0 ? "-0" : "0";
        } else if (d > -4503599627370495.0 && d < 4503599627370496.0 && d == (double) (long) d) {
            t = Long.toString((long) d);
        } else {
            t = io.basalt.server.resp.RespWriter.g17(d);
        }
        return t.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    /** DUMP of a list: a quicklist of listpack nodes of up to 8 KB (list-max-listpack-size -2). */
    public static byte[] dumpList(java.util.List<byte[]> elements) {
        java.util.List<java.util.List<byte[]>> nodes = new java.util.ArrayList<>();
        java.util.List<byte[]> cur = new java.util.ArrayList<>();
        long size = 7;
        for (byte[] e : elements) {
            long add = e.length + 11;
            if (!cur.isEmpty() && size + add > 8192) {
                nodes.add(cur);
                cur = new java.util.ArrayList<>();
                size = 7;
            }
            cur.add(e);
            size += add;
        }
        if (!cur.isEmpty()) {
            nodes.add(cur);
        }
        RdbWriter w = new RdbWriter();
        w.out.write(TYPE_LIST_QUICKLIST_2);
        w.writeLength(nodes.size());
        for (java.util.List<byte[]> n : nodes) {
            w.writeLength(2); // packed container
            w.writeString(Listpack.encode(n));
        }
        return w.finishPayload();
    }

    /**
     * DUMP of a stream in Redis 7.0's RDB_TYPE_STREAM_LISTPACKS_2: one listpack per node (master
     * entry, then entries with SAMEFIELDS compression), the counters, then each group with its PEL
     * and consumers.
     */
    public static byte[] dumpStream(StreamDump s) {
        RdbWriter w = new RdbWriter();
        w.out.write(TYPE_STREAM_LISTPACKS_2);
        java.util.List<StreamDump.Node> nodes = s.nodes().stream().filter(n -> !n.entries().isEmpty()).toList();
        w.writeLength(nodes.size());
        for (StreamDump.Node n : nodes) {
            w.writeString(n.master().encode());
            w.writeString(Listpack.encode(nodeItems(n)));
        }
        w.writeLength(s.length());
        w.writeId(s.lastId());
        w.writeId(s.firstId());
        w.writeId(s.maxDeletedId());
        w.writeLength(s.entriesAdded());
        w.writeLength(s.groups().size());
        for (StreamDump.Group g : s.groups()) {
            w.writeString(g.name());
            w.writeId(g.lastId());
            w.writeLength(g.entriesRead());
            w.writeLength(g.pel().size());
            for (StreamDump.Nack n : g.pel()) {
                w.out.writeBytes(n.id().encode());
                w.writeMillis(n.deliveryTime());
                w.writeLength(n.deliveryCount());
            }
            w.writeLength(g.consumers().size());
            for (StreamDump.Consumer c : g.consumers()) {
                w.writeString(c.name());
                w.writeMillis(c.seenTime());
                w.writeLength(c.pending().size());
                for (io.basalt.server.storage.types.StreamId id : c.pending()) {
                    w.out.writeBytes(id.encode());
                }
            }
        }
        return w.finishPayload();
    }

    /** A node's listpack items: master entry (live, deleted, fields, 0), then each entry. */
    static java.util.List<byte[]> nodeItems(StreamDump.Node n) {
        java.util.List<byte[]> items = new java.util.ArrayList<>();
        items.add(num(n.entries().size()));
        items.add(num(0));
        items.add(num(n.masterFields().size()));
        items.addAll(n.masterFields());
        items.add(num(0));
        for (StreamDump.Entry e : n.entries()) {
            boolean same = io.basalt.server.storage.types.StreamValue.sameFields(e.fields(), n.masterFields());
            int pairs = e.fields().size() / 2;
            items.add(num(same ? 2 : 0));
            items.add(num(e.id().ms() - n.master().ms()));
            items.add(num(e.id().seq() - n.master().seq()));
            if (same) {
                for (int i = 1; i < e.fields().size(); i += 2) {
                    items.add(e.fields().get(i));
                }
                items.add(num(pairs + 3));
            } else {
                items.add(num(pairs));
                items.addAll(e.fields());
                items.add(num(2L * pairs + 4));
            }
        }
        return items;
    }

    private static byte[] num(long v) {
        return Long.toString(v).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private void writeId(io.basalt.server.storage.types.StreamId id) {
        writeLength(id.ms());
        writeLength(id.seq());
    }

    private void writeMillis(long ms) {
        for (int i = 0; i < 8; i++) {
            out.write((int) (ms >>> (8 * i)));
        }
    }

    private byte[] finishPayload() {
        out.write(RDB_VERSION & 0xFF);
        out.write((RDB_VERSION >>> 8) & 0xFF);
        byte[] body = out.toByteArray();
        long crc = Crc64.of(body, 0, body.length);
        byte[] payload = java.util.Arrays.copyOf(body, body.length + 8);
        for (int i = 0; i < 8; i++) {
            payload[body.length + i] = (byte) (crc >>> (8 * i));
        }
        return payload;
    }

    /** RDB length encoding: 6-bit, 14-bit, 32-bit or 64-bit big-endian forms (unsigned). */
    void writeLength(long len) {
        if (Long.compareUnsigned(len, 1 << 6) < 0) {
            out.write((int) len);
        } else if (Long.compareUnsigned(len, 1 << 14) < 0) {
            out.write((int) ((len >>> 8) | 0x40));
            out.write((int) (len & 0xFF));
        } else if (Long.compareUnsigned(len, 0xFFFFFFFFL) <= 0) {
            out.write(0x80);
            for (int i = 3; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)));
            }
        } else {
            out.write(0x81);
            for (int i = 7; i >= 0; i--) {
                out.write((int) (len >>> (8 * i)));
            }
        }
    }

    /** A string: integer-encoded when it is a short canonical integer, LZF when that saves space, else raw. */
    void writeString(byte[] s) {
        if (s.length <= 11) {
            Long v = io.basalt.server.dispatch.Args.parseLong(s);
            if (v != null && v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                writeInteger(v.intValue());
                return;
            }
        }
        if (s.length > 20) {
            byte[] c = Lzf.compress(s, s.length - 4);
            if (c != null) {
                out.write(0xC0 | ENC_LZF);
                writeLength(c.length);
                writeLength(s.length);
                out.writeBytes(c);
                return;
            }
        }
        writeLength(s.length);
        out.writeBytes(s);
    }

    private void writeInteger(int v) {
        if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) {
            out.write(0xC0 | ENC_INT8);
            out.write(v);
        } else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) {
            out.write(0xC0 | ENC_INT16);
            out.write(v);
            out.write(v >>> 8);
        } else {
            out.write(0xC0 | ENC_INT32);
            for (int i = 0; i < 4; i++) {
                out.write(v >>> (8 * i));
            }
        }
    }
}
