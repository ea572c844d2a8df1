package io.basalt.server.storage.types;

import io.basalt.routing.slots.SlotHash;
import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.encoding.Metadata;
import io.basalt.server.storage.engine.BatchTxn;
import io.basalt.server.storage.engine.Cf;

/**
 * Write access to user keys inside one apply batch. Every change of a key's metadata goes through
 * {@link #put} or {@link #delete}, which keep the bookkeeping that must never drift: the expiry
 * index, per-slot key counts, and the garbage list of retired composite versions (so DEL of a huge
 * hash is O(1) here and a background collector reclaims its members later).
 *
 * <p>Deterministic: it uses only the batch's fixed time and what storage holds.
 */
public final class KeyspaceTxn extends Keyspace {
    private final BatchTxn txn;
    private final KeyCounts.Delta delta;
    // journal of the current command's count changes, so a failed command can be undone exactly
    private int[] journalSlots = new int[16];
    private int[] journalDeltas = new int[16];
    private int journalSize;
    private int journalExpires;

    private final Encodings encodings;
    private final Store.Batch batch;

    KeyspaceTxn(BatchTxn txn, long nowMs, KeyCounts.Delta delta, Encodings encodings, Store.Batch batch) {
        super(txn, nowMs);
        this.txn = txn;
        this.delta = delta;
        this.encodings = encodings;
        this.batch = batch;
    }

    /** Names the command whose changes follow (for keyspace notifications); returns the previous one. */
    public String command(String name) {
        return batch.command(name);
    }

    public Encodings encodings() {
        return encodings;
    }

    /** Writes ({@code value} non-null) or deletes a server-wide record (see {@link #records}). */
    public void record(String prefix, String name, byte[] value) {
        byte[] k = (prefix + name).getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (value == null) {
            txn.delete(Cf.SYSTEM, k);
        } else {
            txn.put(Cf.SYSTEM, k, value);
        }
    }

