package io.basalt.server.raft;

import io.basalt.server.metrics.LatencyStages;
import io.basalt.server.metrics.LatencyStages.Stage;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Store;
import io.basalt.server.write.Applier;
import io.basalt.server.write.Proposal;
import io.basalt.server.write.WritePath.Completion;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply side of a replica: one thread ({@code basalt-apply}) applies committed entries to the
 * store in log order, takes snapshots and loads the ones received from the leader. Consecutive data
 * entries are merged into one atomic RocksDB write (the last one's position recorded with it), so a
 * replica that falls behind catches up with bigger writes. The writes this replica proposed as
 * leader are completed here with the replies of its own apply.
 */
final class RaftApplier {
    private static final Logger log = LoggerFactory.getLogger(RaftApplier.class);
    /** Every applied entry at DEBUG (diagnosis: compare replicas' apply sequences). */
    private static final Logger TRACE = LoggerFactory.getLogger("io.basalt.server.raft.ApplyTrace");
    /** At most this many writes are merged into one RocksDB write. */
    private static final int MAX_MERGED_WRITES = 8192;

    /** A batch this replica proposed, until it applies it. */
    record Batch(List<Proposal> proposals, List<Completion> completions, long index) {
        void complete(List<Reply> replies) {
            for (int i = 0; i < completions.size(); i++) {
                try {
                    completions.get(i).complete(replies.get(i));
                } catch (RuntimeException e) {
                    log.error("write completion failed", e);
                }
            }
        }

        void fail(Reply error) {
            for (Completion c : completions) {
                try {
                    c.complete(error);
                } catch (RuntimeException e) {
                    log.error("write completion failed", e);
                }
            }
        }
    }

    /** A snapshot received from the leader, to load. */
    record Install(Snapshots.Snapshot snapshot, RaftConfig config, String from, long leaderTerm, long seq) {}

    /** What the apply side tells the Raft loop (called on the apply thread). */
    interface Hooks {
        /** A snapshot up to {@code index} exists: the log may drop what it covers. */
        void snapshotTaken(long index, long term);

        /** A received snapshot is loaded: the log restarts after it. */
        void installed(Install install);

        /** Entries were applied (a guard waiting for this replica's writes may go on). */
        void applied(long index);
    }

    private record Committed(List<LogEntry> entries, long at) {}

    private record TakeSnapshot(CompletableFuture<Long> done) {}

    private final Store store;
    private final Applier applier;
    private final Snapshots snapshots;
    private final long snapshotEntries;
    private final LatencyStages latency;
    private final Hooks hooks;
    private final Map<Long, Batch> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long appliedIndex;
    private volatile long appliedTerm;
    private volatile boolean loading;
    private volatile long lastSnapshotIndex;
    private RaftConfig appliedConfig;
    private final TreeMap<Long, List<CompletableFuture<Void>>> waiters = new TreeMap<>();
    final LongAdder snapshotsTaken = new LongAdder();
    final LongAdder snapshotsLoaded = new LongAdder();

    RaftApplier(Store store, Applier applier, Snapshots snapshots, long snapshotEntries, LatencyStages latency,
            long appliedTerm, long appliedIndex, RaftConfig appliedConfig, long lastSnapshotIndex, Hooks hooks) {
        this.store = store;
        this.applier = applier;
        this.snapshots = snapshots;
        this.snapshotEntries = snapshotEntries;
        this.latency = latency;
        this.appliedTerm = appliedTerm;
        this.appliedIndex = appliedIndex;
        this.appliedConfig = appliedConfig;
        this.lastSnapshotIndex = lastSnapshotIndex;
        this.hooks = hooks;
        this.thread = new Thread(this::run, "basalt-apply");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Batches this replica proposed as leader, by ticket, until applied (or failed). */
    Map<Long, Batch> pending() {
        return pending;
    }

    long appliedIndex() {
        return appliedIndex;
    }

    long lastSnapshotIndex() {
        return lastSnapshotIndex;
    }

    /** While a received snapshot loads, the store is incomplete: follower reads must wait. */
    boolean loading() {
        return loading;
    }

    /** Committed entries, in log order (any thread; one caller at a time). */
    void apply(List<LogEntry> entries) {
        queue.add(new Committed(entries, latency.start()));
    }

    void install(Install i) {
        queue.add(i);
    }

    /** Takes a snapshot of everything applied when its turn comes; completes with its index. */
    CompletableFuture<Long> snapshot() {
        CompletableFuture<Long> f = new CompletableFuture<>();
        queue.add(new TakeSnapshot(f));
        return f;
    }

    /** Completes {@code f} once entries up to {@code index} are applied (any thread). */
    void whenApplied(long index, CompletableFuture<Void> f) {
        if (appliedIndex >= index) {
            f.complete(null);
            return;
        }
        synchronized (waiters) {
            waiters.computeIfAbsent(index, k -> new ArrayList<>()).add(f);
        }
        if (appliedIndex >= index) {
            releaseWaiters();
        }
    }

    /** Fails the pending batches above {@code index} (not known committed when leadership was lost). */
    void failPendingAbove(long index, Reply error) {
        for (Map.Entry<Long, Batch> e : pending.entrySet()) {
            if (e.getValue().index() > index && pending.remove(e.getKey(), e.getValue())) {
                e.getValue().fail(error);
            }
        }
    }

    /** Stops after applying what is queued; fails what was proposed but not applied. */
    void stop(Reply error) {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        failPendingAbove(Long.MIN_VALUE, error);
    }

    private void run() {
        List<Object> tasks = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Object first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                tasks.add(first);
                queue.drainTo(tasks);
            } catch (InterruptedException e) {
                break;
            }
            List<LogEntry> committed = new ArrayList<>();
            for (Object task : tasks) {
                try {
                    if (task instanceof Committed c) {
                        latency.end(Stage.APPLY_WAIT, c.at());
                        committed.addAll(c.entries());
                        continue;
                    }
                    applyEntries(committed); // in order, before anything else
                    committed.clear();
                    if (task instanceof Install i) {
                        load(i);
                    } else if (task instanceof TakeSnapshot t) {
                        try {
                            t.done().complete(takeSnapshot());
                        } catch (RuntimeException e) {
                            t.done().completeExceptionally(e);
                        }
                    }
                } catch (RuntimeException e) {
                    log.error("applying failed", e);
                }
            }
            try {
                applyEntries(committed);
                if (snapshotEntries > 0 && appliedIndex - lastSnapshotIndex >= snapshotEntries) {
                    takeSnapshot();
                }
            } catch (RuntimeException e) {
                log.error("applying failed", e);
            }
            tasks.clear();
            releaseWaiters();
            hooks.applied(appliedIndex);
        }
    }

    /**
     * Applies committed entries in order. Consecutive data entries are merged into one atomic
     * RocksDB write that records the last one's position — the same result as one write each (all
     * or nothing, replayed from the stored position after a crash).
     */
    private void applyEntries(List<LogEntry> entries) {
        int i = 0;
        while (i < entries.size()) {
            LogEntry e = entries.get(i);
            if (e.index() <= appliedIndex) {
                i++; // already in the store (replay after a restart, or covered by a snapshot)
                continue;
            }
            if (e.type() != LogEntry.DATA) {
                if (e.type() == LogEntry.CONFIG) {
                    appliedConfig = RaftConfig.decode(e.payload());
                }
                appliedTerm = e.term();
                appliedIndex = e.index();
                i++;
                continue;
            }
            List<Proposal> all = new ArrayList<>();
            List<Batch> locals = new ArrayList<>();
            List<Integer> sizes = new ArrayList<>();
            LogEntry last = null;
            while (i < entries.size() && entries.get(i).type() == LogEntry.DATA
                    && (all.isEmpty() || all.size() < MAX_MERGED_WRITES)) {
                LogEntry d = entries.get(i);
                ByteBuffer data = ByteBuffer.wrap(d.payload());
                Batch local = pending.remove(Proposal.batchTicket(data));
                List<Proposal> ps = local != null ? local.proposals() : Proposal.decodeBatch(data);
                all.addAll(ps);
                locals.add(local);
                sizes.add(ps.size());
                last = d;
                i++;
            }
            long t0 = latency.start();
            List<Reply> replies = applier.apply(all, false, last.term(), last.index());
            latency.end(Stage.APPLY, t0);
            if (TRACE.isDebugEnabled()) {
                TRACE.debug("apply t{} up to i{} {}", last.term(), last.index(), summary(all, replies));
            }
            appliedTerm = last.term();
            appliedIndex = last.index();
            int from = 0;
            for (int k = 0; k < locals.size(); k++) {
                int n = sizes.get(k);
                if (locals.get(k) != null) {
                    locals.get(k).complete(replies.subList(from, from + n));
                }
                from += n;
            }
        }
    }

    private static String summary(List<Proposal> proposals, List<Reply> replies) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            sb.append(p.name());
            for (int a = 0; a < Math.min(2, p.args().size()); a++) {
                sb.append(' ').append(new String(p.args().get(a), StandardCharsets.UTF_8));
            }
            sb.append("->").append(i < replies.size() ? String.valueOf(replies.get(i)) : "?").append("; ");
        }
        return sb.toString();
    }

    private void releaseWaiters() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (waiters) {
            var head = waiters.headMap(appliedIndex, true);
            for (List<CompletableFuture<Void>> l : head.values()) {
                ready.addAll(l);
            }
            head.clear();
        }
        for (CompletableFuture<Void> f : ready) {
            f.complete(null);
        }
    }

    /**
     * A snapshot of everything applied so far (nothing applies meanwhile): the store records the
     * position, then a RocksDB checkpoint; the log then drops what it covers.
     */
    private long takeSnapshot() {
        long index = appliedIndex;
        long t = appliedTerm;
        if (index <= 0) {
            return 0;
        }
        if (index > lastSnapshotIndex) {
            if (store.applied()[1] < index) {
                store.markApplied(t, index);
            }
            snapshots.create(t, index, appliedConfig, store::checkpoint);
            snapshotsTaken.increment();
            lastSnapshotIndex = index;
        }
        hooks.snapshotTaken(index, t);
        return index;
    }

    /** Replaces the store by a snapshot received from the leader. */
    private void load(Install i) {
        Snapshots.Snapshot s = i.snapshot();
        if (s.index() > appliedIndex) {
            log.info("loading snapshot {} received from {} (store at index {})", s.dir().getFileName(), i.from(), appliedIndex);
            loading = true;
            try {
                store.load(s.dir(), s.term(), s.index());
                snapshotsLoaded.increment();
            } finally {
                loading = false;
            }
            appliedIndex = s.index();
            appliedTerm = s.term();
            appliedConfig = i.config();
            lastSnapshotIndex = s.index();
            log.info("loaded snapshot at index {}", s.index());
            // writes this replica proposed (as leader) that the snapshot covers were applied there:
            // their effects are in, their replies are not
            for (Map.Entry<Long, Batch> e : pending.entrySet()) {
                if (e.getValue().index() <= s.index() && pending.remove(e.getKey(), e.getValue())) {
                    e.getValue().fail(RaftWritePath.failure("applied through a snapshot from the leader; its reply is unknown"));
                }
            }
        }
        hooks.installed(i);
    }
}
