package io.basalt.routing.commands;

import java.util.List;
import java.util.Set;

/**
 * Where a command's keys are, in Redis 7's key-spec form: a begin-search step (a fixed index, or a
 * keyword searched from an index) and a find-keys step (a range, or a count read from an argument).
 * Routing, {@code COMMAND GETKEYS} and {@code COMMAND INFO} all read these.
 */
public record KeySpec(BeginSearch begin, FindKeys find, Set<String> flags) {

    public sealed interface BeginSearch permits Index, Keyword {}

    /** Keys start at a fixed argument index (0 = command name). */
    public record Index(int pos) implements BeginSearch {}

    /** Keys start after {@code keyword}, searched from {@code startFrom} (negative: from the end, backwards). */
    public record Keyword(String keyword, int startFrom) implements BeginSearch {}

    public sealed interface FindKeys permits Range, KeyNum {}

    /**
     * {@code lastKey}: index of the last key relative to the first (negative: from the end of the
     * arguments, -1 = last argument); {@code step}: distance between keys; {@code limit}: when
     * lastKey is -1, only 1/limit of the remaining arguments are keys (0 = all).
     */
    public record Range(int lastKey, int step, int limit) implements FindKeys {}

    /** The number of keys is in the argument at {@code keyNumIdx} (relative to begin), keys start at {@code firstKey}. */
    public record KeyNum(int keyNumIdx, int firstKey, int step) implements FindKeys {}

    public static KeySpec range(int index, int lastKey, int step, String... flags) {
        return new KeySpec(new Index(index), new Range(lastKey, step, 0), Set.of(flags));
    }

    public static KeySpec keyNum(int index, int keyNumIdx, int firstKey, int step, String... flags) {
        return new KeySpec(new Index(index), new KeyNum(keyNumIdx, firstKey, step), Set.of(flags));
    }

    public static KeySpec keyword(String keyword, int startFrom, int lastKey, int step, int limit, String... flags) {
        return new KeySpec(new Keyword(keyword, startFrom), new Range(lastKey, step, limit), Set.of(flags));
    }

    /**
     * Appends the argument indexes of the keys this spec finds in {@code args} (args[0] is the
     * command name). Malformed input (a key count that is not a number, out of range) yields no keys;
     * the command itself reports the error.
     */
    void collect(List<byte[]> args, List<Integer> out) {
        int argc = args.size();
        int first;
        if (begin instanceof Index idx) {
            first = idx.pos();
        } else {
            Keyword kw = (Keyword) begin;
            first = -1;
            if (kw.startFrom() >= 0) {
                for (int i = kw.startFrom(); i < argc; i++) {
                    if (equalsIgnoreCase(args.get(i), kw.keyword())) {
                        first = i + 1;
                        break;
                    }
                }
            } else {
                for (int i = argc + kw.startFrom(); i > 0; i--) {
                    if (equalsIgnoreCase(args.get(i), kw.keyword())) {
                        first = i + 1;
                        break;
                    }
                }
            }
            if (first < 0) {
                return;
            }
        }
        if (first >= argc) {
            return;
        }
        if (find instanceof Range r) {
            int last;
            if (r.lastKey() >= 0) {
                last = first + r.lastKey();
            } else if (r.limit() > 1) {
                last = first + ((argc - first) / r.limit()) - 1;
            } else {
                last = argc + r.lastKey();
            }
            for (int i = first; i <= last && i < argc; i += Math.max(1, r.step())) {
                out.add(i);
            }
        } else {
            KeyNum kn = (KeyNum) find;
            int numIdx = first + kn.keyNumIdx();
            if (numIdx >= argc) {
                return;
            }
            long n;
            try {
                n = Long.parseLong(new String(args.get(numIdx), java.nio.charset.StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                return;
            }
            int start = first + kn.firstKey();
            for (long k = 0; k < n; k++) {
                long i = start + k * kn.step();
                if (i >= argc) {
                    break;
                }
                out.add((int) i);
            }
        }
    }

    static boolean equalsIgnoreCase(byte[] a, String s) {
        if (a.length != s.length()) {
            return false;
        }
        for (int i = 0; i < a.length; i++) {
            int c = a[i];
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            int d = s.charAt(i);
            if (d >= 'A' && d <= 'Z') {
                d += 32;
            }
            if (c != d) {
                return false;
            }
        }
        return true;
    }
}