    /** Deletes the server-wide records named {@code prefix + [fromName, toName)}. */
    public void deleteRecords(String prefix, String fromName, String toName) {
        txn.deleteRange(Cf.SYSTEM, (prefix + fromName).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                (prefix + toName).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** A fresh version for a new composite (its member entries are keyed by it). */
    public long newVersion() {
        return batch.newVersion();
    }

    BatchTxn batch() {
        return txn;
    }

    /** Stores {@code meta} for the key of {@code old} (as read in this batch), replacing whatever was there. */
    public void put(Entry old, Metadata meta) {
        Metadata prev = old.storedMeta();
        long prevExpire = prev == null ? 0 : prev.expireAt();
        if (prev == null) {
            count(old.metaKey(), 1);
        } else {
            retire(old, prev, meta);
        }
        if (prevExpire != meta.expireAt()) {
            if (prevExpire != 0) {
                txn.delete(Cf.EXPIRE, KeyCodec.expireKey(prevExpire, old.userKey()));
                journalExpires--;
            }
            if (meta.expireAt() != 0) {
                txn.put(Cf.EXPIRE, KeyCodec.expireKey(meta.expireAt(), old.userKey()), new byte[0]);
                journalExpires++;
            }
        }
        txn.put(Cf.META, old.metaKey(), meta.encode());
        batch.modified(old.userKey());
        if (meta.expireAt() != 0 && meta.expireAt() != prevExpire) {
            batch.sideEvent(old.userKey(), "expire");
        }
    }

    /** Convenience: put a string value with an expiry (0 = none). */
    public void putString(Entry old, byte[] value, long expireAt) {
        put(old, Metadata.string(value, expireAt));
    }

    /** Deletes the key if storage holds it (even expired). Returns whether it was live. */
    public boolean delete(Entry old) {
        Metadata prev = old.storedMeta();
        if (prev == null) {
            return false;
        }
        retire(old, prev, null);
        if (prev.expireAt() != 0) {
            txn.delete(Cf.EXPIRE, KeyCodec.expireKey(prev.expireAt(), old.userKey()));
            journalExpires--;
        }
        txn.delete(Cf.META, old.metaKey());
        count(old.metaKey(), -1);
        batch.modified(old.userKey());
        return old.exists();
    }

    /**
     * Stores a copy of {@code src}'s value at {@code dst} (RENAME, COPY, MOVE-like commands), with
     * expiry {@code expireAt}. Strings and packed composites are one metadata write; a composite in
     * member layout gets a new version and its members copied, O(N).
     */
    public void copyValue(Entry src, Entry dst, long expireAt) {
        Metadata m = src.meta();
        if (!m.type().composite()) {
            put(dst, m.withExpireAt(expireAt));
            return;
        }
        if (m.packed()) {
            // a fresh version even when packed: a version is in member layout for one lifetime only
            put(dst, new Metadata(m.type(), true, expireAt, newVersion(), m.size(), m.payload()));
            return;
        }
        long version = newVersion();
        byte[] from = KeyCodec.memberPrefix(src.userKey(), m.version());
        byte[] to = KeyCodec.memberPrefix(dst.userKey(), version);
        for (Cf cf : new Cf[] {Cf.DATA, Cf.SCORE}) {
            try (io.basalt.server.storage.engine.KvCursor c = txn.cursor(cf, from, KeyCodec.prefixEnd(from))) {
                c.seek(from);
                while (c.valid()) {
                    byte[] k = c.key();
                    byte[] nk = new byte[to.length + k.length - from.length];
                    System.arraycopy(to, 0, nk, 0, to.length);
                    System.arraycopy(k, from.length, nk, to.length, k.length - from.length);
                    txn.put(cf, nk, c.value());
                    c.next();
                }
            }
        }
        put(dst, new Metadata(m.type(), false, expireAt, version, m.size(), m.payload()));
    }

    /**
     * Writes a composite's metadata after its members changed (keeping the key's expiry), or deletes
     * the key when it became empty — the end of every FieldMap/SortedSet/ListValue change.
     */
    void saveComposite(Entry entry, io.basalt.server.storage.encoding.RedisType type, boolean packed, long version,
            long size, byte[] payload) {
        if (size == 0) {
            if (entry.storedMeta() != null) {
                delete(entry);
                batch.sideEvent(entry.userKey(), "del");
            }
            return;
        }
        put(entry, new Metadata(type, packed, entry.exists() ? entry.expireAt() : 0, version, size, payload));
    }

    /** Updates only the expiry of a live key (EXPIRE/PERSIST), keeping value and version. */
    public void setExpire(Entry old, long expireAt) {
        put(old, old.meta().withExpireAt(expireAt));
    }

    /**
     * A composite stored in member layout whose metadata is deleted or replaced by another version
     * leaves its members behind: list them for the collector. Strings and packed composites have
     * no members.
     */
    private void retire(Entry old, Metadata prev, Metadata next) {
        if (prev.type().composite() && !prev.packed()
                && (next == null || next.type() != prev.type() || next.version() != prev.version() || next.packed())) {
            retireVersion(old.userKey(), prev.version(), prev.size());
        }
    }

    /**
     * The active-expiry delete: removes the key if it is still stored with expire-at {@code at} and
     * that time has come (at this batch's fixed time). Returns whether a key was deleted.
     */
    public boolean expireIfDue(byte[] userKey, long at) {
        Entry e = entry(userKey);
        Metadata m = e.storedMeta();
        if (m != null && m.expireAt() == at && at <= nowMs) {
            delete(e);
            return true;
        }
        if (m == null || m.expireAt() != at) {
            txn.delete(Cf.EXPIRE, KeyCodec.expireKey(at, userKey)); // stale index entry
        }
        return false;
    }

    /**
     * Records that a composite version's members (member layout) are garbage, for the collector,
     * with how many there were (so it can pick point deletes or a range delete).
     */
    public void retireVersion(byte[] userKey, long version, long members) {
        byte[] v = new byte[8];
        KeyCodec.putLong(v, 0, members);
        txn.put(Cf.GARBAGE, KeyCodec.memberPrefix(userKey, version), v);
    }

    /** Deletes every key of the keyspace (FLUSHALL / FLUSHDB): range deletes, not key by key. */
    public void deleteEverything() {
        byte[] all0 = new byte[0];
        byte[] end = KeyCodec.keyspaceEnd();
        txn.deleteRange(Cf.META, all0, end);
        txn.deleteRange(Cf.DATA, all0, end);
        txn.deleteRange(Cf.SCORE, all0, end);
        txn.deleteRange(Cf.GARBAGE, all0, end);
        txn.deleteRange(Cf.EXPIRE, all0, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF,
            (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF});
        txn.deleteRange(Cf.SYSTEM, new byte[] {'c'}, new byte[] {'d'});
        txn.delete(Cf.SYSTEM, "expires".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        journalSize = 0;
        journalExpires = 0;
        delta.markReset();
        batch.flushed();
    }

    /** Where a nested command (inside EXEC or a script) starts; see {@link #rollback}. */
    public record Savepoint(int counts, int expires, int modified) {}

    /** Opens a nested save point: the command run next can be undone alone. */
    public Savepoint savepoint() {
        txn.setSavePoint();
        return new Savepoint(journalSize, journalExpires, batch.modifiedCount());
    }

    /** The nested command succeeded: its writes stay part of the enclosing command. */
    public void release(Savepoint sp) {
        txn.releaseSavePoint();
    }

    /** The nested command failed: undo its writes and count changes, keep the enclosing command's. */
    public void rollback(Savepoint sp) {
        txn.rollbackToSavePoint();
        batch.forgetModified(sp.modified());
        journalSize = sp.counts();
        journalExpires = sp.expires();
    }

    private void count(byte[] metaKey, int d) {
        if (journalSize == journalSlots.length) {
            journalSlots = java.util.Arrays.copyOf(journalSlots, journalSize * 2);
            journalDeltas = java.util.Arrays.copyOf(journalDeltas, journalSize * 2);
        }
        journalSlots[journalSize] = KeyCodec.slotOf(metaKey);
        journalDeltas[journalSize++] = d;
    }

    /** The current command succeeded: fold its count changes into the batch delta. */
    void commitCommand() {
        for (int i = 0; i < journalSize; i++) {
            delta.key(journalSlots[i], journalDeltas[i]);
        }
        delta.expires(journalExpires);
        journalSize = 0;
        journalExpires = 0;
    }

    /** The current command failed: drop its count changes (its writes are rolled back by the batch). */
    void rollbackCommand() {
        journalSize = 0;
        journalExpires = 0;
    }

    static int slot(byte[] userKey) {
        return SlotHash.slot(userKey);
    }
}
