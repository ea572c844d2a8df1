package io.basalt.server.raft;

import io.basalt.server.metrics.LatencyStages;
import io.basalt.server.metrics.LatencyStages.Stage;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.Store;
import io.basalt.server.write.Applier;
import io.basalt.server.write.Proposal;
import io.basalt.server.write.WritePath;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated write path of one group replica: {@link RaftCore} driven by one Raft event loop
 * thread, which also owns the replicas' connections ({@link RaftTransport}) and the log
 * ({@link SegmentedLog}), plus one apply thread that applies committed entries to the store.
 *
 * <p>A write crosses few threads: a client's event loop queues it; the Raft loop turns everything
 * queued into one log entry (group commit), sends it to the followers, then — at the end of its
 * turn — syncs the log once for everything appended in the turn; a follower's loop appends and syncs
 * in the same way before it acknowledges; the leader's loop counts the acknowledgements and hands
 * the committed entry to the apply thread, whose apply produces the client's reply. Under load each
 * turn carries more (bigger entries, one sync for many writes); alone, a write costs two socket
 * wake-ups, a follower's sync and three thread hand-offs.
 *
 * <p>A proposal with a guard (EXEC after WATCH) is a barrier: what this node proposed before it is
 * applied first, the guard is checked against that state, and only then is the EXEC appended, with
 * nothing appended in between by this node — followers need no watch state.
 */
public final class RaftWritePath implements WritePath {
    private static final Logger log = LoggerFactory.getLogger(RaftWritePath.class);
    /** Every applied entry at DEBUG (diagnosis: compare replicas' apply sequences). */
    private static final Logger TRACE = LoggerFactory.getLogger("io.basalt.server.raft.ApplyTrace");
    private static final long MAX_ENTRY_BYTES = 4L << 20;
    private static final int SNAPSHOT_CHUNK = 1 << 20;
    private static final long SNAPSHOT_STALL_NANOS = TimeUnit.SECONDS.toNanos(30);

    /** A batch this node proposed, until its replica applies it. */
    private record Batch(List<Proposal> proposals, List<Completion> completions, long index) {
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

    private record Queued(Proposal proposal, Completion completion, long submitted) {}

    /** Committed entries handed to the apply thread, and when. */
    private record Committed(List<LogEntry> entries, long at) {}

    private record Install(Snapshots.Snapshot snapshot, RaftConfig config, String from, long leaderTerm, long seq) {}

    private record TakeSnapshot(CompletableFuture<Long> done) {}

    private final RaftSettings settings;
    private final Store store;
    private final Applier applier;
    private final IntSupplier maxBatch;
    private final long snapshotEntries;
    private final LatencyStages latency;
    /** Entries this leader proposed and when, until committed: {index, start} (loop). */
    private final ArrayDeque<long[]> replicating = new ArrayDeque<>();
    /** When entries first arrived in this (follower) turn, 0 if none. */
    private long followerTurnStart;

    private final EventLoopGroup group;
    private final EventLoop loop;
    private final RaftTransport transport;
    private final SegmentedLog raftLog;
    private final HardState hardState;
    private final Snapshots snapshots;
    private final RaftCore core;
    private final ScheduledFuture<?> ticker;

    // published for other threads
    private volatile RaftCore.Role role = RaftCore.Role.FOLLOWER;
    private volatile long term;
    private volatile String leaderId;
    private volatile RaftConfig config;
    private volatile boolean running = true;

    // proposals (client threads -> loop)
    private final ConcurrentLinkedQueue<Queued> proposals = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    /** Proposals held behind a guard that waits for this node's earlier batches to apply (loop). */
    private final ArrayDeque<Queued> held = new ArrayDeque<>();
    private volatile boolean guardWaiting;
    /** Index of the last entry this node proposed. */
    private volatile long lastLocalIndex;
    private final Map<Long, Batch> pending = new ConcurrentHashMap<>();
    private long ticketSeq = ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_0000_0000L;

    // applying (apply thread)
    private final LinkedBlockingQueue<Object> applyQueue = new LinkedBlockingQueue<>();
    private final Thread applyThread;
    private volatile long appliedIndex;
    private volatile long appliedTerm;
    private volatile boolean loading;
    private RaftConfig appliedConfig;
    private volatile long lastSnapshotIndex;
    /** Highest index handed to the apply thread (loop). */
    private long handedToApply;
    private final TreeMap<Long, List<CompletableFuture<Void>>> appliedWaiters = new TreeMap<>();

    // reads (loop, but nextRead)
    private final AtomicReference<CompletableFuture<Void>> nextRead = new AtomicReference<>();
    private final TreeMap<Long, CompletableFuture<Void>> readsBySeq = new TreeMap<>();
    private CompletableFuture<Void> startingRead;

