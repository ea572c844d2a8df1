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

    /** A restored value: its RDB type and, for strings, the bytes. */
    public record Value(int rdbType, byte[] string) {}

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
        Value v = switch (type) {
            case RdbWriter.TYPE_STRING -> new Value(type, r.readString());
            default -> throw new BadFormat("unsupported RDB type " + type);
        };
        if (r.pos != r.end) {
            throw new BadFormat("trailing bytes after the object");
        }
        return v;
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
