package io.basalt.routing.slots;

import java.nio.charset.StandardCharsets;

/**
 * Redis Cluster's key → slot function: CRC16/XMODEM of the key (or of its first non-empty
 * {@code {hash tag}}) modulo 16384. Every client and server must agree on it bit for bit.
 */
public final class SlotHash {
    public static final int SLOT_COUNT = 16384;

    private static final int[] TABLE = new int[256];

    static {
        // CRC16-CCITT (XMODEM): polynomial 0x1021, initial value 0, no reflection.
        for (int i = 0; i < 256; i++) {
            int crc = i << 8;
            for (int b = 0; b < 8; b++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            TABLE[i] = crc & 0xFFFF;
        }
    }

    private SlotHash() {}

    public static int crc16(byte[] bytes, int from, int to) {
        int crc = 0;
        for (int i = from; i < to; i++) {
            crc = ((crc << 8) ^ TABLE[((crc >>> 8) ^ bytes[i]) & 0xFF]) & 0xFFFF;
        }
        return crc;
    }

    /** The slot of a key, honouring hash tags exactly as Redis Cluster does. */
    public static int slot(byte[] key) {
        int open = -1;
        for (int i = 0; i < key.length; i++) {
            if (key[i] == '{') {
                open = i;
                break;
            }
        }
        if (open >= 0) {
            for (int close = open + 1; close < key.length; close++) {
                if (key[close] == '}') {
                    if (close > open + 1) {
                        return crc16(key, open + 1, close) & (SLOT_COUNT - 1);
                    }
                    break; // "{}" : hash the whole key
                }
            }
        }
        return crc16(key, 0, key.length) & (SLOT_COUNT - 1);
    }

    public static int slot(String key) {
        return slot(key.getBytes(StandardCharsets.UTF_8));
    }
}
