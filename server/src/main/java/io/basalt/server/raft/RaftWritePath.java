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
import java.nio.channels.FileChannel;
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
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
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
    private static final long MAX_ENTRY_BYTES = 4L << 20;

    private record Queued(Proposal proposal, Completion completion, long submitted) {}

    private final RaftSettings settings;
    private final Store store;
    private final IntSupplier maxBatch;
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
    private final RaftApplier applying;
    private final SnapshotTransfer transfers;
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
    private long ticketSeq = ThreadLocalRandom.current().nextLong() & 0x7fff_ffff_0000_0000L;

    /** Highest index handed to the apply side (loop). */
    private long handedToApply;

    // reads (loop, but nextRead)
    private final AtomicReference<CompletableFuture<Void>> nextRead = new AtomicReference<>();
    private final TreeMap<Long, CompletableFuture<Void>> readsBySeq = new TreeMap<>();
    private CompletableFuture<Void> startingRead;

    // admin (loop)
    private final TreeMap<Long, CompletableFuture<Void>> configWaiters = new TreeMap<>();
    private CompletableFuture<Void> transferWaiter;

    private boolean turnEndScheduled;
    private boolean inTurnEnd;
    /** A leader syncs its log here, so that its heartbeats and commits go on while its disk is slow. */
    private final ExecutorService syncer = Executors.newSingleThreadExecutor(new DefaultThreadFactory("basalt-raft-sync", true));
    private boolean syncInFlight;
    private final Runnable turnEndTask = this::turnEnd;

    private final LongAdder batchesSent = new LongAdder();
    private final LongAdder writesSent = new LongAdder();

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
        this.maxBatch = maxBatch;
        Files.createDirectories(dir);
        this.hardState = new HardState(dir);
        Snapshots snapshots = new Snapshots(dir.resolve("snapshots"));
        // recent entries stay in memory for followers and the applier; kept small, since every entry
        // that survives a young collection is copied by the GC (64 MB cost 7-9 % of a replica's CPU)
        this.raftLog = new SegmentedLog(dir.resolve("log"), settings.segmentBytes(), settings.unsafeFlush(), 16L << 20);

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
        if (applied[1] > raftLog.lastIndex() || raftLog.term(applied[1]) != applied[0]) {
            // committed entries are applied before this replica's own log sync (a majority has them
            // durably): after a crash the store may hold entries the log lost — or the log may hold
            // other (stale, uncommitted) entries at the store's position, e.g. a snapshot install cut
            // short by a crash. Restart the log there (the core takes what is applied as committed).
            raftLog.reset(applied[1], applied[0]);
        }
        this.handedToApply = applied[1];

        RaftConfig initial = joining ? RaftConfig.EMPTY : RaftConfig.of(settings.peers());
        RaftConfig base = snap != null && snap.index() >= raftLog.baseIndex() ? snap.config() : null;
        if (base == null && raftLog.baseIndex() > 0) {
            log.warn("no snapshot at the Raft log's start ({}); membership from the settings", raftLog.baseIndex());
        }
        this.applying = new RaftApplier(store, applier, snapshots, settings.snapshotEntries(), latency, applied[0], applied[1],
                configAt(applied[1], base != null ? base : initial), snap == null ? 0 : snap.index(), new ApplyHooks());

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
        this.transfers = new SnapshotTransfer(settings.id(), snapshots, transport, applying);
        RaftConfig baseConfig = base;
        long appliedAtStart = applied[1];
        this.core = onLoop(() -> new RaftCore(settings.id(), new Env(), raftLog, options, hardState.term(),
                hardState.votedFor(), baseConfig, initial, appliedAtStart));
        onLoop(() -> {
            transfers.core(core);
            publish();
            transport.peers(addresses(core.config()));
            return null;
        });
        applying.start();
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

    /**
     * Where the transport may send: the members of {@code c} and the peers this replica was started
     * with. A replica joining a group starts with an empty membership, which the leader's log or a
     * snapshot replaces only later: with the members alone it could not even answer the leader (its
     * acknowledgements were dropped, and a leader sending a first batch without a membership entry —
     * more than 1024 entries or 4 MB of log before the change that adds it — re-sent it for ever).
     * (Complete fix: learn a peer's address from its hello, so that any peer can be answered, e.g.
     * a removed replica re-added by a leader it has never had in its membership.)
     */
    private Map<String, InetSocketAddress> addresses(RaftConfig c) {
        Map<String, InetSocketAddress> out = new HashMap<>();
        for (RaftSettings.Peer p : settings.peers()) {
            out.put(p.id(), new InetSocketAddress(p.host(), p.raftPort()));
        }
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
        FileChannel ch = raftLog.prepareSync();
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
            } catch (RejectedExecutionException stopping) {
                // shutting down
            }
        });
    }

    private void tick() {
        try {
            core.tick();
            transfers.tick();
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
                    transfers.reply(r);
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
                applying.whenApplied(readIndex, startingRead);
                startingRead = null;
            }
            var head = readsBySeq.headMap(seq, true);
            for (CompletableFuture<Void> f : head.values()) {
                applying.whenApplied(readIndex, f);
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
            transfers.start(to);
        }

        @Override
        public void snapshotChunk(RaftMessage.SnapshotChunk chunk) {
            transfers.chunk(chunk);
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
        applying.failPendingAbove(core.commitIndex(), failure("leadership lost"));
        refuseQueued();
        for (CompletableFuture<Void> f : configWaiters.values()) {
            f.completeExceptionally(new IOException("leadership lost: the membership change may or may not apply"));
        }
        configWaiters.clear();
        for (CompletableFuture<Void> f : readsBySeq.values()) {
            f.completeExceptionally(new IllegalStateException("leadership lost"));
        }
        readsBySeq.clear();
        transfers.stopSending();
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
                if (lastLocalIndex > applying.appliedIndex()) {
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
        applying.pending().put(ticket, new RaftApplier.Batch(ps, cs, index));
        lastLocalIndex = index;
        if (latency.enabled()) {
            replicating.add(new long[] {index, System.nanoTime()});
        }
        batchesSent.increment();
        writesSent.add(ps.size());
    }

    // ---- applying ---------------------------------------------------------------------------------

    /** Hands committed entries up to {@code index} to the apply side. Loop. */
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
        applying.apply(entries);
    }

    /** What the apply side tells the Raft loop. */
    private final class ApplyHooks implements RaftApplier.Hooks {
        @Override
        public void snapshotTaken(long index, long t) {
            loop.execute(() -> core.snapshotTaken(index, t));
        }

        @Override
        public void installed(RaftApplier.Install i) {
            Snapshots.Snapshot s = i.snapshot();
            loop.execute(() -> {
                raftLog.reset(s.index(), s.term());
                handedToApply = Math.max(handedToApply, s.index());
                core.snapshotInstalled(i.from(), i.leaderTerm(), s.index(), i.seq(), i.config());
                requestTurnEnd();
            });
        }

        @Override
        public void applied(long index) {
            if (guardWaiting && index >= lastLocalIndex) {
                loop.execute(drainTask); // a guard waited for this node's writes to apply
            }
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
        return !applying.loading();
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
        sb.append("raft_applied_index:").append(applying.appliedIndex()).append("\r\n");
        sb.append("raft_snapshot_index:").append(applying.lastSnapshotIndex()).append("\r\n");
        sb.append("raft_log_start_index:").append(raftLog.firstIndex()).append("\r\n");
        sb.append("raft_last_index:").append(raftLog.lastIndex()).append("\r\n");
        sb.append("raft_snapshots_taken:").append(applying.snapshotsTaken.sum()).append("\r\n");
        sb.append("raft_snapshots_loaded:").append(applying.snapshotsLoaded.sum()).append("\r\n");
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
        return await(applying.snapshot(), 120);
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
        if (applying != null) {
            applying.stop(failure("server shutting down"));
        }
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
