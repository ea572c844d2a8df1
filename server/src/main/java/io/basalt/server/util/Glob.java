package io.basalt.server.util;

/**
 * Redis-style glob matching ({@code * ? [abc] [^a-z] \x}) over bytes, used by KEYS, SCAN MATCH,
 * CONFIG GET, COMMAND LIST and pub/sub patterns.
 *
 * <p>Each pattern token other than {@code *} matches exactly one byte, so the classic two-pointer
 * algorithm applies: on a mismatch, only the most recent {@code *} is retried one byte further.
 * That bounds the work at O(pattern × subject) — pathological patterns such as
 * {@code *a*a*a*a*a*b} cannot blow up the way naive recursive matchers did (CVE-2022-36021).
 */
public final class Glob {
    private Glob() {}

    public static boolean matches(byte[] pattern, byte[] subject, boolean nocase) {
        int p = 0;
        int s = 0;
        int starP = -1;
        int starS = -1;
        int pn = pattern.length;
        int sn = subject.length;
        while (s < sn) {
            if (p < pn && pattern[p] == '*') {
                while (p < pn && pattern[p] == '*') {
                    p++;
                }
                if (p == pn) {
                    return true;
                }
                starP = p;
                starS = s;
                continue;
            }
            if (p < pn) {
                int consumed = matchOne(pattern, p, subject[s], nocase);
                if (consumed > 0) {
                    p += consumed;
                    s++;
                    continue;
                }
            }
            if (starP < 0) {
                return false;
            }
            p = starP;
            s = ++starS;
        }
        while (p < pn && pattern[p] == '*') {
            p++;
        }
        return p == pn;
    }

    public static boolean matches(String pattern, String subject, boolean nocase) {
        return matches(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                subject.getBytes(java.nio.charset.StandardCharsets.UTF_8), nocase);
    }

    /** Whether the pattern has no special characters (then a lookup can replace a scan). */
    public static boolean isLiteral(byte[] pattern) {
        for (byte b : pattern) {
            if (b == '*' || b == '?' || b == '[' || b == '\\') {
                return false;
            }
        }
        return true;
    }

    /**
     * Tries the token at {@code p} against one byte. Returns the token's length if it matches, 0 if
     * it does not. A token is '?', '[...]', '\x' or a literal byte.
     */
    private static int matchOne(byte[] pat, int p, byte c, boolean nocase) {
        int pn = pat.length;
        byte t = pat[p];
        if (t == '?') {
            return 1;
        }
        if (t == '\\' && p + 1 < pn) {
            return eq(pat[p + 1], c, nocase) ? 2 : 0;
        }
        if (t == '[') {
            int i = p + 1;
            boolean not = i < pn && pat[i] == '^';
            if (not) {
                i++;
            }
            boolean match = false;
            while (i < pn && pat[i] != ']') {
                if (pat[i] == '\\' && i + 1 < pn) {
                    i++;
                    if (eq(pat[i], c, nocase)) {
                        match = true;
                    }
                    i++;
                } else if (i + 2 < pn && pat[i + 1] == '-' && pat[i + 2] != ']') {
                    int lo = pat[i] & 0xFF;
                    int hi = pat[i + 2] & 0xFF;
                    if (lo > hi) {
                        int tmp = lo;
                        lo = hi;
                        hi = tmp;
                    }
                    int cc = c & 0xFF;
                    if (nocase) {
                        int l = Character.toLowerCase(cc);
                        if (l >= Character.toLowerCase(lo) && l <= Character.toLowerCase(hi)) {
                            match = true;
                        }
                    }
                    if (cc >= lo && cc <= hi) {
                        match = true;
                    }
                    i += 3;
                } else {
                    if (eq(pat[i], c, nocase)) {
                        match = true;
                    }
                    i++;
                }
            }
            // Redis treats an unterminated '[' as running to the end of the pattern.
            int len = (i < pn ? i + 1 : pn) - p;
            return match != not ? len : 0;
        }
        return eq(t, c, nocase) ? 1 : 0;
    }

    private static boolean eq(byte a, byte b, boolean nocase) {
        if (a == b) {
            return true;
        }
        return nocase && Character.toLowerCase(a & 0xFF) == Character.toLowerCase(b & 0xFF);
    }
}
