package io.basalt.server.rdb;

import io.basalt.server.dispatch.Args;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Redis 7.0's listpack blob: what RDB carries for small hashes, sorted sets and list nodes. */
public final class Listpack {
    private Listpack() {}

    public static byte[] encode(List<byte[]> items) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        for (byte[] s : items) {
            int start = body.size();
            Long v = s.length <= 20 ? Args.parseLong(s) : null;
            if (v != null) {
                long n = v;
                if (n >= 0 && n <= 127) {
                    body.write((int) n);
                } else if (n >= -4096 && n <= 4095) {
                    long u = n < 0 ? (1 << 13) + n : n;
                    body.write((int) ((u >>> 8) | 0xC0));
                    body.write((int) (u & 0xFF));
                } else if (n >= Short.MIN_VALUE && n <= Short.MAX_VALUE) {
                    body.write(0xF1);
                    le(body, n, 2);
                } else if (n >= -(1 << 23) && n < (1 << 23)) {
                    body.write(0xF2);
                    le(body, n, 3);
                } else if (n >= Integer.MIN_VALUE && n <= Integer.MAX_VALUE) {
                    body.write(0xF3);
                    le(body, n, 4);
                } else {
                    body.write(0xF4);
                    le(body, n, 8);
                }
            } else if (s.length < 64) {
                body.write(0x80 | s.length);
                body.writeBytes(s);
            } else if (s.length < 4096) {
                body.write(0xE0 | (s.length >>> 8));
                body.write(s.length & 0xFF);
                body.writeBytes(s);
            } else {
                body.write(0xF0);
                le(body, s.length, 4);
                body.writeBytes(s);
            }
            writeBacklen(body, body.size() - start);
        }
        body.write(0xFF);
        byte[] b = body.toByteArray();
        byte[] out = new byte[6 + b.length];
        long total = out.length;
        for (int i = 0; i < 4; i++) {
            out[i] = (byte) (total >>> (8 * i));
        }
        int count = Math.min(items.size(), 65535);
        out[4] = (byte) count;
        out[5] = (byte) (count >>> 8);
        System.arraycopy(b, 0, out, 6, b.length);
        return out;
    }

    private static void le(ByteArrayOutputStream out, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            out.write((int) (v >>> (8 * i)));
        }
    }

    private static void writeBacklen(ByteArrayOutputStream out, long l) {
        if (l <= 127) {
            out.write((int) l);
        } else if (l < 16383) {
            out.write((int) (l >>> 7));
            out.write((int) ((l & 127) | 128));
        } else if (l < 2097151) {
            out.write((int) (l >>> 14));
            out.write((int) (((l >>> 7) & 127) | 128));
            out.write((int) ((l & 127) | 128));
        } else if (l < 268435455) {
            out.write((int) (l >>> 21));
            out.write((int) (((l >>> 14) & 127) | 128));
            out.write((int) (((l >>> 7) & 127) | 128));
            out.write((int) ((l & 127) | 128));
        } else {
            out.write((int) (l >>> 28));
            out.write((int) (((l >>> 21) & 127) | 128));
            out.write((int) (((l >>> 14) & 127) | 128));
            out.write((int) (((l >>> 7) & 127) | 128));
            out.write((int) ((l & 127) | 128));
        }
    }

    private static int backlenSize(long l) {
        return l <= 127 ? 1 : l < 16383 ? 2 : l < 2097151 ? 3 : l < 268435455 ? 4 : 5;
    }

    /** Decodes and validates a listpack blob. */
    public static List<byte[]> decode(byte[] lp) throws RdbReader.BadFormat {
        if (lp.length < 7) {
            throw new RdbReader.BadFormat("listpack too short");
        }
        long total = (lp[0] & 0xFFL) | (lp[1] & 0xFFL) << 8 | (lp[2] & 0xFFL) << 16 | (lp[3] & 0xFFL) << 24;
        if (total != lp.length || lp[lp.length - 1] != (byte) 0xFF) {
            throw new RdbReader.BadFormat("listpack header mismatch");
        }
        int declared = (lp[4] & 0xFF) | (lp[5] & 0xFF) << 8;
        List<byte[]> out = new ArrayList<>();
        int p = 6;
        int last = lp.length - 1;
        while (p < last) {
            int start = p;
            int b = lp[p] & 0xFF;
            byte[] item;
            if ((b & 0x80) == 0) {
                item = num(b);
                p += 1;
            } else if ((b & 0xC0) == 0x80) {
                int len = b & 0x3F;
                item = slice(lp, p + 1, len, last);
                p += 1 + len;
            } else if ((b & 0xE0) == 0xC0) {
                need(lp, p + 2, last);
                int u = ((b & 0x1F) << 8) | (lp[p + 1] & 0xFF);
                item = num(u >= (1 << 12) ? u - (1 << 13) : u);
                p += 2;
            } else if ((b & 0xF0) == 0xE0) {
                need(lp, p + 2, last);
                int len = ((b & 0x0F) << 8) | (lp[p + 1] & 0xFF);
                item = slice(lp, p + 2, len, last);
                p += 2 + len;
            } else if (b == 0xF0) {
                need(lp, p + 5, last);
                long len = readLe(lp, p + 1, 4);
                if (len > last - p - 5) {
                    throw new RdbReader.BadFormat("listpack string overflows");
                }
                item = slice(lp, p + 5, (int) len, last);
                p += 5 + (int) len;
            } else if (b >= 0xF1 && b <= 0xF4) {
                int bytes = b == 0xF1 ? 2 : b == 0xF2 ? 3 : b == 0xF3 ? 4 : 8;
                need(lp, p + 1 + bytes, last);
                long v = readLe(lp, p + 1, bytes);
                int shift = 64 - 8 * bytes;
                item = num((v << shift) >> shift);
                p += 1 + bytes;
            } else {
                throw new RdbReader.BadFormat("bad listpack encoding");
            }
            int entryLen = p - start;
            int bl = backlenSize(entryLen);
            need(lp, p + bl, last);
            // verify the back length
            long back = 0;
            for (int i = 0; i < bl; i++) {
                back = (back << 7) | (lp[p + i] & 127);
            }
            if (back != entryLen) {
                throw new RdbReader.BadFormat("listpack back length mismatch");
            }
            p += bl;
            out.add(item);
        }
        if (p != last || (declared != 65535 && declared != out.size())) {
            throw new RdbReader.BadFormat("listpack count mismatch");
        }
        return out;
    }

    private static void need(byte[] lp, int upTo, int last) throws RdbReader.BadFormat {
        if (upTo > last) {
            throw new RdbReader.BadFormat("listpack truncated");
        }
    }

    private static byte[] slice(byte[] lp, int from, int len, int last) throws RdbReader.BadFormat {
        need(lp, from + len, last);
        return java.util.Arrays.copyOfRange(lp, from, from + len);
    }

    static long readLe(byte[] b, int off, int bytes) {
        long v = 0;
        for (int i = bytes - 1; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    private static byte[] num(long v) {
        return Long.toString(v).getBytes(StandardCharsets.US_ASCII);
    }
}
