package io.basalt.server.storage.types;

import io.basalt.routing.slots.SlotHash;
import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvReader;
import io.basalt.server.storage.engine.KvWriter;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Stored keys per slot and keys with an expiry, kept exact by the write path so DBSIZE, INFO
 * keyspace and CLUSTER COUNTKEYSINSLOT are O(1). Like Redis, a key that expired but was not yet
 * deleted still counts. Persisted in SYSTEM in the same batch as the writes that change it.
 */
public final class KeyCounts {
    private static final byte[] EXPIRES_KEY = {'e', 'x', 'p', 'i', 'r', 'e', 's'};

    private final AtomicLongArray perSlot = new AtomicLongArray(SlotHash.SLOT_COUNT);
    private volatile long total;
    private volatile long expires;

    public void load(KvReader kv) {
        long sum = 0;
        for (int s = 0; s < SlotHash.SLOT_COUNT; s++) {
            byte[] v = kv.get(Cf.SYSTEM, slotKey(s));
            long n = v == null ? 0 : KeyCodec.getLong(v, 0);
            perSlot.set(s, n);
            sum += n;
        }
        total = sum;
        byte[] e = kv.get(Cf.SYSTEM, EXPIRES_KEY);
        expires = e == null ? 0 : KeyCodec.getLong(e, 0);
    }

    public long total() {
        return total;
    }

    public long expires() {
        return expires;
    }

    public long inSlot(int slot) {
        return perSlot.get(slot);
    }

    /** Applies a committed batch's changes to the in-memory mirror. Called by the single applier only. */
    void apply(Delta d) {
        if (d.isReset()) {
            reset();
        }
        long sum = total;
        for (int i = 0; i < d.touchedCount; i++) {
            int s = d.touched[i];
            perSlot.addAndGet(s, d.slotDelta[s]);
            sum += d.slotDelta[s];
        }
        total = sum;
        expires += d.expiresDelta;
    }

    void reset() {
        for (int s = 0; s < SlotHash.SLOT_COUNT; s++) {
            perSlot.set(s, 0);
        }
        total = 0;
        expires = 0;
    }

    static byte[] slotKey(int slot) {
        return new byte[] {'c', (byte) (slot >>> 8), (byte) slot};
    }

    /** Count changes of one batch; written to SYSTEM with the batch, applied to memory after commit. */
    public static final class Delta {
        private final long[] slotDelta = new long[SlotHash.SLOT_COUNT];
        private final int[] touched = new int[SlotHash.SLOT_COUNT];
        private final boolean[] isTouched = new boolean[SlotHash.SLOT_COUNT];
        private int touchedCount;
        private long expiresDelta;
        private boolean reset;

        void key(int slot, int d) {
            if (!isTouched[slot]) {
                isTouched[slot] = true;
                touched[touchedCount++] = slot;
            }
            slotDelta[slot] += d;
        }

        void expires(int d) {
            expiresDelta += d;
        }

        void markReset() {
            clear();
            reset = true;
        }

        boolean isReset() {
            return reset;
        }

        boolean isEmpty() {
            return touchedCount == 0 && expiresDelta == 0 && !reset;
        }

        void clear() {
            for (int i = 0; i < touchedCount; i++) {
                slotDelta[touched[i]] = 0;
                isTouched[touched[i]] = false;
            }
            touchedCount = 0;
            expiresDelta = 0;
            reset = false;
        }

        /** Writes the new absolute counts for touched slots into the batch. */
        void persist(KeyCounts base, KvWriter kv) {
            byte[] buf;
            for (int i = 0; i < touchedCount; i++) {
                int s = touched[i];
                buf = new byte[8];
                KeyCodec.putLong(buf, 0, (reset ? 0 : base.perSlot.get(s)) + slotDelta[s]);
                kv.put(Cf.SYSTEM, slotKey(s), buf);
            }
            if (expiresDelta != 0 || reset) {
                buf = new byte[8];
                KeyCodec.putLong(buf, 0, (reset ? 0 : base.expires) + expiresDelta);
                kv.put(Cf.SYSTEM, EXPIRES_KEY, buf);
            }
        }
    }
}
