package io.basalt.server.rdb;

/**
 * The LZF format RDB uses for compressed strings. The compressor follows liblzf's fast variant
 * with the parameters Redis builds it with (16-bit hash, "very fast" re-hashing after a match, a
 * zeroed table), so for the same input it emits the same bytes Redis does; the decompressor reads
 * any valid LZF stream.
 *
 * <p>Stream: a control byte c < 32 means c+1 literal bytes follow; otherwise a back reference of
 * length (c >> 5) + 2 (7 means: add the next byte) at distance ((c & 31) << 8 | next byte) + 1.
 */
public final class Lzf {
    private static final int HLOG = 16;
    private static final int HSIZE = 1 << HLOG;
    private static final int MAX_LIT = 1 << 5;
    private static final int MAX_OFF = 1 << 13;
    private static final int MAX_REF = (1 << 8) + (1 << 3);

    private Lzf() {}

    private static int idx(int h) {
        return ((h >>> (3 * 8 - HLOG)) - h * 5) & (HSIZE - 1);
    }

    /**
     * Compresses {@code in} into at most {@code maxOut} bytes. Returns the compressed bytes, or null
     * if they would not fit (the caller then stores the string uncompressed).
     */
    public static byte[] compress(byte[] in, int maxOut) {
        int inLen = in.length;
        if (inLen == 0 || maxOut <= 0) {
            return null;
        }
        byte[] out = new byte[maxOut];
        int[] htab = new int[HSIZE]; // positions; 0 doubles as "empty" since position 0 is never a reference
        int ip = 0;
        int op = 1; // room for the first literal run's control byte
        int lit = 0;
        int hval = ((in[0] & 0xFF) << 8) | (inLen > 1 ? in[1] & 0xFF : 0);
        while (ip < inLen - 2) {
            hval = (hval << 8) | (in[ip + 2] & 0xFF);
            int slot = idx(hval);
            int ref = htab[slot];
            htab[slot] = ip;
            int off;
            if (ref < ip && ref > 0 && (off = ip - ref - 1) < MAX_OFF
                    && in[ref + 2] == in[ip + 2] && in[ref] == in[ip] && in[ref + 1] == in[ip + 1]) {
                int len = 2;
                int maxLen = Math.min(inLen - ip - len, MAX_REF);
                if (op + 3 + 1 >= maxOut && op - (lit == 0 ? 1 : 0) + 3 + 1 >= maxOut) {
                    return null;
                }
                out[op - lit - 1] = (byte) (lit - 1); // close the literal run
                if (lit == 0) {
                    op--; // empty run: drop its control byte
                }
                // liblzf checks the first 16 extra bytes unrolled when maxLen > 16, then always steps once
                // more before testing the bound: the match may end up to 2 bytes past maxLen. Redis's
                // output depends on it, so do exactly the same.
                boolean mismatch = false;
                if (maxLen > 16) {
                    for (int k = 0; k < 16; k++) {
                        len++;
                        if (in[ref + len] != in[ip + len]) {
                            mismatch = true;
                            break;
                        }
                    }
                }
                if (!mismatch) {
                    do {
                        len++;
                    } while (len < maxLen && in[ref + len] == in[ip + len]);
                }
                len -= 2; // now: match length - 1
                ip++;
                if (len < 7) {
                    out[op++] = (byte) ((off >>> 8) + (len << 5));
                } else {
                    out[op++] = (byte) ((off >>> 8) + (7 << 5));
                    out[op++] = (byte) (len - 7);
                }
                out[op++] = (byte) off;
                lit = 0;
                op++; // start a new literal run
                ip += len + 1;
                if (ip >= inLen - 2) {
                    break;
                }
                // re-hash the last two positions of the match, as liblzf's VERY_FAST mode does
                ip -= 2;
                hval = ((in[ip] & 0xFF) << 8) | (in[ip + 1] & 0xFF);
                hval = (hval << 8) | (in[ip + 2] & 0xFF);
                htab[idx(hval)] = ip;
                ip++;
                hval = (hval << 8) | (in[ip + 2] & 0xFF);
                htab[idx(hval)] = ip;
                ip++;
            } else {
                if (op >= maxOut) {
                    return null;
                }
                lit++;
                out[op++] = in[ip++];
                if (lit == MAX_LIT) {
                    out[op - lit - 1] = (byte) (lit - 1);
                    lit = 0;
                    op++;
                }
            }
        }
        if (op + 3 > maxOut) {
            return null;
        }
        while (ip < inLen) {
            lit++;
            out[op++] = in[ip++];
            if (lit == MAX_LIT) {
                out[op - lit - 1] = (byte) (lit - 1);
                lit = 0;
                op++;
            }
        }
        out[op - lit - 1] = (byte) (lit - 1);
        if (lit == 0) {
            op--;
        }
        return java.util.Arrays.copyOf(out, op);
    }

    /** Decompresses to exactly {@code outLen} bytes; throws IllegalArgumentException on a corrupt stream. */
    public static byte[] decompress(byte[] in, int off, int len, int outLen) {
        byte[] out = new byte[outLen];
        int ip = off;
        int end = off + len;
        int op = 0;
        while (ip < end) {
            int ctrl = in[ip++] & 0xFF;
            if (ctrl < (1 << 5)) {
                ctrl++;
                if (op + ctrl > outLen || ip + ctrl > end) {
                    throw new IllegalArgumentException("lzf: literal run overflows");
                }
                System.arraycopy(in, ip, out, op, ctrl);
                ip += ctrl;
                op += ctrl;
            } else {
                int n = ctrl >>> 5;
                int ref = op - ((ctrl & 0x1f) << 8) - 1;
                if (n == 7) {
                    if (ip >= end) {
                        throw new IllegalArgumentException("lzf: truncated");
                    }
                    n += in[ip++] & 0xFF;
                }
                if (ip >= end) {
                    throw new IllegalArgumentException("lzf: truncated");
                }
                ref -= in[ip++] & 0xFF;
                n += 2;
                if (op + n > outLen || ref < 0) {
                    throw new IllegalArgumentException("lzf: back reference out of range");
                }
                for (int k = 0; k < n; k++) {
                    out[op++] = out[ref++];
                }
            }
        }
        if (op != outLen) {
            throw new IllegalArgumentException("lzf: length mismatch");
        }
        return out;
    }
}
