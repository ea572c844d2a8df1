package io.basalt.server.dispatch;

import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A command's arguments (index 0 is the command name) with Redis's parsing rules and error texts. */
public final class Args {
    private final List<byte[]> argv;

    public Args(List<byte[]> argv) {
        this.argv = argv;
    }

    public List<byte[]> list() {
        return argv;
    }

    public int size() {
        return argv.size();
    }

    public byte[] bytes(int i) {
        return argv.get(i);
    }

    public String string(int i) {
        return new String(argv.get(i), StandardCharsets.UTF_8);
    }

    /** The command name as the client sent it, lower-cased. */
    public String name() {
        return string(0).toLowerCase(java.util.Locale.ROOT);
    }

    /** Case-insensitive comparison with an ASCII keyword. */
    public boolean is(int i, String keyword) {
        byte[] a = argv.get(i);
        if (a.length != keyword.length()) {
            return false;
        }
        for (int k = 0; k < a.length; k++) {
            int c = a[k];
            if (c >= 'a' && c <= 'z') {
                c -= 32;
            }
            int d = keyword.charAt(k);
            if (d >= 'a' && d <= 'z') {
                d -= 32;
            }
            if (c != d) {
                return false;
            }
        }
        return true;
    }

    /** Parses a signed 64-bit integer exactly as Redis's string2ll: no spaces, no '+', no leading zeros. */
    public long longValue(int i) {
        Long v = parseLong(argv.get(i));
        if (v == null) {
            throw Errors.notInteger();
        }
        return v;
    }

    /** Like {@link #longValue} but with a custom error text. */
    public long longValue(int i, String error) {
        Long v = parseLong(argv.get(i));
        if (v == null) {
            throw new RedisException(error);
        }
        return v;
    }

    public double doubleValue(int i) {
        Double d = parseDouble(argv.get(i));
        if (d == null) {
            throw Errors.notFloat();
        }
        return d;
    }

    /** Redis's string2ll. Returns null when the bytes are not a canonical 64-bit integer. */
    public static Long parseLong(byte[] b) {
        int n = b.length;
        if (n == 0 || n > 20) {
            return null;
        }
        if (n == 1 && b[0] == '0') {
            return 0L;
        }
        int i = 0;
        boolean neg = false;
        if (b[0] == '-') {
            neg = true;
            i = 1;
            if (n == 1) {
                return null;
            }
        }
        if (b[i] < '1' || b[i] > '9') {
            return null;
        }
        long v = 0;
        for (; i < n; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) {
                return null;
            }
            // accumulate as negative to reach Long.MIN_VALUE
            if (v < (Long.MIN_VALUE + d) / 10) {
                return null;
            }
            v = v * 10 - d;
        }
        if (!neg) {
            if (v == Long.MIN_VALUE) {
                return null;
            }
            return -v;
        }
        return v;
    }

    /** An unsigned 64-bit decimal (SCAN cursors), as strtoull accepts it; null if invalid. */
    public static Long parseUnsigned(byte[] b) {
        if (b.length == 0 || b.length > 20) {
            return null;
        }
        for (byte c : b) {
            if (c < '0' || c > '9') {
                return null;
            }
        }
        try {
            return Long.parseUnsignedLong(new String(b, StandardCharsets.US_ASCII));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Redis's string → double for arguments: strtod semantics (also "inf", "+inf", "-inf"), no
     * surrounding spaces, no NaN. Returns null when invalid.
     */
    public static Double parseDouble(byte[] b) {
        if (b.length == 0 || b.length > 5000) {
            return null;
        }
        if (b.length <= 15) {
            // fast path: plain decimal integers (scores like "0", "42", "-7") are exact doubles
            int i = b[0] == '-' ? 1 : 0;
            if (i < b.length) {
                long v = 0;
                for (int j = i; j < b.length; j++) {
                    int c = b[j] - '0';
                    if (c < 0 || c > 9) {
                        v = -1;
                        break;
                    }
                    v = v * 10 + c;
                }
                if (v >= 0) {
                    return i == 1 ? -(double) v : (double) v;
                }
            }
        }
        String s = new String(b, StandardCharsets.US_ASCII);
        if (Character.isWhitespace(s.charAt(0)) || Character.isWhitespace(s.charAt(s.length() - 1))) {
            return null;
        }
        String lower = s.toLowerCase(java.util.Locale.ROOT);
        switch (lower) {
            case "inf", "+inf", "infinity", "+infinity" -> {
                return Double.POSITIVE_INFINITY;
            }
            case "-inf", "-infinity" -> {
                return Double.NEGATIVE_INFINITY;
            }
            default -> {
            }
        }
        // Java accepts suffixes like 'd'/'f' and hex floats; strtod does not accept the suffixes.
        char last = lower.charAt(lower.length() - 1);
        if (last == 'd' || last == 'f' || lower.contains("nan") || lower.contains("inf")) {
            return null;
        }
        try {
            double d = Double.parseDouble(s);
            return Double.isNaN(d) ? null : d;
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
