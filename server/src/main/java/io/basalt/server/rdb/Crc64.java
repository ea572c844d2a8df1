package io.basalt.server.rdb;

/**
 * CRC-64 as Redis computes it for DUMP payloads and RDB files: the Jones polynomial
 * (0xad93d23594c935a9), reflected, initial value 0, no final xor. Check value: "123456789" →
 * 0xe9c6d914c4b8d9ca.
 */
public final class Crc64 {
    private static final long POLY_REFLECTED = Long.reverse(0xad93d23594c935a9L);
    private static final long[] TABLE = new long[256];

    static {
        for (int i = 0; i < 256; i++) {
            long crc = i;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 1) != 0 ? (crc >>> 1) ^ POLY_REFLECTED : crc >>> 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc64() {}

    public static long update(long crc, byte[] data, int off, int len) {
        for (int i = off; i < off + len; i++) {
            crc = TABLE[(int) ((crc ^ data[i]) & 0xFF)] ^ (crc >>> 8);
        }
        return crc;
    }

    public static long of(byte[] data, int off, int len) {
        return update(0, data, off, len);
    }
}
