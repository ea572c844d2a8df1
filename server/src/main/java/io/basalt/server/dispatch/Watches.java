package io.basalt.server.dispatch;

import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.util.ByteKey;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * WATCHed keys of every connection. The applier reports each key a command changes as soon as the
 * command has applied (before the next proposal applies, even within one batch), so EXEC's guard —
 * checked immediately before the EXEC applies — sees every change made in between.
 */
public final class Watches {
    /** One connection's watched keys and whether any of them changed since it watched them. */
    public static final class Watch {
        volatile boolean dirty;
        /** Key → its expire-at when watched (0 = no expiry), or -1 if it did not exist then. */
        final Map<ByteKey, Long> keys = new ConcurrentHashMap<>();

        public boolean isEmpty() {
            return keys.isEmpty();
        }

        /**
         * EXEC's guard: nothing watched changed, and no watched key that existed when watched has
         * expired by the EXEC's time (Redis 7 fails EXEC for both).
         */
        public boolean unchanged(Keyspace now) {
            if (dirty) {
                return false;
            }
            for (Long expireAt : keys.values()) {
                if (expireAt > 0 && expireAt <= now.nowMs()) {
                    return false;
                }
            }
            return true;
        }
    }

    private final Map<ByteKey, Set<Watch>> byKey = new ConcurrentHashMap<>();
    private final Set<Watch> all = ConcurrentHashMap.newKeySet();

    /** Adds {@code key} to {@code w}; {@code expireAt} as in {@link Watch#keys}. Register before reading the key. */
    public void watch(Watch w, byte[] key) {
        ByteKey k = new ByteKey(key);
        // add inside the map's atomic update: an unwatch that empties and drops the key's set at
        // the same moment must not leave this watch in a set the map no longer holds
        byKey.compute(k, (x, set) -> {
            Set<Watch> ws = set != null ? set : ConcurrentHashMap.newKeySet();
            ws.add(w);
            return ws;
        });
        all.add(w);
        w.keys.putIfAbsent(k, -1L);
    }

    /** Records what the key looked like when watched (after {@link #watch}, so no change is missed). */
    public void observed(Watch w, byte[] key, boolean exists, long expireAt) {
        w.keys.put(new ByteKey(key), exists ? expireAt : -1L);
    }

    public void unwatch(Watch w) {
        for (ByteKey k : w.keys.keySet()) {
            byKey.computeIfPresent(k, (x, set) -> {
                set.remove(w);
                return set.isEmpty() ? null : set;
            });
        }
        w.keys.clear();
        all.remove(w);
    }

    public boolean active() {
        return !all.isEmpty();
    }

    /** Keys {@code from..} of {@code modified} changed (applier thread). */
    public void modified(List<byte[]> modified, int from) {
        for (int i = from; i < modified.size(); i++) {
            Set<Watch> ws = byKey.get(new ByteKey(modified.get(i)));
            if (ws != null) {
                for (Watch w : ws) {
                    w.dirty = true;
                }
            }
        }
    }

    /** FLUSHALL/FLUSHDB: every watch of a key that existed is broken. */
    public void flushed() {
        for (Watch w : all) {
            for (Long expireAt : w.keys.values()) {
                if (expireAt >= 0) {
                    w.dirty = true;
                }
            }
        }
    }
}
