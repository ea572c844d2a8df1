package io.basalt.server.net;

import io.basalt.server.resp.Reply;
import io.basalt.server.util.ByteKey;
import io.basalt.server.write.Applier;
import io.basalt.server.write.Proposal;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Clients blocked in BLPOP, BZPOPMIN, BLMOVE, … waiting per key in arrival order. After every
 * applied batch, each key written by a successful command wakes its waiters, oldest first: each
 * waiter re-proposes its command through the write path (so the pop itself is replicated and
 * deterministic like any write). The first retry to apply gets the element; the others find the
 * key empty again and keep waiting in their place. One mechanism for every blocking command and
 * every kind of write (push, move, store, rename, restore, inside MULTI or a script): the keys are
 * those the batch actually changed, as storage reports them.
 */
public final class BlockedClients implements Applier.ApplyListener {
    /** A blocked command: the keys it waits on and how to retry it. */
    public interface Waiter {
        List<byte[]> keys();

        /** Called on the applier's thread: propose the command again (at most one retry in flight). */
        void wake();
    }

    private final Map<ByteKey, ArrayDeque<Waiter>> byKey = new HashMap<>();
    private volatile int count;

    public synchronized void add(Waiter w) {
        for (byte[] k : w.keys()) {
            byKey.computeIfAbsent(new ByteKey(k), x -> new ArrayDeque<>()).add(w);
        }
        count++;
    }

    public synchronized void remove(Waiter w) {
        for (byte[] k : w.keys()) {
            ByteKey key = new ByteKey(k);
            ArrayDeque<Waiter> q = byKey.get(key);
            if (q != null && q.remove(w) && q.isEmpty()) {
                byKey.remove(key);
            }
        }
        count--;
    }

    /** Number of blocked clients (INFO's blocked_clients). */
    public int size() {
        return count;
    }

    @Override
    public void applied(List<Proposal> proposals, List<Reply> replies, List<byte[]> modifiedKeys, List<String> modifiedBy) {
        if (count == 0) {
            return;
        }
        LinkedHashSet<Waiter> wake = new LinkedHashSet<>();
        synchronized (this) {
            for (byte[] key : modifiedKeys) {
                ArrayDeque<Waiter> q = byKey.get(new ByteKey(key));
                if (q != null) {
                    wake.addAll(q);
                }
            }
        }
        for (Waiter w : wake) {
            w.wake();
        }
    }
}
