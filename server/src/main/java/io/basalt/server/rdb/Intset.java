package io.basalt.server.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Redis's intset blob (sorted integers, 2/4/8 bytes each, little-endian). */
public final class Intset {
    private Intset() {}

    public static byte[] encode(long[] sorted) {
        int width = 2;
        for (long v : sorted) {
            if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
                width = Math.max(width, v < Integer.MIN_VALUE || v > Integer.MAX_VALUE ? 8 : 4);
            }
        }
        byte[] out = new byte[8 + width * sorted.length];
        put(out, 0, width, 4);
        put(out, 4, sorted.length, 4);
        for (int i = 0; i < sorted.length; i++) {
            put(out, 8 + i * width, sorted[i], width);
        }
        return out;
    }

    private static void put(byte[] b, int off, long v, int bytes) {
        for (int i = 0; i < bytes; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    public static List<byte[]> decode(byte[] b) throws RdbReader.BadFormat {
        if (b.length < 8) {
            throw new RdbReader.BadFormat("intset too short");
        }
        long width = Listpack.readLe(b, 0, 4);
        long n = Listpack.readLe(b, 4, 4);
        if ((width != 2 && width != 4 && width != 8) || n == 0 || 8 + width * n != b.length) {
            throw new RdbReader.BadFormat("bad intset header");
        }
        List<byte[]> out = new ArrayList<>((int) n);
        long prev = 0;
        for (int i = 0; i < n; i++) {
            int w = (int) width;
            long v = Listpack.readLe(b, 8 + i * w, w);
            int shift = 64 - 8 * w;
            v = (v << shift) >> shift;
            if (i > 0 && v <= prev) {
                throw new RdbReader.BadFormat("intset not sorted");
            }
            prev = v;
            out.add(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
        }
        return out;
    }
}
