package io.basalt.server.config;

import io.basalt.server.resp.RedisException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The node's settings: Redis names and defaults where Redis has the setting, {@code rocksdb-*} for
 * the engine. Read from a redis.conf-style file ({@code name value} per line, {@code #} comments) and
 * from {@code CONFIG SET}; every setting listed here has a real effect.
 */
public final class ServerConfig {
    /** How a value is checked and normalised. */
    public enum Kind { STRING, INT, MEMORY, BOOL, ENUM }

    public static final class Setting {
        final String name;
        final Kind kind;
        final boolean mutable;
        final String[] choices;
        final long min;
        final long max;
        volatile String value;
        /** The value parsed once, for numeric settings read on hot paths. */
        volatile long number;
        final String defaultValue;
        final List<Consumer<String>> watchers = new ArrayList<>();

        Setting(String name, Kind kind, String def, boolean mutable, long min, long max, String... choices) {
            this.name = name;
            this.kind = kind;
            this.defaultValue = def;
            this.mutable = mutable;
            assign(def);
            this.min = min;
            this.max = max;
            this.choices = choices;
        }

        void assign(String v) {
            if (kind == Kind.INT || kind == Kind.MEMORY) {
                number = Long.parseLong(v);
            }
            value = v;
        }
    }

    private final Map<String, Setting> settings = new LinkedHashMap<>();

    public ServerConfig() {
        add("bind", Kind.STRING, "127.0.0.1", false);
        add("port", Kind.INT, "6379", false, 0, 65535);
        add("dir", Kind.STRING, "./data", false);
        add("requirepass", Kind.STRING, "", true);
        add("maxclients", Kind.INT, "10000", true, 1, Integer.MAX_VALUE);
        add("proto-max-bulk-len", Kind.MEMORY, "536870912", true, 1024 * 1024, Long.MAX_VALUE);
        add("client-query-buffer-limit", Kind.MEMORY, "1073741824", true, 1024 * 1024, Long.MAX_VALUE);
        add("slowlog-log-slower-than", Kind.INT, "10000", true, -1, Long.MAX_VALUE);
        add("slowlog-max-len", Kind.INT, "128", true, 0, Integer.MAX_VALUE);
        add("busy-reply-threshold", Kind.INT, "5000", true, 0, Integer.MAX_VALUE);
        add("notify-keyspace-events", Kind.STRING, "", true);
        add("session-idle-timeout", Kind.INT, "3600", false, 0, Integer.MAX_VALUE);
        add("cluster-zk", Kind.STRING, "", false);
        add("cluster-name", Kind.STRING, "local", false);
        add("cluster-report-ms", Kind.INT, "200", false, 10, 60_000);
        add("cluster-zk-session-ms", Kind.INT, "10000", false, 1_000, 600_000);
        add("cluster-announce-ip", Kind.STRING, "", false);
        add("raft-port", Kind.INT, "0", false, 0, 65535);
        add("raft-id", Kind.STRING, "", false);
        add("raft-group", Kind.STRING, "g1", false);
        add("raft-peers", Kind.STRING, "", false);
        add("raft-election-min-ms", Kind.INT, "300", false, 50, 60_000);
        add("raft-election-max-ms", Kind.INT, "600", false, 100, 120_000);
        add("raft-leader-lease", Kind.BOOL, "no", false);
        add("raft-unsafe-flush", Kind.BOOL, "no", false);
        add("raft-snapshot-entries", Kind.INT, "100000", false, 0, Long.MAX_VALUE);
        add("raft-inflight-batches", Kind.INT, "256", false, 1, 65536);
        add("raft-log-segment-bytes", Kind.MEMORY, "33554432", false, 16 * 1024, 1L << 31);
        add("appendfsync", Kind.ENUM, "everysec", true, 0, 0, "always", "everysec", "no");
        add("hz", Kind.INT, "10", false, 1, 500);
        add("databases", Kind.INT, "1", false, 1, 1);
        add("io-threads", Kind.INT, "0", false, 0, 128);
        add("apply-max-batch", Kind.INT, "1024", true, 1, 65536);
        add("latency-stages", Kind.BOOL, "no", true);
        // small composites stay packed inside their metadata value up to these limits (Redis's names)
        add("hash-max-listpack-entries", Kind.INT, "128", true, 0, Integer.MAX_VALUE);
        add("hash-max-listpack-value", Kind.INT, "64", true, 0, Integer.MAX_VALUE);
        add("zset-max-listpack-entries", Kind.INT, "128", true, 0, Integer.MAX_VALUE);
        add("zset-max-listpack-value", Kind.INT, "64", true, 0, Integer.MAX_VALUE);
        add("set-max-intset-entries", Kind.INT, "512", true, 0, Integer.MAX_VALUE);
        add("set-max-listpack-entries", Kind.INT, "128", true, 0, Integer.MAX_VALUE);
        add("set-max-listpack-value", Kind.INT, "64", true, 0, Integer.MAX_VALUE);
        add("list-max-listpack-size", Kind.INT, "-2", true, -5, Integer.MAX_VALUE);
        // how stream entries are grouped into nodes (trimming with ~ removes whole nodes; DUMP writes them)
        add("stream-node-max-bytes", Kind.MEMORY, "4096", true, 0, Long.MAX_VALUE);
        add("stream-node-max-entries", Kind.INT, "100", true, 0, Long.MAX_VALUE);
        add("rocksdb-block-cache-size", Kind.MEMORY, "268435456", false, 1024 * 1024, Long.MAX_VALUE);
        add("rocksdb-write-buffer-size", Kind.MEMORY, "67108864", false, 1024 * 1024, Long.MAX_VALUE);
        add("rocksdb-min-blob-size", Kind.MEMORY, "4096", false, 0, Long.MAX_VALUE);
    }

    private void add(String name, Kind kind, String def, boolean mutable) {
        settings.put(name, new Setting(name, kind, def, mutable, 0, 0));
    }

    private void add(String name, Kind kind, String def, boolean mutable, long min, long max, String... choices) {
        settings.put(name, new Setting(name, kind, def, mutable, min, max, choices));
    }

    public String get(String name) {
        Setting s = settings.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no setting " + name);
        }
        return s.value;
    }

    public long getLong(String name) {
        Setting s = settings.get(name);
        if (s == null || (s.kind != Kind.INT && s.kind != Kind.MEMORY)) {
            throw new IllegalArgumentException("no numeric setting " + name);
        }
        return s.number;
    }

    public int getInt(String name) {
        return (int) getLong(name);
    }

    /** Runs {@code watcher} after each change of {@code name} (CONFIG SET) so it takes effect at once. */
    public void onChange(String name, Consumer<String> watcher) {
        settings.get(name).watchers.add(watcher);
    }

    /** All settings whose name matches a glob, for CONFIG GET. */
    public Map<String, String> matching(java.util.function.Predicate<String> nameMatches) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Setting s : settings.values()) {
            if (nameMatches.test(s.name)) {
                out.put(s.name, s.value);
            }
        }
        return out;
    }

    public boolean has(String name) {
        return settings.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Sets a value at startup (file or command line): immutable settings allowed. */
    public void setInitial(String name, String value) {
        Setting s = settings.get(name.toLowerCase(Locale.ROOT));
        if (s == null) {
            throw new IllegalArgumentException("unknown setting '" + name + "'");
        }
        String v = normalise(s, value);
        if (v == null) {
            throw new IllegalArgumentException("invalid value for '" + name + "': " + value);
        }
        s.assign(v);
    }

    /** CONFIG SET of several pairs, all or nothing, with Redis's error texts. */
    public void set(Map<String, String> pairs) {
        Map<Setting, String> checked = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : pairs.entrySet()) {
            Setting s = settings.get(e.getKey().toLowerCase(Locale.ROOT));
            if (s == null) {
                throw new RedisException("ERR Unknown option or number of arguments for CONFIG SET - '" + e.getKey() + "'");
            }
            if (!s.mutable) {
                throw new RedisException("ERR CONFIG SET failed (possibly related to argument '" + e.getKey()
                        + "') - can't set immutable config");
            }
            String v;
            if (s.name.equals("notify-keyspace-events")) {
                try {
                    v = io.basalt.server.net.Notifications.format(io.basalt.server.net.Notifications.parse(e.getValue()));
                } catch (RedisException bad) {
                    throw new RedisException("ERR CONFIG SET failed (possibly related to argument '" + e.getKey() + "') - "
                            + bad.getMessage());
                }
            } else {
                v = normalise(s, e.getValue());
            }
            if (v == null) {
                throw new RedisException("ERR CONFIG SET failed (possibly related to argument '" + e.getKey()
                        + "') - argument couldn't be parsed into an integer");
            }
            checked.put(s, v);
        }
        for (Map.Entry<Setting, String> e : checked.entrySet()) {
            e.getKey().assign(e.getValue());
            for (Consumer<String> w : e.getKey().watchers) {
                w.accept(e.getValue());
            }
        }
    }

    private static String normalise(Setting s, String value) {
        switch (s.kind) {
            case INT -> {
                try {
                    long v = Long.parseLong(value.trim());
                    return v < s.min || v > s.max ? null : Long.toString(v);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            case MEMORY -> {
                Long v = parseMemory(value);
                return v == null || v < s.min || v > s.max ? null : Long.toString(v);
            }
            case BOOL -> {
                String l = value.toLowerCase(Locale.ROOT);
                return l.equals("yes") || l.equals("no") ? l : null;
            }
            case ENUM -> {
                String l = value.toLowerCase(Locale.ROOT);
                for (String c : s.choices) {
                    if (c.equals(l)) {
                        return l;
                    }
                }
                return null;
            }
            default -> {
                return value;
            }
        }
    }

    /** Redis memory units: 1k = 1000, 1kb = 1024, also m/mb, g/gb. */
    public static Long parseMemory(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        long mul = 1;
        String[][] units = {{"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1000"}, {"m", "1000000"},
            {"g", "1000000000"}, {"b", "1"}};
        for (String[] u : units) {
            if (t.endsWith(u[0])) {
                mul = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            return Math.multiplyExact(Long.parseLong(t), mul);
        } catch (NumberFormatException | ArithmeticException e) {
            return null;
        }
    }

    /** Loads {@code name value} lines; quoted values may contain spaces. */
    public void load(Path file) throws IOException {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int sp = l.indexOf(' ');
            if (sp < 0) {
                throw new IllegalArgumentException("config line without a value: " + line);
            }
            String value = l.substring(sp + 1).strip();
            if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
                value = value.substring(1, value.length() - 1);
            }
            setInitial(l.substring(0, sp), value);
        }
    }
}