    // admin (loop)
    private final TreeMap<Long, CompletableFuture<Void>> configWaiters = new TreeMap<>();
    private CompletableFuture<Void> transferWaiter;
    private final Map<String, SnapshotSend> sending = new HashMap<>();
    private SnapshotReceive receiving;

    private boolean turnEndScheduled;
    private boolean inTurnEnd;
    /** A leader syncs its log here, so that its heartbeats and commits go on while its disk is slow. */
    private final java.util.concurrent.ExecutorService syncer = java.util.concurrent.Executors.newSingleThreadExecutor(
            new DefaultThreadFactory("basalt-raft-sync", true));
    private boolean syncInFlight;
    private final Runnable turnEndTask = this::turnEnd;

    final LongAdder batchesSent = new LongAdder();
    final LongAdder writesSent = new LongAdder();
    final LongAdder snapshotsTaken = new LongAdder();
    final LongAdder snapshotsLoaded = new LongAdder();

    public RaftWritePath(RaftSettings settings, Path dir, Store store, Applier applier, LongSupplier clock,
            IntSupplier maxBatch) throws IOException {
        this(settings, dir, store, applier, clock, maxBatch, false, new LatencyStages());
    }

    /**
     * {@code joining}: this replica is being added to a running group. Unless its log or a snapshot
     * says otherwise it starts with no membership, so it never campaigns, and waits for the leader.
     */
    public RaftWritePath(RaftSettings settings, Path dir, Store store, Applier applier, LongSupplier clock,
            IntSupplier maxBatch, boolean joining, LatencyStages latency) throws IOException {
        this.settings = settings;
        this.latency = latency;
        this.store = store;
        this.applier = applier;
        this.maxBatch = maxBatch;
        this.snapshotEntries = settings.snapshotEntries();
        Files.createDirectories(dir);
        this.hardState = new HardState(dir);
        this.snapshots = new Snapshots(dir.resolve("snapshots"));
        this.raftLog = new SegmentedLog(dir.resolve("log"), settings.segmentBytes(), settings.unsafeFlush(), 64L << 20);

        // bring the store, the snapshots and the log into line (a crash may have cut an install short)
        Snapshots.Snapshot snap = snapshots.latest();
        long[] applied = store.applied();
        if (snap != null && (applied[1] < snap.index() || store.loadInterrupted()
                || applied[1] < raftLog.baseIndex())) {
            log.info("loading snapshot {} (store at index {})", snap.dir().getFileName(), applied[1]);
            store.load(snap.dir(), snap.term(), snap.index());
            applied = store.applied();
        }
        if (applied[1] < raftLog.baseIndex()) {
            raftLog.close();
            throw new IOException("the store (index " + applied[1] + ") is behind the Raft log's start ("
                    + raftLog.baseIndex() + ") and no snapshot covers the gap");
        }
        if (applied[1] > raftLog.lastIndex()) {
            // committed entries are applied before this replica's own log sync (a majority has them
            // durably): after a crash the store may hold entries the log lost. Restart the log there.
            raftLog.reset(applied[1], applied[0]);
        }
        this.appliedIndex = applied[1];
        this.appliedTerm = applied[0];
        this.handedToApply = applied[1];
        this.lastSnapshotIndex = snap == null ? 0 : snap.index();

        RaftConfig initial = joining ? RaftConfig.EMPTY : RaftConfig.of(settings.peers());
        RaftConfig base = snap != null && snap.index() >= raftLog.baseIndex() ? snap.config() : null;
        if (base == null && raftLog.baseIndex() > 0) {
            log.warn("no snapshot at the Raft log's start ({}); membership from the settings", raftLog.baseIndex());
        }
        this.appliedConfig = configAt(applied[1], base != null ? base : initial);

        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("basalt-raft", true),
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        this.loop = group.next();
        RaftCore.Options opt = RaftCore.Options.of(settings.electionMinMs(), settings.electionMaxMs(), settings.leaderLease());
        if (settings.inflightEntries() > 0) {
            opt = new RaftCore.Options(opt.electionMinNanos(), opt.electionMaxNanos(), opt.heartbeatNanos(),
                    opt.leaseNanos(), settings.inflightEntries(), opt.maxAppendBytes(), opt.maxAppendEntries());
        }
        RaftCore.Options options = opt;
        this.transport = new RaftTransport(settings.id(), settings.groupName(), settings.self().host(),
                settings.self().raftPort(), loop, new TransportHandler());
        RaftConfig baseConfig = base;
        long appliedAtStart = applied[1];
        this.core = onLoop(() -> new RaftCore(settings.id(), new Env(), raftLog, options, hardState.term(),
                hardState.votedFor(), baseConfig, initial, appliedAtStart));
        onLoop(() -> {
            publish();
            transport.peers(addresses(core.config()));
            return null;
        });
        this.applyThread = new Thread(this::applyLoop, "basalt-apply");
        applyThread.setDaemon(true);
        applyThread.start();
        long tickMs = Math.max(5, settings.electionMinMs() / 10);
        this.ticker = loop.scheduleAtFixedRate(this::tick, tickMs, tickMs, TimeUnit.MILLISECONDS);
        try {
            transport.start(settings.self().host(), settings.self().raftPort());
        } catch (InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            close();
            throw new IOException("cannot listen on Raft port " + settings.self().host() + ":" + settings.self().raftPort()
                    + ": " + e.getMessage(), e);
        }
    }

