package io.basalt.server.commands;

import java.util.Arrays;

/**
 * Redis 7.0's HyperLogLog, on the exact byte layout Redis uses so values are interchangeable
 * (GET/SET/DUMP/RESTORE): a 16-byte header ("HYLL", encoding, 3 unused bytes, 8-byte cached
 * cardinality whose top bit marks it stale), then 16384 6-bit registers either dense (12288 bytes)
 * or sparse (ZERO / XZERO / VAL run-length opcodes). Elements are hashed with MurmurHash64A.
 */
final class HyperLogLog {
    static final int P = 14;
    static final int REGISTERS = 1 << P;
    static final int Q = 64 - P;
    static final int HDR = 16;
    static final int DENSE_SIZE = HDR + (REGISTERS * 6 + 7) / 8;
    static final int DENSE = 0;
    static final int SPARSE = 1;
    static final int VAL_MAX_VALUE = 32;
    static final int VAL_MAX_LEN = 4;
    static final int ZERO_MAX_LEN = 64;
    static final int XZERO_MAX_LEN = 16384;

    /** The stored value is not a HyperLogLog (WRONGTYPE) or is corrupt (INVALIDOBJ). */
    static final class Invalid extends Exception {
        Invalid() {
            super(null, null, false, false);
        }
    }

    byte[] b; // whole value, header included
    private int len; // used bytes (sparse values grow and shrink)

    private HyperLogLog(byte[] b, int len) {
        this.b = b;
        this.len = len;
    }

    /** A new empty (sparse) HLL. */
    static HyperLogLog create() {
        byte[] b = new byte[HDR + 2];
        b[0] = 'H';
        b[1] = 'Y';
        b[2] = 'L';
        b[3] = 'L';
        b[4] = SPARSE;
        int run = REGISTERS - 1;
        b[HDR] = (byte) (0x40 | (run >>> 8));
        b[HDR + 1] = (byte) run;
        return new HyperLogLog(b, b.length);
    }

    /** Wraps a stored string; null if it is not a valid HyperLogLog. */
    static HyperLogLog of(byte[] v) {
        if (v.length < HDR || v[0] != 'H' || v[1] != 'Y' || v[2] != 'L' || v[3] != 'L' || v[4] > SPARSE || v[4] < 0) {
            return null;
        }
        if (v[4] == DENSE && v.length != DENSE_SIZE) {
            return null;
        }
        return new HyperLogLog(v.clone(), v.length);
    }

    byte[] bytes() {
        return Arrays.copyOf(b, len);
    }

    boolean dense() {
        return b[4] == DENSE;
    }

    void invalidateCache() {
        b[15] |= (byte) 0x80;
    }

    boolean cacheValid() {
        return (b[15] & 0x80) == 0;
    }

