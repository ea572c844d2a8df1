package io.basalt.server.dispatch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/** SLOWLOG: commands slower than {@code slowlog-log-slower-than} µs, newest first, bounded. */
public final class SlowLog {
    public record Entry(long id, long timestampSec, long durationUs, List<byte[]> args, String client, String name) {}

    private final ArrayDeque<Entry> entries = new ArrayDeque<>();
    private long nextId;

    public synchronized void add(long tsSec, long durationUs, List<byte[]> args, String client, String name, int maxLen) {
        // Redis keeps at most 32 arguments, each at most 128 bytes.
        List<byte[]> kept = new ArrayList<>();
        int n = Math.min(args.size(), 32);
        for (int i = 0; i < n; i++) {
            byte[] a = args.get(i);
            if (i == 31 && args.size() > 32) {
                kept.add(("... (" + (args.size() - 31) + " more arguments)").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } else if (a.length > 128) {
                String more = "... (" + (a.length - 128) + " more bytes)";
                byte[] t = java.util.Arrays.copyOf(a, 128 + more.length());
                System.arraycopy(more.getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, t, 128, more.length());
                kept.add(t);
            } else {
                kept.add(a);
            }
        }
        entries.addFirst(new Entry(nextId++, tsSec, durationUs, kept, client, name));
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }

    public synchronized List<Entry> newest(int count) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (count >= 0 && out.size() >= count) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    public synchronized int size() {
        return entries.size();
    }

    public synchronized void reset() {
        entries.clear();
    }

    public synchronized void trim(int maxLen) {
        while (entries.size() > maxLen) {
            entries.removeLast();
        }
    }
}
