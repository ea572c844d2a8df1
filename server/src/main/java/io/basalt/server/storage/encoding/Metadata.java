package io.basalt.server.storage.encoding;

import java.util.Arrays;

/**
 * The META value of a user key:
 * <pre>
 *   byte 0      : type code (low 4 bits) | encoding (high 4 bits; 0 = member layout or raw string, 1 = packed)
 *   byte 1      : flags (bit 0: has expire-at)
 *   [8 bytes]   : expire-at, unix ms, if flag bit 0
 *   string      : the value, inline
 *   composite   : version(8) | element count(8) | packed payload (if packed)
 * </pre>
 * A string GET is one point lookup; a composite's count (HLEN, SCARD, …) is O(1).
 *
 * @param expireAt unix ms, or 0 for no expiry
 * @param payload  a string's value, or a packed composite's members; empty otherwise
 */
public record Metadata(RedisType type, boolean packed, long expireAt, long version, long size, byte[] payload) {
    private static final int FLAG_EXPIRE = 1;

    public static Metadata string(byte[] value, long expireAt) {
        return new Metadata(RedisType.STRING, false, expireAt, 0, 0, value);
    }

    public boolean hasExpire() {
        return expireAt != 0;
    }

    public boolean expiredAt(long nowMs) {
        return expireAt != 0 && expireAt <= nowMs;
    }

    public Metadata withExpireAt(long at) {
        return new Metadata(type, packed, at, version, size, payload);
    }

    public Metadata withPayload(byte[] p) {
        return new Metadata(type, packed, expireAt, version, size, p);
    }

    public byte[] encode() {
        boolean exp = expireAt != 0;
        int header = 2 + (exp ? 8 : 0) + (type.composite() ? 16 : 0);
        byte[] out = new byte[header + payload.length];
        out[0] = (byte) (type.code() | (packed ? 0x10 : 0));
        out[1] = (byte) (exp ? FLAG_EXPIRE : 0);
        int off = 2;
        if (exp) {
            KeyCodec.putLong(out, off, expireAt);
            off += 8;
        }
        if (type.composite()) {
            KeyCodec.putLong(out, off, version);
            KeyCodec.putLong(out, off + 8, size);
            off += 16;
        }
        System.arraycopy(payload, 0, out, off, payload.length);
        return out;
    }

    public static Metadata decode(byte[] raw) {
        RedisType type = RedisType.ofCode(raw[0] & 0x0F);
        boolean packed = (raw[0] & 0x10) != 0;
        int off = 2;
        long expireAt = 0;
        if ((raw[1] & FLAG_EXPIRE) != 0) {
            expireAt = KeyCodec.getLong(raw, off);
            off += 8;
        }
        long version = 0;
        long size = 0;
        if (type.composite()) {
            version = KeyCodec.getLong(raw, off);
            size = KeyCodec.getLong(raw, off + 8);
            off += 16;
        }
        return new Metadata(type, packed, expireAt, version, size, Arrays.copyOfRange(raw, off, raw.length));
    }

    /** Reads only the type and expiry, without copying the payload (hot path for TYPE/EXISTS/TTL). */
    public static long peekExpireAt(byte[] raw) {
        return (raw[1] & FLAG_EXPIRE) != 0 ? KeyCodec.getLong(raw, 2) : 0;
    }

    public static RedisType peekType(byte[] raw) {
        return RedisType.ofCode(raw[0] & 0x0F);
    }

    /** Where a string's value starts inside the raw META bytes. */
    public static int stringValueOffset(byte[] raw) {
        return 2 + ((raw[1] & FLAG_EXPIRE) != 0 ? 8 : 0);
    }

    /** A string's value straight from the raw bytes (one copy). */
    public static byte[] peekStringValue(byte[] raw) {
        int off = 2 + ((raw[1] & FLAG_EXPIRE) != 0 ? 8 : 0);
        return Arrays.copyOfRange(raw, off, raw.length);
    }
}
