package io.basalt.server.storage.types;

import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.encoding.Metadata;
import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import io.basalt.server.storage.engine.KvReader;
import java.util.function.Predicate;

/**
 * Read access to user keys at a fixed time: the Redis-meaning layer over the encoding. Expired keys
 * are invisible here (lazy expiry); deleting them is the active-expiry sweep's job.
 */
public class Keyspace implements AutoCloseable {
    protected final KvReader kv;
    protected final long nowMs;

    public Keyspace(KvReader kv, long nowMs) {
        this.kv = kv;
        this.nowMs = nowMs;
    }

    /** Releases a pinned snapshot, if this view holds one. */
    @Override
    public void close() {
        if (kv instanceof io.basalt.server.storage.engine.SnapshotReader s) {
            s.close();
        }
    }

    KvReader kv() {
        return kv;
    }

    public long nowMs() {
        return nowMs;
    }

    public Entry entry(byte[] userKey) {
        byte[] mk = KeyCodec.metaKey(userKey);
        return new Entry(userKey, mk, kv.get(Cf.META, mk), nowMs);
    }

    /** The live metadata of a key, or null. */
    public Metadata meta(byte[] userKey) {
        return entry(userKey).meta();
    }

    /**
     * Server-wide records that are data but not keys (function libraries): in the SYSTEM column
     * family under {@code prefix}, in key order. FLUSHALL leaves them, as Redis does.
     */
    /** One server-wide record, or null. */
    public byte[] record(String prefix, String name) {
        return kv.get(Cf.SYSTEM, (prefix + name).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public java.util.SortedMap<String, byte[]> records(String prefix) {
        byte[] from = prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.util.TreeMap<String, byte[]> out = new java.util.TreeMap<>();
        try (KvCursor c = kv.cursor(Cf.SYSTEM, from, KeyCodec.prefixEnd(from))) {
            c.seek(from);
            while (c.valid()) {
                out.put(new String(c.key(), java.nio.charset.StandardCharsets.UTF_8).substring(prefix.length()), c.value());
                c.next();
            }
        }
        return out;
    }

    public boolean exists(byte[] userKey) {
        return entry(userKey).exists();
    }

    /**
     * Visits live keys in internal order starting at META key {@code from} (inclusive) until the
     * visitor returns false. Returns the META key to resume from, or null at the end.
     */
    public byte[] scan(byte[] from, byte[] to, Predicate<Entry> visitor) {
        try (KvCursor c = kv.cursor(Cf.META, from, to)) {
            c.seek(from);
            while (c.valid()) {
                byte[] mk = c.key();
                Entry e = new Entry(KeyCodec.userKey(mk), mk, c.value(), nowMs);
                if (e.exists() && !visitor.test(e)) {
                    c.next();
                    return c.valid() ? c.key() : null;
                }
                c.next();
            }
        }
        return null;
    }
}
