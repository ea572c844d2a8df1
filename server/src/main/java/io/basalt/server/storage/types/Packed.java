package io.basalt.server.storage.types;

import java.util.ArrayList;
import java.util.List;

/**
 * The packed form of a small composite, stored inside its metadata value: a sequence of byte
 * strings, each preceded by its length as an unsigned LEB128 varint. Hashes store field, value
 * pairs; sets members; sorted sets member, score (8 bytes) pairs; lists elements — each in the order
 * Redis's listpack keeps them.
 */
final class Packed {
    private Packed() {}

    static List<byte[]> decode(byte[] payload) {
        List<byte[]> out = new ArrayList<>();
        int off = 0;
        while (off < payload.length) {
            int len = 0;
            int shift = 0;
            int b;
            do {
                b = payload[off++] & 0xFF;
                len |= (b & 0x7F) << shift;
                shift += 7;
            } while ((b & 0x80) != 0);
            byte[] item = new byte[len];
            System.arraycopy(payload, off, item, 0, len);
            off += len;
            out.add(item);
        }
        return out;
    }

    static byte[] encode(List<byte[]> items) {
        int size = 0;
        for (byte[] i : items) {
            size += varintSize(i.length) + i.length;
        }
        byte[] out = new byte[size];
        int off = 0;
        for (byte[] i : items) {
            int len = i.length;
            while (len >= 0x80) {
                out[off++] = (byte) (len | 0x80);
                len >>>= 7;
            }
            out[off++] = (byte) len;
            System.arraycopy(i, 0, out, off, i.length);
            off += i.length;
        }
        return out;
    }

    private static int varintSize(int len) {
        int n = 1;
        while (len >= 0x80) {
            len >>>= 7;
            n++;
        }
        return n;
    }
}