    long cachedCount() {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[8 + i] & 0xFF);
        }
        return v;
    }

    void setCache(long card) {
        for (int i = 0; i < 8; i++) {
            b[8 + i] = (byte) (card >>> (8 * i));
        }
    }

    // ---- hashing ----

    static long murmur64a(byte[] key) {
        final long m = 0xc6a4a7935bd1e995L;
        final int r = 47;
        long h = 0xadc83b19L ^ ((long) key.length * m);
        int n = key.length - (key.length & 7);
        for (int i = 0; i < n; i += 8) {
            long k = 0;
            for (int j = 7; j >= 0; j--) {
                k = (k << 8) | (key[i + j] & 0xFFL);
            }
            k *= m;
            k ^= k >>> r;
            k *= m;
            h ^= k;
            h *= m;
        }
        int rest = key.length & 7;
        if (rest > 0) {
            for (int j = rest - 1; j >= 0; j--) {
                h ^= (key[n + j] & 0xFFL) << (8 * j);
            }
            h *= m;
        }
        h ^= h >>> r;
        h *= m;
        h ^= h >>> r;
        return h;
    }

    /** Adds an element; returns whether a register changed. */
    boolean add(byte[] element) throws Invalid {
        long hash = murmur64a(element);
        int index = (int) (hash & (REGISTERS - 1));
        hash >>>= P;
        hash |= 1L << Q;
        int count = 1;
        long bit = 1;
        while ((hash & bit) == 0) {
            count++;
            bit <<= 1;
        }
        return set(index, count);
    }

    boolean set(int index, int count) throws Invalid {
        return dense() ? denseSet(index, count) : sparseSet(index, count);
    }

    // ---- dense ----

    int denseGet(int index) {
        int bit = HDR * 8 + index * 6;
        int byteIdx = bit >>> 3;
        int fb = bit & 7;
        int b0 = b[byteIdx] & 0xFF;
        int b1 = byteIdx + 1 < len ? b[byteIdx + 1] & 0xFF : 0;
        return ((b0 >>> fb) | (b1 << (8 - fb))) & 63;
    }

    private void denseWrite(int index, int v) {
        int bit = HDR * 8 + index * 6;
        int byteIdx = bit >>> 3;
        int fb = bit & 7;
        b[byteIdx] &= (byte) ~(63 << fb);
        b[byteIdx] |= (byte) (v << fb);
        if (byteIdx + 1 < len) {
            b[byteIdx + 1] &= (byte) ~(63 >>> (8 - fb));
            b[byteIdx + 1] |= (byte) (v >>> (8 - fb));
        }
    }

    boolean denseSet(int index, int count) {
        if (count > denseGet(index)) {
            denseWrite(index, count);
            return true;
        }
        return false;
    }

    // ---- sparse ----

    private static boolean isZero(int op) {
        return (op & 0xC0) == 0;
    }

    private static boolean isXZero(int op) {
        return (op & 0xC0) == 0x40;
    }

    private static int valValue(int op) {
        return ((op >>> 2) & 0x1F) + 1;
    }

    private static int valLen(int op) {
        return (op & 3) + 1;
    }

    private static byte val(int value, int runLen) {
        return (byte) (0x80 | ((value - 1) << 2) | (runLen - 1));
    }

    /** Sparse → dense, in place. */
    void toDense() throws Invalid {
        byte[] d = new byte[DENSE_SIZE];
        System.arraycopy(b, 0, d, 0, HDR);
        d[4] = DENSE;
        HyperLogLog out = new HyperLogLog(d, DENSE_SIZE);
        int idx = 0;
        int p = HDR;
        while (p < len) {
            int op = b[p] & 0xFF;
            if (isZero(op)) {
                idx += (op & 0x3F) + 1;
                p++;
            } else if (isXZero(op)) {
                idx += (((op & 0x3F) << 8) | (b[p + 1] & 0xFF)) + 1;
                p += 2;
            } else {
                int run = valLen(op);
                int v = valValue(op);
                if (idx + run > REGISTERS) {
                    throw new Invalid();
                }
                for (int i = 0; i < run; i++) {
                    out.denseWrite(idx++, v);
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            throw new Invalid();
        }
        b = d;
        len = DENSE_SIZE;
    }

    boolean sparseSet(int index, int count) throws Invalid {
        if (count > VAL_MAX_VALUE) {
            toDense();
            return denseSet(index, count);
        }
        // find the opcode covering index
        int p = HDR;
        int first = 0;
        int prev = -1;
        int span = 0;
        int oplen = 1;
        while (p < len) {
            int op = b[p] & 0xFF;
            oplen = 1;
            if (isZero(op)) {
                span = (op & 0x3F) + 1;
            } else if (isXZero(op)) {
                span = (((op & 0x3F) << 8) | (b[p + 1] & 0xFF)) + 1;
                oplen = 2;
            } else {
                span = valLen(op);
            }
            if (index <= first + span - 1) {
                break;
            }
            prev = p;
            p += oplen;
            first += span;
        }
        if (span == 0 || p >= len) {
            throw new Invalid();
        }
        int op = b[p] & 0xFF;
        boolean zero = isZero(op);
        boolean xzero = isXZero(op);
        boolean isVal = !zero && !xzero;
        int runlen = span;
        if (isVal) {
            if (valValue(op) >= count) {
                return false;
            }
            if (runlen == 1) {
                b[p] = val(count, 1);
                return merge(prev);
            }
        }
        if (zero && runlen == 1) {
            b[p] = val(count, 1);
            return merge(prev);
        }
        byte[] seq = new byte[5];
        int n = 0;
        int last = first + span - 1;
        if (zero || xzero) {
            if (index != first) {
                n = zeros(seq, n, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                n = zeros(seq, n, last - index);
            }
        } else {
            int cur = valValue(op);
            if (index != first) {
                seq[n++] = val(cur, index - first);
            }
            seq[n++] = val(count, 1);
            if (index != last) {
                seq[n++] = val(cur, last - index);
            }
        }
        int oldlen = xzero ? 2 : 1;
        int delta = n - oldlen;
        if (delta > 0 && len + delta > HllCommands.SPARSE_MAX_BYTES) {
            toDense();
            return denseSet(index, count);
        }
        byte[] nb = new byte[Math.max(b.length, len + delta)];
        System.arraycopy(b, 0, nb, 0, p);
        System.arraycopy(seq, 0, nb, p, n);
        System.arraycopy(b, p + oldlen, nb, p + n, len - p - oldlen);
        b = nb;
        len += delta;
        return merge(prev);
    }

    private static int zeros(byte[] seq, int n, int runLen) {
        if (runLen > ZERO_MAX_LEN) {
            int v = runLen - 1;
            seq[n++] = (byte) (0x40 | (v >>> 8));
            seq[n++] = (byte) v;
        } else {
            seq[n++] = (byte) (runLen - 1);
        }
        return n;
    }

    /** Merges adjacent VAL opcodes with the same value, starting at the opcode before the change. */
    private boolean merge(int prev) {
        int p = prev >= 0 ? prev : HDR;
        int scan = 5;
        while (p < len && scan-- > 0) {
            int op = b[p] & 0xFF;
            if (isXZero(op)) {
                p += 2;
                continue;
            } else if (isZero(op)) {
                p++;
                continue;
            }
            if (p + 1 < len && !isZero(b[p + 1] & 0xFF) && !isXZero(b[p + 1] & 0xFF)) {
                int op2 = b[p + 1] & 0xFF;
                if (valValue(op) == valValue(op2)) {
                    int run = valLen(op) + valLen(op2);
                    if (run <= VAL_MAX_LEN) {
                        b[p + 1] = val(valValue(op), run);
                        System.arraycopy(b, p + 1, b, p, len - p - 1);
                        len--;
                        continue;
                    }
                }
            }
            p++;
        }
        return true;
    }

    // ---- counting and merging ----

    /** Raises {@code max} to this HLL's registers. */
    void mergeInto(int[] max) throws Invalid {
        if (dense()) {
            for (int i = 0; i < REGISTERS; i++) {
                max[i] = Math.max(max[i], denseGet(i));
            }
            return;
        }
        int idx = 0;
        int p = HDR;
        while (p < len) {
            int op = b[p] & 0xFF;
            if (isZero(op)) {
                idx += (op & 0x3F) + 1;
                p++;
            } else if (isXZero(op)) {
                if (p + 1 >= len) {
                    throw new Invalid();
                }
                idx += (((op & 0x3F) << 8) | (b[p + 1] & 0xFF)) + 1;
                p += 2;
            } else {
                int run = valLen(op);
                int v = valValue(op);
                if (idx + run > REGISTERS) {
                    throw new Invalid();
                }
                for (int i = 0; i < run; i++) {
                    max[idx] = Math.max(max[idx], v);
                    idx++;
                }
                p++;
            }
        }
        if (idx != REGISTERS) {
            throw new Invalid();
        }
    }

    long count() throws Invalid {
        int[] regs = new int[REGISTERS];
        mergeInto(regs);
        return count(regs);
    }

    /** Redis 7.0's estimator (Ertl's improved raw estimate) over register values. */
    static long count(int[] regs) {
        double m = REGISTERS;
        int[] histo = new int[64];
        for (int r : regs) {
            histo[r]++;
        }
        double z = m * tau((m - histo[Q + 1]) / m);
        for (int j = Q; j >= 1; --j) {
            z += histo[j];
            z *= 0.5;
        }
        z += m * sigma(histo[0] / m);
        return Math.round(0.721347520444481703680 * m * m / z);
    }

    private static double tau(double x) {
        if (x == 0. || x == 1.) {
            return 0.;
        }
        double zPrime;
        double y = 1.0;
        double z = 1 - x;
        do {
            x = Math.sqrt(x);
            zPrime = z;
            y *= 0.5;
            z -= (1 - x) * (1 - x) * y;
        } while (zPrime != z);
        return z / 3;
    }

    private static double sigma(double x) {
        if (x == 1.) {
            return Double.POSITIVE_INFINITY;
        }
        double zPrime;
        double y = 1;
        double z = x;
        do {
            x *= x;
            zPrime = z;
            z += x * y;
            y += y;
        } while (zPrime != z);
        return z;
    }
}
