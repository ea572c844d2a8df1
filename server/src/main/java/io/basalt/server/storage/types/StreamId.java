package io.basalt.server.storage.types;

import io.basalt.server.storage.encoding.KeyCodec;
import java.nio.charset.StandardCharsets;

/**
 * A stream entry ID: two unsigned 64-bit numbers (milliseconds, sequence). Stored as 16 big-endian
 * bytes, so byte order is ID order and XRANGE is a range scan.
 */
public record StreamId(long ms, long seq) implements Comparable<StreamId> {
    public static final StreamId MIN = new StreamId(0, 0);
    public static final StreamId MAX = new StreamId(-1L, -1L);

    @Override
    public int compareTo(StreamId o) {
        int c = Long.compareUnsigned(ms, o.ms);
        return c != 0 ? c : Long.compareUnsigned(seq, o.seq);
    }

    public boolean isMin() {
        return ms == 0 && seq == 0;
    }

    public boolean isMax() {
        return ms == -1L && seq == -1L;
    }

    /** The next ID, or null if this is the largest. */
    public StreamId next() {
        if (seq != -1L) {
            return new StreamId(ms, seq + 1);
        }
        if (ms != -1L) {
            return new StreamId(ms + 1, 0);
        }
        return null;
    }

    /** The previous ID, or null if this is 0-0. */
    public StreamId prev() {
        if (seq != 0) {
            return new StreamId(ms, seq - 1);
        }
        if (ms != 0) {
            return new StreamId(ms - 1, -1L);
        }
        return null;
    }

    public byte[] encode() {
        byte[] b = new byte[16];
        KeyCodec.putLong(b, 0, ms);
        KeyCodec.putLong(b, 8, seq);
        return b;
    }

    public void encodeInto(byte[] b, int off) {
        KeyCodec.putLong(b, off, ms);
        KeyCodec.putLong(b, off + 8, seq);
    }

    public static StreamId decode(byte[] b, int off) {
        return new StreamId(KeyCodec.getLong(b, off), KeyCodec.getLong(b, off + 8));
    }

    @Override
    public String toString() {
        return Long.toUnsignedString(ms) + "-" + Long.toUnsignedString(seq);
    }

    public byte[] toBytes() {
        return toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** The outcome of parsing an ID argument: the ID and whether the sequence was given (not {@code ms-*}). */
    public record Parsed(StreamId id, boolean seqGiven) {}

    /**
     * Redis's stream ID argument syntax: {@code -}, {@code +} (unless strict), {@code ms},
     * {@code ms-seq}, and with {@code allowAutoSeq} {@code ms-*}. Numbers as strtoull reads them.
     * Returns null when invalid.
     */
    public static Parsed parse(byte[] arg, long missingSeq, boolean strict, boolean allowAutoSeq) {
        if (arg.length > 127) {
            return null;
        }
        String s = new String(arg, StandardCharsets.ISO_8859_1);
        int nul = s.indexOf('\0');
        if (nul >= 0) {
            s = s.substring(0, nul); // C string semantics
        }
        if (s.equals("-") || s.equals("+")) {
            if (strict) {
                return null;
            }
            return new Parsed(s.equals("-") ? MIN : MAX, true);
        }
        int dash = s.indexOf('-');
        Long ms = parseU64(dash < 0 ? s : s.substring(0, dash));
        if (ms == null) {
            return null;
        }
        if (dash < 0) {
            return new Parsed(new StreamId(ms, missingSeq), true);
        }
        String rest = s.substring(dash + 1);
        if (allowAutoSeq && rest.equals("*")) {
            return new Parsed(new StreamId(ms, 0), false);
        }
        Long seq = parseU64(rest);
        return seq == null ? null : new Parsed(new StreamId(ms, seq), true);
    }

    /** Redis's string2ull: a canonical non-negative integer, else what strtoull accepts (whole string). */
    static Long parseU64(String s) {
        Long v = io.basalt.server.dispatch.Args.parseLong(s.getBytes(StandardCharsets.ISO_8859_1));
        if (v != null) {
            return v < 0 ? null : v;
        }
        int i = 0;
        int n = s.length();
        while (i < n && isSpace(s.charAt(i))) {
            i++;
        }
        boolean neg = false;
        if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
            neg = s.charAt(i) == '-';
            i++;
        }
        int start = i;
        long acc = 0;
        boolean overflow = false;
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            int d = s.charAt(i) - '0';
            if (Long.compareUnsigned(acc, Long.divideUnsigned(-1L - d, 10)) > 0) {
                overflow = true;
            }
            acc = acc * 10 + d;
            i++;
        }
        if (i == start || i != n || overflow || s.isEmpty()) {
            return null;
        }
        return neg ? -acc : acc;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0B || c == '\f';
    }
}