    /** The membership in effect at {@code index}: {@code base} and the config entries up to it. */
    private RaftConfig configAt(long index, RaftConfig base) {
        RaftConfig c = base;
        for (long i : raftLog.configIndexes()) {
            if (i <= index) {
                c = RaftConfig.decode(raftLog.entry(i).payload());
            }
        }
        return c;
    }

    private static Map<String, InetSocketAddress> addresses(RaftConfig c) {
        Map<String, InetSocketAddress> out = new HashMap<>();
        c.members().forEach((id, p) -> out.put(id, new InetSocketAddress(p.host(), p.raftPort())));
        return out;
    }

    private <T> T onLoop(Callable<T> task) throws IOException {
        try {
            return loop.submit(task).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            throw new IOException(c == null ? e.toString() : c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException("the Raft loop did not answer in 30 s", e);
        }
    }

    // ---- the Raft loop ----------------------------------------------------------------------------

    /** Asks for an end of turn: outgoing messages are flushed and the log synced once. */
    private void requestTurnEnd() {
        if (!turnEndScheduled && !inTurnEnd) {
            turnEndScheduled = true;
            loop.execute(turnEndTask);
        }
    }

    private void turnEnd() {
        turnEndScheduled = false;
        inTurnEnd = true;
        try {
            transport.flush(); // appends leave before this replica's own sync: the two overlap
            if (raftLog.needsSync() && !syncInFlight) {
                if (core.isLeader()) {
                    syncAsync();
                } else {
                    // a follower syncs on its loop: it has nothing else to do before it acknowledges
                    long index = raftLog.lastIndex();
                    long t0 = latency.start();
                    raftLog.force(raftLog.prepareSync());
                    latency.end(Stage.LOG_SYNC, t0);
                    core.persisted(index);
                }
            }
            transport.flush();
            if (followerTurnStart != 0) {
                latency.end(Stage.FOLLOWER_ACK, followerTurnStart);
                followerTurnStart = 0;
            }
        } catch (RuntimeException e) {
            log.error("Raft turn failed", e);
        } finally {
            inTurnEnd = false;
        }
    }

    /** Starts a sync of everything appended so far on the sync thread; its end is reported on the loop. */
    private void syncAsync() {
        long index = raftLog.lastIndex();
        long gen = raftLog.generation();
        java.nio.channels.FileChannel ch = raftLog.prepareSync();
        syncInFlight = true;
        long t0 = latency.start();
        syncer.execute(() -> {
            RuntimeException failed = null;
            try {
                raftLog.force(ch);
            } catch (RuntimeException e) {
                failed = e;
            }
            RuntimeException f = failed;
            latency.end(Stage.LOG_SYNC, t0);
            try {
                loop.execute(() -> {
                    syncInFlight = false;
                    if (f != null) {
                        log.error("syncing the Raft log failed", f);
                        return;
                    }
                    if (raftLog.generation() == gen) {
                        core.persisted(index);
                    }
                    if (raftLog.needsSync()) {
                        requestTurnEnd();
                    }
                    transport.flush();
                });
            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                // shutting down
            }
        });
    }

    private void tick() {
        try {
            core.tick();
            long now = System.nanoTime();
            for (SnapshotSend s : new ArrayList<>(sending.values())) {
                if (now - s.lastActivity > SNAPSHOT_STALL_NANOS) {
                    log.warn("snapshot transfer to {} stalled: retrying", s.to);
                    sending.remove(s.to);
                    core.snapshotSent(s.to, s.snapshot.index(), false);
                }
            }
            requestTurnEnd();
        } catch (RuntimeException e) {
            log.error("Raft tick failed", e);
        }
    }

    private final class TransportHandler implements RaftTransport.Handler {
        @Override
        public void message(RaftMessage m) {
            try {
                if (followerTurnStart == 0 && m instanceof RaftMessage.Append a && !a.entries().isEmpty()) {
                    followerTurnStart = latency.start();
                }
                core.receive(m);
                if (m instanceof RaftMessage.SnapshotReply r) {
                    snapshotReply(r);
                }
            } catch (RuntimeException e) {
                log.error("handling {} from {} failed", m.getClass().getSimpleName(), m.from(), e);
            }
        }

        @Override
        public void readComplete() {
            requestTurnEnd();
        }

        @Override
        public void connected(String peer) {
            core.peerConnected(peer);
            requestTurnEnd();
        }

        @Override
        public void disconnected(String peer) {
            core.peerDisconnected(peer);
        }
    }

    /** What the core does, carried out on the loop. */
    private final class Env implements RaftCore.Env {
        @Override
        public long now() {
            return System.nanoTime();
        }

        @Override
        public long random(long bound) {
            return ThreadLocalRandom.current().nextLong(bound);
        }

        @Override
        public void send(String to, RaftMessage m) {
            transport.send(to, m);
            requestTurnEnd();
        }

        @Override
        public void saveHardState(long t, String votedFor) {
            hardState.save(t, votedFor);
        }

        @Override
        public void commit(long index) {
            while (!replicating.isEmpty() && replicating.peekFirst()[0] <= index) {
                latency.end(Stage.REPLICATE, replicating.pollFirst()[1]);
            }
            handToApply(index);
            var done = configWaiters.headMap(index, true);
            for (CompletableFuture<Void> f : done.values()) {
                f.complete(null);
            }
            done.clear();
        }

        @Override
        public void stateChanged(RaftCore.Role r, long t, String leader) {
            RaftCore.Role before = role;
            publish();
            if (before == RaftCore.Role.LEADER && r != RaftCore.Role.LEADER) {
                lostLeadership();
            }
            if (r == RaftCore.Role.LEADER && before != RaftCore.Role.LEADER) {
                log.info("leading group {} in term {}", settings.groupName(), t);
            }
        }

        @Override
        public void configChanged(RaftConfig c) {
            publish();
            transport.peers(addresses(c));
        }

        @Override
        public void readsConfirmed(long seq, long readIndex) {
            if (startingRead != null) {
                whenApplied(readIndex, startingRead);
                startingRead = null;
            }
            var head = readsBySeq.headMap(seq, true);
            for (CompletableFuture<Void> f : head.values()) {
                whenApplied(readIndex, f);
            }
            head.clear();
        }

        @Override
        public void readsFailed(long seq) {
            IllegalStateException e = new IllegalStateException("leadership lost");
            var head = readsBySeq.headMap(seq, true);
            for (CompletableFuture<Void> f : head.values()) {
                f.completeExceptionally(e);
            }
            head.clear();
        }

        @Override
        public void sendSnapshot(String to) {
            startSnapshotSend(to);
        }

        @Override
        public void snapshotChunk(RaftMessage.SnapshotChunk chunk) {
            receiveSnapshotChunk(chunk);
        }

        @Override
        public void event(String what) {
            log.info("group {}: {}", settings.groupName(), what);
        }

        @Override
        public void transferDone(String target, boolean ok) {
            CompletableFuture<Void> f = transferWaiter;
            transferWaiter = null;
            if (f != null) {
                if (ok) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(new IOException("leadership transfer to " + target + " did not complete"));
                }
            }
        }
    }

