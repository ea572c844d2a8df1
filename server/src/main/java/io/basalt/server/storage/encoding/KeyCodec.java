package io.basalt.server.storage.encoding;

import io.basalt.routing.slots.SlotHash;
import java.util.Arrays;

/**
 * Internal key layout. Every key of a slot sorts together, so a slot is one contiguous range:
 * <pre>
 *   META    : slot(2) | user key
 *   DATA    : slot(2) | key length(4) | user key | version(8) | member
 *   EXPIRE  : expire-at ms(8) | slot(2) | user key
 *   GARBAGE : slot(2) | key length(4) | user key | version(8)
 * </pre>
 * All integers big-endian so byte order is numeric order.
 */
public final class KeyCodec {
    private KeyCodec() {}

    public static byte[] metaKey(byte[] userKey) {
        return metaKey(SlotHash.slot(userKey), userKey);
    }

    public static byte[] metaKey(int slot, byte[] userKey) {
        byte[] k = new byte[2 + userKey.length];
        k[0] = (byte) (slot >>> 8);
        k[1] = (byte) slot;
        System.arraycopy(userKey, 0, k, 2, userKey.length);
        return k;
    }

    public static int slotOf(byte[] internalKey) {
        return ((internalKey[0] & 0xFF) << 8) | (internalKey[1] & 0xFF);
    }

    /** The user key of a META key. */
    public static byte[] userKey(byte[] metaKey) {
        return Arrays.copyOfRange(metaKey, 2, metaKey.length);
    }

    /** First META key of a slot. */
    public static byte[] slotStart(int slot) {
        return new byte[] {(byte) (slot >>> 8), (byte) slot};
    }

    /** First META key after a slot (exclusive end of its range). */
    public static byte[] slotEnd(int slot) {
        return slotStart(slot + 1);
    }

    /** Exclusive upper bound of every slot-prefixed key. */
    public static byte[] keyspaceEnd() {
        return new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF};
    }

    /** Prefix of all DATA/SCORE entries of one version of a composite key. */
    public static byte[] memberPrefix(byte[] userKey, long version) {
        int slot = SlotHash.slot(userKey);
        byte[] k = new byte[2 + 4 + userKey.length + 8];
        k[0] = (byte) (slot >>> 8);
        k[1] = (byte) slot;
        putInt(k, 2, userKey.length);
        System.arraycopy(userKey, 0, k, 6, userKey.length);
        putLong(k, 6 + userKey.length, version);
        return k;
    }

    /** A member entry: the version prefix followed by the member's bytes. */
    public static byte[] memberKey(byte[] prefix, byte[] member) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + member.length);
        System.arraycopy(member, 0, k, prefix.length, member.length);
        return k;
    }

    /** A list element's entry: the version prefix followed by its position (sign-flipped, so order is numeric). */
    public static byte[] indexKey(byte[] prefix, long index) {
        byte[] k = Arrays.copyOf(prefix, prefix.length + 8);
        putLong(k, prefix.length, index ^ Long.MIN_VALUE);
        return k;
    }

    public static long indexOf(byte[] indexKey) {
        return getLong(indexKey, indexKey.length - 8) ^ Long.MIN_VALUE;
    }

    /** A sorted-set index entry: prefix | score (order-preserving 8 bytes) | member. */
    public static byte[] scoreKey(byte[] prefix, double score, byte[] member) {
        byte[] k = new byte[prefix.length + 8 + member.length];
        System.arraycopy(prefix, 0, k, 0, prefix.length);
        putLong(k, prefix.length, sortableDouble(score));
        System.arraycopy(member, 0, k, prefix.length + 8, member.length);
        return k;
    }

    /** Maps a double to a long whose unsigned big-endian order is the double's numeric order. */
    public static long sortableDouble(double d) {
        if (d == 0) {
            d = 0.0; // -0 and +0 are one score
        }
        long bits = Double.doubleToRawLongBits(d);
        return bits < 0 ? ~bits : bits ^ Long.MIN_VALUE;
    }

    public static double unsortableDouble(long v) {
        long bits = v < 0 ? v ^ Long.MIN_VALUE : ~v;
        return Double.longBitsToDouble(bits);
    }

    public static byte[] expireKey(long expireAt, byte[] userKey) {
        int slot = SlotHash.slot(userKey);
        byte[] k = new byte[8 + 2 + userKey.length];
        putLong(k, 0, expireAt);
        k[8] = (byte) (slot >>> 8);
        k[9] = (byte) slot;
        System.arraycopy(userKey, 0, k, 10, userKey.length);
        return k;
    }

    public static long expireKeyTime(byte[] expireKey) {
        return getLong(expireKey, 0);
    }

    public static byte[] expireKeyUserKey(byte[] expireKey) {
        return Arrays.copyOfRange(expireKey, 10, expireKey.length);
    }

    /** The smallest key strictly greater than every key starting with {@code prefix}. */
    public static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        return null;
    }

    public static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    public static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    public static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
