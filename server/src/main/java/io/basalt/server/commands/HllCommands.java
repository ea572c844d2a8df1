package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.KeyspaceTxn;

/**
 * PFADD, PFCOUNT, PFMERGE over string values in Redis's HyperLogLog format. PFCOUNT of one key
 * stores the computed cardinality in the header cache as Redis does (so it runs on the write path:
 * the bytes stay identical to Redis's for GET/DUMP).
 */
public final class HllCommands {
    /** Redis's default hll-sparse-max-bytes (fixed, so every replica promotes to dense at the same point). */
    static final int SPARSE_MAX_BYTES = 3000;
    private static final String NOT_HLL = "WRONGTYPE Key is not a valid HyperLogLog string value.";
    private static final String INVALID = "INVALIDOBJ Corrupted HLL object detected";

    private HllCommands() {}

    public static void register(CommandRegistry r) {
        r.write("pfadd", HllCommands::pfadd);
        r.write("pfcount", HllCommands::pfcount);
        r.write("pfmerge", HllCommands::pfmerge);
    }

    /** The key's HLL, or null if absent; WRONGTYPE for other types and for strings that are not HLLs. */
    private static HyperLogLog load(Entry e) {
        byte[] v = e.stringValue();
        if (v == null) {
            return null;
        }
        HyperLogLog h = HyperLogLog.of(v);
        if (h == null) {
            throw new RedisException(NOT_HLL);
        }
        return h;
    }

    static Reply pfadd(ApplyContext ctx) {
        Args a = ctx.args();
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(a.bytes(1));
        HyperLogLog h = load(e);
        boolean updated = false;
        if (h == null) {
            h = HyperLogLog.create();
            updated = true;
        }
        try {
            for (int i = 2; i < a.size(); i++) {
                if (h.add(a.bytes(i))) {
                    updated = true;
                }
            }
        } catch (HyperLogLog.Invalid bad) {
            throw new RedisException(INVALID);
        }
        if (updated) {
            h.invalidateCache();
            ks.putString(e, h.bytes(), e.expireAt());
        }
        return updated ? Reply.ONE : Reply.ZERO;
    }

    static Reply pfcount(ApplyContext ctx) {
        Args a = ctx.args();
        KeyspaceTxn ks = ctx.keyspace();
        try {
            if (a.size() == 2) {
                Entry e = ks.entry(a.bytes(1));
                HyperLogLog h = load(e);
                if (h == null) {
                    return Reply.ZERO;
                }
                if (h.cacheValid()) {
                    return Reply.integer(h.cachedCount());
                }
                long card = h.count();
                h.setCache(card);
                ks.putString(e, h.bytes(), e.expireAt());
                return Reply.integer(card);
            }
            int[] max = new int[HyperLogLog.REGISTERS];
            for (int i = 1; i < a.size(); i++) {
                HyperLogLog h = load(ks.entry(a.bytes(i)));
                if (h != null) {
                    h.mergeInto(max);
                }
            }
            return Reply.integer(HyperLogLog.count(max));
        } catch (HyperLogLog.Invalid bad) {
            throw new RedisException(INVALID);
        }
    }

    static Reply pfmerge(ApplyContext ctx) {
        Args a = ctx.args();
        KeyspaceTxn ks = ctx.keyspace();
        int[] max = new int[HyperLogLog.REGISTERS];
        boolean useDense = false;
        try {
            for (int i = 1; i < a.size(); i++) {
                HyperLogLog h = load(ks.entry(a.bytes(i)));
                if (h == null) {
                    continue;
                }
                if (h.dense()) {
                    useDense = true;
                }
                h.mergeInto(max);
            }
            Entry dest = ks.entry(a.bytes(1));
            HyperLogLog d = load(dest);
            if (d == null) {
                d = HyperLogLog.create();
            }
            if (useDense && !d.dense()) {
                d.toDense();
            }
            for (int j = 0; j < HyperLogLog.REGISTERS; j++) {
                if (max[j] != 0) {
                    d.set(j, max[j]);
                }
            }
            d.invalidateCache();
            ks.putString(dest, d.bytes(), dest.expireAt());
        } catch (HyperLogLog.Invalid bad) {
            throw new RedisException(INVALID);
        }
        return Reply.OK;
    }
}
