package io.basalt.server.storage.types;

import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.engine.BatchTxn;
import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import io.basalt.server.storage.engine.RocksEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Reclaims the members of retired composite versions. DEL, overwrite and expiry of a composite only
 * rewrite its metadata and list {@code (key, version)} in the GARBAGE column family (O(1) on the
 * request path, in the same batch). This collector, on its own thread, deletes the members of each
 * listed version: a small one entry by entry, a large one with range deletes over DATA and SCORE
 * followed by a compaction of exactly those ranges so the disk space actually comes back (RocksJava
 * offers no compaction filters, so range deletes + targeted compaction it is).
 *
 * <p>It is local housekeeping, not a replicated change: a retired version is never written again
 * (versions are unique), readers of the current state never look at it, and readers pinned to an
 * older snapshot keep seeing it until they finish.
 */
public final class Collector {
    private final RocksEngine engine;
    private final AtomicLong collected = new AtomicLong();
    /** Member ranges range-deleted but not yet compacted. */
    private final List<byte[]> toCompact = new ArrayList<>();

    public Collector(Store store) {
        this.engine = store.engine();
    }

    /** Versions reclaimed since start (INFO). */
    public long collected() {
        return collected.get();
    }

    /** Versions with at most this many members are deleted entry by entry (no range tombstone, no compaction). */
    static final long SMALL = 256;

    /** One pass: up to {@code max} retired versions. Returns how many were collected. */
    public synchronized int collectOnce(int max) {
        List<byte[]> prefixes = new ArrayList<>();
        List<Long> sizes = new ArrayList<>();
        try (KvCursor c = engine.reader().cursor(Cf.GARBAGE, null, null)) {
            c.seekToFirst();
            while (c.valid() && prefixes.size() < max) {
                prefixes.add(c.key());
                byte[] v = c.value();
                sizes.add(v.length == 8 ? KeyCodec.getLong(v, 0) : Long.MAX_VALUE);
                c.next();
            }
        }
        if (prefixes.isEmpty()) {
            compactPending();
            return 0;
        }
        List<byte[]> ranged = new ArrayList<>();
        try (BatchTxn txn = engine.begin()) {
            for (int i = 0; i < prefixes.size(); i++) {
                byte[] p = prefixes.get(i);
                byte[] end = KeyCodec.prefixEnd(p);
                if (sizes.get(i) <= SMALL) {
                    // a small value: point deletes, which compaction drops as it goes
                    for (Cf cf : new Cf[] {Cf.DATA, Cf.SCORE}) {
                        try (KvCursor c = engine.reader().cursor(cf, p, end)) {
                            c.seek(p);
                            while (c.valid()) {
                                txn.delete(cf, c.key());
                                c.next();
                            }
                        }
                    }
                } else {
                    txn.deleteRange(Cf.DATA, p, end);
                    txn.deleteRange(Cf.SCORE, p, end);
                    ranged.add(p);
                }
                txn.delete(Cf.GARBAGE, p);
            }
            engine.commit(txn, false);
        }
        toCompact.addAll(ranged);
        collected.addAndGet(prefixes.size());
        if (prefixes.size() < max) {
            compactPending();
        }
        return prefixes.size();
    }

    /** Compacts the ranges whose members were range-deleted, so their files are rewritten without them. */
    private void compactPending() {
        for (byte[] p : toCompact) {
            byte[] end = KeyCodec.prefixEnd(p);
            engine.compactRange(Cf.DATA, p, end);
            engine.compactRange(Cf.SCORE, p, end);
        }
        toCompact.clear();
    }
}