    private void publish() {
        role = core.role();
        term = core.term();
        leaderId = core.leader();
        config = core.config();
    }

    /** This replica stopped leading: what it proposed but did not commit may or may not commit later. */
    private void lostLeadership() {
        long commit = core.commitIndex();
        for (Map.Entry<Long, Batch> e : pending.entrySet()) {
            Batch b = e.getValue();
            if (b.index() > commit && pending.remove(e.getKey(), b)) {
                b.fail(failure("leadership lost"));
            }
        }
        refuseQueued();
        for (CompletableFuture<Void> f : configWaiters.values()) {
            f.completeExceptionally(new IOException("leadership lost: the membership change may or may not apply"));
        }
        configWaiters.clear();
        for (CompletableFuture<Void> f : readsBySeq.values()) {
            f.completeExceptionally(new IllegalStateException("leadership lost"));
        }
        readsBySeq.clear();
        sending.clear();
        replicating.clear();
    }

    /** Proposals not appended yet: refused (not applied), so clients may retry them. */
    private void refuseQueued() {
        guardWaiting = false;
        Reply tryAgain = Reply.error("TRYAGAIN replication refused (not the leader), not applied: retry");
        Queued q;
        while ((q = held.poll()) != null) {
            q.completion().complete(tryAgain);
        }
        while ((q = proposals.poll()) != null) {
            q.completion().complete(tryAgain);
        }
    }

    /**
     * The reply to writes appended but not known to be committed when leadership was lost: they may
     * or may not apply. (Writes refused before they were appended get {@code TRYAGAIN}, which Redis
     * Cluster clients retry by themselves.) A numbered session (BASALT SESSION) makes a retry safe.
     */
    static Reply failure(String why) {
        return Reply.error("UNCERTAIN replication failed (" + why + "): the write may or may not have been applied");
    }

    // ---- writes -----------------------------------------------------------------------------------

