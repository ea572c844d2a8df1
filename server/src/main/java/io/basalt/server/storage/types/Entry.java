package io.basalt.server.storage.types;

import io.basalt.server.storage.encoding.Metadata;
import io.basalt.server.storage.encoding.RedisType;

/**
 * A user key as found in storage at one instant: its internal key, the raw META bytes (null if there
 * is no entry) and whether it is live at the reader's time. An expired key has a raw entry but is not
 * live: reads treat it as absent, writes replace it (and account for it).
 */
public final class Entry {
    private final byte[] userKey;
    private final byte[] metaKey;
    private final byte[] raw;
    private final boolean live;
    private Metadata decoded;

    Entry(byte[] userKey, byte[] metaKey, byte[] raw, long nowMs) {
        this.userKey = userKey;
        this.metaKey = metaKey;
        this.raw = raw;
        this.live = raw != null && !isExpired(raw, nowMs);
    }

    private static boolean isExpired(byte[] raw, long nowMs) {
        long at = Metadata.peekExpireAt(raw);
        return at != 0 && at <= nowMs;
    }

    public byte[] userKey() {
        return userKey;
    }

    byte[] metaKey() {
        return metaKey;
    }

    /** Whether storage holds an entry at all (live or expired but not yet swept). */
    boolean stored() {
        return raw != null;
    }

    public boolean exists() {
        return live;
    }

    /** The live metadata, or null when the key does not exist (or has expired). */
    public Metadata meta() {
        if (!live) {
            return null;
        }
        if (decoded == null) {
            decoded = Metadata.decode(raw);
        }
        return decoded;
    }

    /** Metadata of the stored entry even if expired (for bookkeeping), or null. */
    Metadata storedMeta() {
        if (raw == null) {
            return null;
        }
        if (decoded == null) {
            decoded = Metadata.decode(raw);
        }
        return decoded;
    }

    public RedisType type() {
        return live ? Metadata.peekType(raw) : null;
    }

    public long expireAt() {
        return live ? Metadata.peekExpireAt(raw) : 0;
    }

    /** The string value, or null if absent; WRONGTYPE if the key holds another type. */
    public byte[] stringValue() {
        if (!live) {
            return null;
        }
        if (Metadata.peekType(raw) != RedisType.STRING) {
            throw io.basalt.server.resp.Errors.wrongType();
        }
        return Metadata.peekStringValue(raw);
    }

    /** The string value as a reply without copying it (GET's hot path); WRONGTYPE for other types. */
    public io.basalt.server.resp.Reply stringReply() {
        if (!live) {
            return io.basalt.server.resp.Reply.NULL;
        }
        if (Metadata.peekType(raw) != RedisType.STRING) {
            throw io.basalt.server.resp.Errors.wrongType();
        }
        int off = Metadata.stringValueOffset(raw);
        return new io.basalt.server.resp.Reply.BulkSlice(raw, off, raw.length - off);
    }

    /** Throws WRONGTYPE unless the key is absent or of {@code expected} type. */
    public Entry requireType(RedisType expected) {
        if (live && Metadata.peekType(raw) != expected) {
            throw io.basalt.server.resp.Errors.wrongType();
        }
        return this;
    }
}
