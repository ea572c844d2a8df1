package io.basalt.server.rdb;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the ziplist blobs of older RDB encodings (Redis ≤ 6.2 DUMPs of small hashes, sorted sets, lists). */
final class Ziplist {
    private Ziplist() {}

    static List<byte[]> decode(byte[] z) throws RdbReader.BadFormat {
        if (z.length < 11) {
            throw new RdbReader.BadFormat("ziplist too short");
        }
        long bytes = Listpack.readLe(z, 0, 4);
        if (bytes != z.length || z[z.length - 1] != (byte) 0xFF) {
            throw new RdbReader.BadFormat("ziplist header mismatch");
        }
        int declared = (int) Listpack.readLe(z, 8, 2);
        List<byte[]> out = new ArrayList<>();
        int p = 10;
        int last = z.length - 1;
        while (p < last) {
            int prevlen = z[p] & 0xFF;
            p += prevlen == 0xFE ? 5 : 1;
            check(p, last);
            int b = z[p] & 0xFF;
            switch (b >>> 6) {
                case 0 -> {
                    int len = b & 0x3F;
                    out.add(slice(z, p + 1, len, last));
                    p += 1 + len;
                }
                case 1 -> {
                    check(p + 2, last);
                    int len = ((b & 0x3F) << 8) | (z[p + 1] & 0xFF);
                    out.add(slice(z, p + 2, len, last));
                    p += 2 + len;
                }
                case 2 -> {
                    check(p + 5, last);
                    long len = ((z[p + 1] & 0xFFL) << 24) | ((z[p + 2] & 0xFFL) << 16) | ((z[p + 3] & 0xFFL) << 8) | (z[p + 4] & 0xFFL);
                    if (len > last - p - 5) {
                        throw new RdbReader.BadFormat("ziplist string overflows");
                    }
                    out.add(slice(z, p + 5, (int) len, last));
                    p += 5 + (int) len;
                }
                default -> {
                    long v;
                    int size;
                    if (b == 0xC0) {
                        size = 2;
                    } else if (b == 0xD0) {
                        size = 4;
                    } else if (b == 0xE0) {
                        size = 8;
                    } else if (b == 0xF0) {
                        size = 3;
                    } else if (b == 0xFE) {
                        size = 1;
                    } else if (b >= 0xF1 && b <= 0xFD) {
                        size = 0;
                    } else {
                        throw new RdbReader.BadFormat("bad ziplist encoding");
                    }
                    check(p + 1 + size, last);
                    if (size == 0) {
                        v = (b & 0x0F) - 1;
                    } else {
                        v = Listpack.readLe(z, p + 1, size);
                        int shift = 64 - 8 * size;
                        v = (v << shift) >> shift;
                    }
                    out.add(Long.toString(v).getBytes(StandardCharsets.US_ASCII));
                    p += 1 + size;
                }
            }
        }
        if (p != last || (declared != 65535 && declared != out.size())) {
            throw new RdbReader.BadFormat("ziplist count mismatch");
        }
        return out;
    }

    private static void check(int upTo, int last) throws RdbReader.BadFormat {
        if (upTo > last) {
            throw new RdbReader.BadFormat("ziplist truncated");
        }
    }

    private static byte[] slice(byte[] z, int from, int len, int last) throws RdbReader.BadFormat {
        check(from + len, last);
        return java.util.Arrays.copyOfRange(z, from, from + len);
    }
}