    @Override
    public void submit(Proposal proposal, Completion completion) {
        if (!running) {
            completion.complete(Reply.error("ERR server is shutting down"));
            return;
        }
        proposals.add(new Queued(proposal, completion, latency.start()));
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drainTask);
        }
    }

    private Queued nextQueued() {
        Queued q = held.poll();
        return q != null ? q : proposals.poll();
    }

    /** Turns what is queued into log entries (one per {@code apply-max-batch} writes). Loop. */
    private void drain() {
        drainScheduled.set(false);
        if (!running) {
            return;
        }
        if (!core.isLeader() || core.transferTarget() != null) {
            refuseQueued();
            return;
        }
        int max = Math.max(1, maxBatch.getAsInt());
        List<Proposal> ps = new ArrayList<>();
        List<Completion> cs = new ArrayList<>();
        long bytes = 0;
        Queued q;
        while ((q = nextQueued()) != null) {
            Proposal.Origin o = q.proposal().origin();
            if (o != null && o.guard() != null) {
                propose(ps, cs);
                ps = new ArrayList<>();
                cs = new ArrayList<>();
                bytes = 0;
                if (lastLocalIndex > appliedIndex) {
                    held.addFirst(q); // wait until what this node proposed is applied
                    guardWaiting = true;
                    break;
                }
                guardWaiting = false;
                guarded(q);
                continue;
            }
            ps.add(q.proposal());
            cs.add(q.completion());
            latency.end(Stage.WRITE_QUEUE, q.submitted());
            for (byte[] a : q.proposal().args()) {
                bytes += a.length + 8;
            }
            if (ps.size() >= max || bytes >= MAX_ENTRY_BYTES) {
                propose(ps, cs);
                ps = new ArrayList<>();
                cs = new ArrayList<>();
                bytes = 0;
            }
        }
        propose(ps, cs);
        core.replicate();
        requestTurnEnd();
    }

    /** Everything this node proposed is applied: checks the guard and appends the EXEC alone. */
    private void guarded(Queued q) {
        Proposal p = q.proposal();
        boolean ok;
        try (Keyspace ks = store.reader(p.nowMs())) {
            ok = p.origin().guard().test(ks);
        }
        if (!ok) {
            q.completion().complete(Reply.NULL_ARRAY);
            return;
        }
        Proposal unguarded = new Proposal(p.name(), p.args(), p.nowMs(), p.seed(), new Proposal.Origin(p.origin().session(), null));
        propose(new ArrayList<>(List.of(unguarded)), new ArrayList<>(List.of(q.completion())));
    }

    private void propose(List<Proposal> ps, List<Completion> cs) {
        if (ps.isEmpty()) {
            return;
        }
        long ticket = ++ticketSeq;
        byte[] payload = Proposal.encodeBatch(ticket, ps);
        long index = core.propose(LogEntry.DATA, payload);
        if (index < 0) {
            Reply tryAgain = Reply.error("TRYAGAIN replication refused (not the leader), not applied: retry");
            for (Completion c : cs) {
                c.complete(tryAgain);
            }
            return;
        }
        pending.put(ticket, new Batch(ps, cs, index));
        lastLocalIndex = index;
        if (latency.enabled()) {
            replicating.add(new long[] {index, System.nanoTime()});
        }
        batchesSent.increment();
        writesSent.add(ps.size());
    }

    // ---- applying ---------------------------------------------------------------------------------

    /** Hands committed entries up to {@code index} to the apply thread. Loop. */
    private void handToApply(long index) {
        if (index <= handedToApply) {
            return;
        }
        long from = Math.max(handedToApply + 1, raftLog.firstIndex());
        List<LogEntry> entries = new ArrayList<>((int) Math.min(1024, index - from + 1));
        for (long i = from; i <= index; i++) {
            entries.add(raftLog.entry(i));
        }
        handedToApply = index;
        applyQueue.add(new Committed(entries, latency.start()));
    }

    /** At most this many writes are merged into one RocksDB write by the apply thread. */
    private static final int MAX_MERGED_WRITES = 8192;

    private void applyLoop() {
        List<Object> tasks = new ArrayList<>();
        while (running || !applyQueue.isEmpty()) {
            try {
                Object first = applyQueue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                tasks.add(first);
                applyQueue.drainTo(tasks);
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
                        install(i);
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
            releaseAppliedWaiters();
            if (guardWaiting && appliedIndex >= lastLocalIndex) {
                loop.execute(drainTask);
            }
        }
    }

    /**
     * Applies committed entries in order. Consecutive data entries are merged into one atomic
     * RocksDB write that records the last one's position — the same result as one write each (all
     * or nothing, replayed from the stored position after a crash), at a per-write cost that falls
     * as the backlog grows: a replica that falls behind catches up with bigger writes.
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
                sb.append(' ').append(new String(p.args().get(a), java.nio.charset.StandardCharsets.UTF_8));
            }
            sb.append("->").append(i < replies.size() ? String.valueOf(replies.get(i)) : "?").append("; ");
        }
        return sb.toString();
    }

    /** Completes the read waiters whose index is applied. Any thread. */
    private void releaseAppliedWaiters() {
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        synchronized (appliedWaiters) {
            var head = appliedWaiters.headMap(appliedIndex, true);
            for (List<CompletableFuture<Void>> l : head.values()) {
                ready.addAll(l);
            }
            head.clear();
        }
        for (CompletableFuture<Void> f : ready) {
            f.complete(null);
        }
    }

    private void whenApplied(long index, CompletableFuture<Void> f) {
        if (appliedIndex >= index) {
            f.complete(null);
            return;
        }
        synchronized (appliedWaiters) {
            appliedWaiters.computeIfAbsent(index, k -> new ArrayList<>()).add(f);
        }
        if (appliedIndex >= index) {
            releaseAppliedWaiters();
        }
    }

    /**
     * A snapshot of everything applied so far (apply thread: nothing applies meanwhile): the store
     * records the position, then a RocksDB checkpoint; the log then drops what it covers.
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
        loop.execute(() -> core.snapshotTaken(index, t));
        return index;
    }

    /** Replaces the store by a snapshot received from the leader (apply thread). */
    private void install(Install i) {
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
                    e.getValue().fail(failure("applied through a snapshot from the leader; its reply is unknown"));
                }
            }
        }
        loop.execute(() -> {
            raftLog.reset(s.index(), s.term());
            handedToApply = Math.max(handedToApply, s.index());
            core.snapshotInstalled(i.from(), i.leaderTerm(), s.index(), i.seq(), i.config());
            requestTurnEnd();
        });
    }

    // ---- snapshot transfer (loop) -----------------------------------------------------------------

    /** Sending the newest snapshot to a follower, one chunk at a time (the next once the last is stored). */
    private static final class SnapshotSend {
        final String to;
        final Snapshots.Snapshot snapshot;
        final byte[] config;
        final List<Path> files;
        int file;
        long offset;
        long seq = -1;
        boolean last;
        long lastActivity = System.nanoTime();

        SnapshotSend(String to, Snapshots.Snapshot snapshot) {
            this.to = to;
            this.snapshot = snapshot;
            this.config = snapshot.config().encode();
            this.files = snapshot.files().stream().filter(p -> !p.getFileName().toString().equals(Snapshots.META)).toList();
        }
    }

    private void startSnapshotSend(String to) {
        Snapshots.Snapshot snap = snapshots.latest();
        if (snap == null) {
            log.warn("follower {} needs a snapshot, but there is none", to);
            core.snapshotSent(to, 0, false);
            return;
        }
        log.info("sending snapshot {} to {}", snap.dir().getFileName(), to);
        SnapshotSend s = new SnapshotSend(to, snap);
        sending.put(to, s);
        sendChunk(s);
    }

    private void sendChunk(SnapshotSend s) {
        try {
            s.seq++;
            s.lastActivity = System.nanoTime();
            String name = "";
            byte[] data = new byte[0];
            long offset = 0;
            if (!s.files.isEmpty()) {
                Path f = s.files.get(s.file);
                long size = Files.size(f);
                int n = (int) Math.min(SNAPSHOT_CHUNK, size - s.offset);
                data = new byte[Math.max(0, n)];
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(f)) {
                    ByteBuffer b = ByteBuffer.wrap(data);
                    while (b.hasRemaining()) {
                        if (ch.read(b, s.offset + b.position()) < 0) {
                            break;
                        }
                    }
                }
                name = f.getFileName().toString();
                offset = s.offset;
                s.offset += data.length;
                if (s.offset >= size) {
                    s.file++;
                    s.offset = 0;
                }
            }
            s.last = s.file >= s.files.size();
            transport.send(s.to, new RaftMessage.SnapshotChunk(core.term(), settings.id(), s.snapshot.index(),
                    s.snapshot.term(), s.config, s.seq, name, offset, data, s.last));
            requestTurnEnd();
        } catch (IOException | RuntimeException e) {
            log.warn("reading snapshot {} for {} failed: {}", s.snapshot.dir().getFileName(), s.to, e.toString());
            sending.remove(s.to);
            core.snapshotSent(s.to, s.snapshot.index(), false);
        }
    }

    private void snapshotReply(RaftMessage.SnapshotReply r) {
        SnapshotSend s = sending.get(r.from());
        if (s == null || r.index() != s.snapshot.index() || !core.isLeader() || r.term() != core.term()) {
            return;
        }
        if (!r.ok()) {
            sending.remove(r.from());
            core.snapshotSent(r.from(), s.snapshot.index(), false);
        } else if (r.seq() == Long.MAX_VALUE || (r.seq() == s.seq && s.last)) {
            sending.remove(r.from());
            log.info("follower {} installed snapshot at index {}", r.from(), s.snapshot.index());
            core.snapshotSent(r.from(), s.snapshot.index(), true);
        } else if (r.seq() == s.seq) {
            sendChunk(s);
        }
        requestTurnEnd();
    }

    /** Receiving a snapshot from the leader, chunk by chunk. */
    private static final class SnapshotReceive {
        final String from;
        final long index;
        long nextSeq;

        SnapshotReceive(String from, long index) {
            this.from = from;
            this.index = index;
        }
    }

    private void receiveSnapshotChunk(RaftMessage.SnapshotChunk c) {
        try {
            if (c.seq() == 0) {
                receiving = new SnapshotReceive(c.from(), c.index());
                snapshots.clearIncoming();
                log.info("receiving snapshot at index {} from {}", c.index(), c.from());
            }
            SnapshotReceive r = receiving;
            if (r == null || !r.from.equals(c.from()) || r.index != c.index() || r.nextSeq != c.seq()) {
                core.snapshotFailed(c.from(), c.index(), c.seq());
                return;
            }
            if (!c.file().isEmpty()) {
                snapshots.writeChunk(c.file(), c.offset(), c.data());
            }
            r.nextSeq++;
            if (!c.done()) {
                core.snapshotChunkStored(c.from(), c.index(), c.seq());
                return;
            }
            receiving = null;
            Snapshots.Snapshot snap = snapshots.publishIncoming(c.lastTerm(), c.index(), c.config());
            applyQueue.add(new Install(snap, RaftConfig.decode(c.config()), c.from(), c.term(), c.seq()));
        } catch (RuntimeException e) {
            log.warn("storing a snapshot chunk from {} failed: {}", c.from(), e.toString());
            receiving = null;
            core.snapshotFailed(c.from(), c.index(), c.seq());
        }
    }

    // ---- reads ------------------------------------------------------------------------------------

    /**
     * Reads must wait for the returned future: it completes once this replica is confirmed leader
     * (a fresh round of heartbeats acknowledged by a majority, or the lease) and has applied
     * everything committed when the read arrived. Reads arriving until the loop picks the request
     * up share it.
     */
    @Override
    public CompletableFuture<Void> readBarrier() {
        while (true) {
            CompletableFuture<Void> f = nextRead.get();
            if (f != null) {
                return f;
            }
            f = new CompletableFuture<>();
            if (nextRead.compareAndSet(null, f)) {
                loop.execute(this::startRead);
                return f;
            }
        }
    }

    private void startRead() {
        CompletableFuture<Void> f = nextRead.getAndSet(null);
        if (f == null) {
            return;
        }
        startingRead = f;
        long seq = core.startRead();
        if (startingRead == null) {
            return; // confirmed at once
        }
        startingRead = null;
        if (seq < 0) {
            f.completeExceptionally(new IllegalStateException("not the leader"));
            return;
        }
        readsBySeq.put(seq, f);
        requestTurnEnd();
    }

    // ---- what the rest of the node asks ------------------------------------------------------------

    @Override
    public boolean replicated() {
        return true;
    }

    @Override
    public boolean acceptsWrites() {
        return role == RaftCore.Role.LEADER;
    }

    @Override
    public boolean servesLocalReads() {
        return !loading;
    }

    @Override
    public String leaderAddress() {
        String l = leaderId;
        RaftConfig c = config;
        if (l == null || c == null) {
            return null;
        }
        RaftSettings.Peer p = c.members().get(l);
        return p == null ? null : p.host() + ":" + p.respPort();
    }

    /** The current Raft term as this replica knows it. */
    public long term() {
        return term;
    }

    /** This replica's own peer settings (host, ports). */
    public RaftSettings.Peer self() {
        return settings.self();
    }

    @Override
    public String replicationInfo() {
        try {
            return onLoop(this::info);
        } catch (IOException e) {
            return "role:unknown\r\n";
        }
    }

    private String info() {
        StringBuilder sb = new StringBuilder();
        RaftConfig c = core.config();
        boolean leader = core.isLeader();
        sb.append("role:").append(leader ? "master" : "slave").append("\r\n");
        sb.append("raft_id:").append(settings.id()).append("\r\n");
        sb.append("raft_group:").append(settings.groupName()).append("\r\n");
        String r = core.role() == RaftCore.Role.FOLLOWER && !c.isVoter(settings.id()) ? "LEARNER" : core.role().name();
        sb.append("raft_role:").append(r).append("\r\n");
        sb.append("raft_leader:").append(core.leader() == null ? "" : core.leader()).append("\r\n");
        String addr = leaderAddress();
        if (addr != null && !leader) {
            int colon = addr.lastIndexOf(':');
            sb.append("master_host:").append(addr, 0, colon).append("\r\n");
            sb.append("master_port:").append(addr.substring(colon + 1)).append("\r\n");
        }
        sb.append("raft_term:").append(core.term()).append("\r\n");
        sb.append("raft_commit_index:").append(core.commitIndex()).append("\r\n");
        sb.append("raft_applied_index:").append(appliedIndex).append("\r\n");
        sb.append("raft_snapshot_index:").append(lastSnapshotIndex).append("\r\n");
        sb.append("raft_log_start_index:").append(raftLog.firstIndex()).append("\r\n");
        sb.append("raft_last_index:").append(raftLog.lastIndex()).append("\r\n");
        sb.append("raft_snapshots_taken:").append(snapshotsTaken.sum()).append("\r\n");
        sb.append("raft_snapshots_loaded:").append(snapshotsLoaded.sum()).append("\r\n");
        sb.append("raft_batches_sent:").append(batchesSent.sum()).append("\r\n");
        sb.append("raft_writes_sent:").append(writesSent.sum()).append("\r\n");
        if (leader) {
            Map<String, Long> match = core.matchIndexes();
            long commit = core.commitIndex();
            sb.append("connected_slaves:").append(match.size()).append("\r\n");
            int i = 0;
            for (Map.Entry<String, Long> m : match.entrySet()) {
                sb.append("slave").append(i++).append(":id=").append(m.getKey()).append(",match_index=").append(m.getValue())
                        .append(",lag=").append(Math.max(0, commit - m.getValue())).append("\r\n");
            }
        }
        return sb.toString();
    }

    /** The group's current members: id → RESP address (a learner's address ends with {@code " learner"}). */
    public Map<String, String> members() {
        Map<String, String> out = new TreeMap<>();
        RaftConfig c = config;
        if (c != null) {
            c.members().forEach((id, p) -> out.put(id, p.host() + ":" + p.respPort() + (p.learner() ? " learner" : "")));
        }
        return out;
    }

    /** Takes a snapshot of this replica now (the log is then purged up to it); returns its index. */
    public long snapshot() throws IOException {
        CompletableFuture<Long> f = new CompletableFuture<>();
        applyQueue.add(new TakeSnapshot(f));
        return await(f, 120);
    }

    /** Makes {@code id} the leader (it must be a voter); returns once this replica sees it lead. */
    public void transferLeadership(String id) throws IOException {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                if (transferWaiter != null) {
                    throw new IllegalStateException("a leadership transfer is in progress");
                }
                transferWaiter = f;
                core.transferLeadership(id);
                requestTurnEnd();
            } catch (RuntimeException e) {
                if (transferWaiter == f) {
                    transferWaiter = null;
                }
                f.completeExceptionally(e);
            }
        });
        await(f, Math.max(10, settings.electionMaxMs() * 4 / 1000 + 5));
    }

    /**
     * Adds a member (its server must be running with this group), as a voter or a learner; it
     * catches up from the leader (log, or a snapshot if the log was compacted). Re-adding a member
     * changes its role (a learner that caught up can be promoted). Returns once the change commits.
     */
    public void addMember(RaftSettings.Peer peer) throws IOException {
        changeConfig(c -> c.with(peer));
    }

    public void removeMember(String id) throws IOException {
        if (config == null || !config.contains(id)) {
            throw new IOException("no member " + id);
        }
        changeConfig(c -> c.without(id));
    }

    private void changeConfig(UnaryOperator<RaftConfig> change) throws IOException {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                RaftConfig now = core.config();
                RaftConfig next = change.apply(now);
                if (next.equals(now)) {
                    f.complete(null);
                    return;
                }
                long index = core.proposeConfig(next);
                configWaiters.put(index, f);
                requestTurnEnd();
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        });
        await(f, 30);
    }

    private static <T> T await(CompletableFuture<T> f, long seconds) throws IOException {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw new IOException(c == null ? e.toString() : c.getMessage(), c);
        } catch (TimeoutException e) {
            throw new IOException("timed out after " + seconds + " s", e);
        }
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        try {
            loop.submit(() -> {
                if (ticker != null) {
                    ticker.cancel(false);
                }
                transport.close();
                Reply down = Reply.error("ERR server is shutting down");
                Queued q;
                while ((q = held.poll()) != null) {
                    q.completion().complete(down);
                }
                while ((q = proposals.poll()) != null) {
                    q.completion().complete(down);
                }
                for (CompletableFuture<Void> f : readsBySeq.values()) {
                    f.completeExceptionally(new IllegalStateException("shutting down"));
                }
                readsBySeq.clear();
                raftLog.sync();
            }).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("stopping the Raft loop", e);
        }
        if (applyThread != null) {
            try {
                applyThread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Batch b : pending.values()) {
            b.fail(failure("server shutting down"));
        }
        pending.clear();
        CompletableFuture<Void> r = nextRead.getAndSet(null);
        if (r != null) {
            r.completeExceptionally(new IllegalStateException("shutting down"));
        }
        syncer.shutdown();
        try {
            syncer.awaitTermination(5, TimeUnit.SECONDS);
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        raftLog.close();
    }
}
