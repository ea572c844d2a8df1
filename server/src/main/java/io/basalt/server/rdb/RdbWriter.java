package io.basalt.server.rdb;

import java.io.ByteArrayOutputStream;

/** Writes RDB objects and DUMP payloads byte for byte as Redis 7.0 does. */
public final class RdbWriter {
    public static final int RDB_VERSION = 10;
    public static final int TYPE_STRING = 0;

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

    /** RDB length encoding: 6-bit, 14-bit, 32-bit or 64-bit big-endian forms. */
    void writeLength(long len) {
        if (len < (1 << 6)) {
            out.write((int) len);
        } else if (len < (1 << 14)) {
            out.write((int) ((len >>> 8) | 0x40));
            out.write((int) (len & 0xFF));
        } else if (len <= 0xFFFFFFFFL) {
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
