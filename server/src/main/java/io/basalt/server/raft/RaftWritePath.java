package io.basalt.server.raft;

import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.Store;
import io.basalt.server.write.Applier;
import io.basalt.server.write.Proposal;
import io.basalt.server.write.WritePath;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftClientReply;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeerId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.RaftServerConfigKeys;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.TimeDuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The replicated write path: a node hosts one Ratis server for its group; writes accepted here are
 * batched (everything queued when the sender is free, up to {@code apply-max-batch}), the batch is
 * appended to the group's log through the leader, and each write is completed with the reply the
 * local replica's apply produced once the entry is committed (a quorum has it) and applied.
 *
 * <p>A proposal with a guard (EXEC after WATCH) is a barrier: what was sent before it is applied
 * first, the guard is checked against that state, and only then is the EXEC appended — with nothing
 * appended in between by this node, so the decision is final and followers need no watch state.
 */
public final class RaftWritePath implements WritePath {
    private static final Logger log = LoggerFactory.getLogger(RaftWritePath.class);

    /** A batch in flight: its proposals (with their node-local origins) and their completions. */
    record Batch(List<Proposal> proposals, List<Completion> completions) {
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
                c.complete(error);
            }
        }
    }

    /** Batches this node submitted, by ticket, until its replica applies them. */
    static final class Pending {
        private final Map<Long, Batch> byTicket = new ConcurrentHashMap<>();
        private final AtomicInteger inFlight = new AtomicInteger();
        /**
         * At most this many batches in flight: while they replicate, new writes queue up and go as
         * one entry next (group commit) — the lever that turns one fsync per write into one per batch.
         */
        final java.util.concurrent.Semaphore slots;

        Pending(int maxInFlight) {
            slots = new java.util.concurrent.Semaphore(Math.max(1, maxInFlight));
        }

        long add(Batch b) {
            long t;
            do {
                t = ThreadLocalRandom.current().nextLong();
            } while (t == 0 || byTicket.putIfAbsent(t, b) != null);
            inFlight.incrementAndGet();
            return t;
        }

        Batch take(long ticket) {
            Batch b = byTicket.remove(ticket);
            if (b != null) {
                inFlight.decrementAndGet();
                slots.release();
            }
            return b;
        }
    }

    private record Queued(Proposal proposal, Completion completion) {}

    private final RaftServer server;
    private final RaftSettings settings;
    private final org.apache.ratis.protocol.RaftGroupId groupId;
    private final RaftClient client;
    private final Pending pending;
    private final Store store;
    private final LongSupplier clock;
    private final IntSupplier maxBatch;
    private final LinkedBlockingQueue<Queued> queue = new LinkedBlockingQueue<>();
    private final Thread sender;
    private final BasaltStateMachine stateMachine;
    private volatile boolean running = true;

    public RaftWritePath(RaftSettings settings, Path dir, Store store, Applier applier, LongSupplier clock,
            IntSupplier maxBatch) throws IOException {
        this(settings, dir, store, applier, clock, maxBatch, false);
    }

    /**
     * {@code joining}: this replica is being added to a running group. It starts with an empty
     * configuration, so it never campaigns (a leader whose configuration lacks a campaigning peer
     * tells it to shut down) and waits for the leader to contact it once the member is added.
     */
    public RaftWritePath(RaftSettings settings, Path dir, Store store, Applier applier, LongSupplier clock,
            IntSupplier maxBatch, boolean joining) throws IOException {
        this.settings = settings;
        this.pending = new Pending(settings.inflightBatches());
        this.store = store;
        this.clock = clock;
        this.maxBatch = maxBatch;
        RaftGroup group = settings.group();
        this.groupId = group.getGroupId();
        RaftProperties props = settings.properties();
        RaftServerConfigKeys.setStorageDir(props, List.of(dir.toFile()));
        BasaltStateMachine sm = new BasaltStateMachine(store, applier, pending);
        this.stateMachine = sm;
        // a restarted replica recovers its log; a new one formats its storage
        boolean existing = java.nio.file.Files.isDirectory(dir.resolve(group.getGroupId().getUuid().toString()));
        server = RaftServer.newBuilder()
                .setOption(existing ? org.apache.ratis.server.storage.RaftStorage.StartupOption.RECOVER
                        : org.apache.ratis.server.storage.RaftStorage.StartupOption.FORMAT)
                .setServerId(RaftPeerId.valueOf(settings.id()))
                .setGroup(joining ? RaftGroup.valueOf(group.getGroupId()) : group)
                .setStateMachine(sm)
                .setProperties(props)
                .build();
        server.start();
        client = RaftClient.newBuilder().setProperties(props).setRaftGroup(group).setClientId(ClientId.randomId())
                .setLeaderId(null).build();
        sender = new Thread(this::run, "basalt-raft-sender");
        sender.setDaemon(true);
        sender.start();
    }

    public RaftServer server() {
        return server;
    }

    private org.apache.ratis.server.RaftServer.Division division() {
        try {
            return server.getDivision(groupId);
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public boolean replicated() {
        return true;
    }

    /** The current Raft term as this replica knows it (0 if the group is not started). */
    public long term() {
        org.apache.ratis.server.RaftServer.Division d = division();
        return d == null ? 0 : d.getInfo().getCurrentTerm();
    }

    /** This replica's own peer settings (host, ports). */
    public RaftSettings.Peer self() {
        return settings.self();
    }

    @Override
    public boolean servesLocalReads() {
        return !stateMachine.loading();
    }

    private java.util.concurrent.CompletableFuture<Void> readInFlight;
    private java.util.concurrent.CompletableFuture<Void> readNext;

    /**
     * One Ratis read-only request (read index, or the leader lease) serves every read that asked
     * before it was sent; reads arriving meanwhile wait for the next one.
     */
    @Override
    public synchronized java.util.concurrent.CompletableFuture<Void> readBarrier() {
        if (readNext == null) {
            readNext = new java.util.concurrent.CompletableFuture<>();
            if (readInFlight == null) {
                // sendRead() moves readNext in flight (and clears it): answer with that request.
                // (Returning readNext here returned null — "no barrier needed" — so every read that
                // found no request in flight ran unconfirmed: a leader just elected answered from
                // state that lacked entries its predecessor had acknowledged.)
                java.util.concurrent.CompletableFuture<Void> mine = readNext;
                sendRead();
                return mine;
            }
        }
        return readNext;
    }

    private synchronized void sendRead() {
        java.util.concurrent.CompletableFuture<Void> f = readNext;
        readNext = null;
        readInFlight = f;
        long termAtRequest = term();
        client.async().sendReadOnly(Message.EMPTY, RaftPeerId.valueOf(settings.id())).whenComplete((reply, error) -> {
            if (error != null || reply == null || !reply.isSuccess()) {
                f.completeExceptionally(error != null ? error
                        : new IllegalStateException(reply == null ? "no reply" : String.valueOf(reply.getException())));
            } else {
                String refused = confirmRead(termAtRequest);
                if (refused == null) {
                    f.complete(null);
                } else {
                    f.completeExceptionally(new IllegalStateException(refused));
                }
            }
            synchronized (RaftWritePath.this) {
                readInFlight = null;
                if (readNext != null) {
                    sendRead();
                }
            }
        });
    }

    private volatile long loggedTerm = -1;
    private int loggedInTerm;

    /**
     * A read barrier Ratis confirmed is honoured only if this replica is still the leader of the
     * term it asked in and that leader is ready (its first entry applied, so everything committed
     * before its term is applied here). Logs the first confirmations of each term at DEBUG.
     */
    private String confirmRead(long termAtRequest) {
        org.apache.ratis.server.RaftServer.Division d = division();
        if (d == null) {
            return "group not started";
        }
        org.apache.ratis.server.DivisionInfo info = d.getInfo();
        long term = info.getCurrentTerm();
        boolean leader = info.isLeader();
        boolean ready = info.isLeaderReady();
        long applied = info.getLastAppliedIndex();
        long commit = d.getRaftLog().getLastCommittedIndex();
        synchronized (this) {
            if (term != loggedTerm) {
                loggedTerm = term;
                loggedInTerm = 0;
            }
            if (loggedInTerm++ < 5 && log.isDebugEnabled()) {
                log.debug("read confirmed: term {} (asked in {}), leader {}, ready {}, applied {}, committed {}",
                        term, termAtRequest, leader, ready, applied, commit);
            }
        }
        if (!leader) {
            return null; // a follower read (Ratis asked the leader for its read index and waited to apply it)
        }
        if (term != termAtRequest || !ready) {
            log.warn("read confirmation refused: term {} (asked in {}), leader ready {}, applied {}, committed {}",
                    term, termAtRequest, ready, applied, commit);
            return "leader not ready";
        }
        // Ratis confirms a read index at once when a majority has already acknowledged that commit
        // index — possibly long ago: a leader cut off from its group (no new commits) would confirm
        // every read from its frozen state. So a majority of voters must have answered this leader
        // within the minimum election timeout, before which none of them votes for another one.
        java.util.Set<String> voters = new java.util.HashSet<>();
        for (org.apache.ratis.protocol.RaftPeer p : d.getRaftConf().getCurrentPeers(VOTER)) {
            voters.add(p.getId().toString());
        }
        int fresh = voters.contains(settings.id()) ? 1 : 0;
        org.apache.ratis.proto.RaftProtos.RoleInfoProto role = info.getRoleInfoProto();
        if (role.hasLeaderInfo()) {
            for (org.apache.ratis.proto.RaftProtos.ServerRpcProto f : role.getLeaderInfo().getFollowerInfoList()) {
                if (voters.contains(f.getId().getId().toStringUtf8()) && f.getLastRpcElapsedTimeMs() < settings.electionMinMs()) {
                    fresh++;
                }
            }
        }
        if (fresh * 2 <= voters.size()) {
            log.warn("read confirmation refused: only {} of {} voters heard within {} ms", fresh, voters.size(),
                    settings.electionMinMs());
            return "no recent contact with a majority";
        }
        return null;
    }

    @Override
    public boolean acceptsWrites() {
        org.apache.ratis.server.RaftServer.Division d = division();
        return d != null && d.getInfo().isLeader();
    }

    @Override
    public String leaderAddress() {
        org.apache.ratis.server.RaftServer.Division d = division();
        RaftPeerId leader = d == null ? null : d.getInfo().getLeaderId();
        if (leader == null) {
            return null;
        }
        org.apache.ratis.protocol.RaftPeer peer = d.getRaftConf().getPeer(leader);
        return peer == null ? null : peer.getClientAddress();
    }

    @Override
    public String replicationInfo() {
        org.apache.ratis.server.RaftServer.Division d = division();
        if (d == null) {
            return "role:unknown\r\n";
        }
        org.apache.ratis.server.DivisionInfo info = d.getInfo();
        StringBuilder sb = new StringBuilder();
        sb.append("role:").append(info.isLeader() ? "master" : "slave").append("\r\n");
        sb.append("raft_id:").append(settings.id()).append("\r\n");
        sb.append("raft_group:").append(settings.groupName()).append("\r\n");
        sb.append("raft_role:").append(info.getCurrentRole()).append("\r\n");
        RaftPeerId leader = info.getLeaderId();
        sb.append("raft_leader:").append(leader == null ? "" : leader).append("\r\n");
        String addr = leaderAddress();
        if (addr != null && !info.isLeader()) {
            int colon = addr.lastIndexOf(':');
            sb.append("master_host:").append(addr, 0, colon).append("\r\n");
            sb.append("master_port:").append(addr.substring(colon + 1)).append("\r\n");
        }
        sb.append("raft_term:").append(info.getCurrentTerm()).append("\r\n");
        sb.append("raft_commit_index:").append(d.getRaftLog().getLastCommittedIndex()).append("\r\n");
        sb.append("raft_applied_index:").append(info.getLastAppliedIndex()).append("\r\n");
        org.apache.ratis.statemachine.SnapshotInfo snap = stateMachine.getLatestSnapshot();
        sb.append("raft_snapshot_index:").append(snap == null ? 0 : snap.getIndex()).append("\r\n");
        sb.append("raft_log_start_index:").append(d.getRaftLog().getStartIndex()).append("\r\n");
        sb.append("raft_snapshots_taken:").append(stateMachine.snapshotsTaken.sum()).append("\r\n");
        sb.append("raft_snapshots_loaded:").append(stateMachine.snapshotsLoaded.sum()).append("\r\n");
        sb.append("raft_batches_sent:").append(batchesSent.sum()).append("\r\n");
        sb.append("raft_writes_sent:").append(writesSent.sum()).append("\r\n");
        if (info.isLeader()) {
            long[] match = info.getFollowerMatchIndices();
            long commit = d.getRaftLog().getLastCommittedIndex();
            sb.append("connected_slaves:").append(match == null ? 0 : match.length).append("\r\n");
            for (int i = 0; match != null && i < match.length; i++) {
                sb.append("slave").append(i).append(":match_index=").append(match[i]).append(",lag=")
                        .append(Math.max(0, commit - match[i])).append("\r\n");
            }
        }
        return sb.toString();
    }

    @Override
    public void submit(Proposal proposal, Completion completion) {
        if (!running) {
            completion.complete(Reply.error("ERR server is shutting down"));
            return;
        }
        queue.add(new Queued(proposal, completion));
    }

    private void run() {
        List<Queued> drained = new ArrayList<>();
        while (running) {
            try {
                Queued first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                // wait for a free slot, so that what arrives meanwhile joins this batch
                pending.slots.acquire();
                pending.slots.release();
                drained.add(first);
                queue.drainTo(drained, Math.max(0, maxBatch.getAsInt() - 1));
                List<Proposal> ps = new ArrayList<>();
                List<Completion> cs = new ArrayList<>();
                for (Queued q : drained) {
                    Proposal.Origin o = q.proposal().origin();
                    if (o != null && o.guard() != null) {
                        send(ps, cs);
                        ps = new ArrayList<>();
                        cs = new ArrayList<>();
                        guarded(q);
                    } else {
                        ps.add(q.proposal());
                        cs.add(q.completion());
                    }
                }
                send(ps, cs);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.error("raft sender error", e);
            } finally {
                drained.clear();
            }
        }
    }

    /** Waits until everything sent is applied here, checks the guard, then appends the EXEC alone. */
    private void guarded(Queued q) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pending.inFlight.get() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(0, 200_000);
        }
        Proposal p = q.proposal();
        boolean ok;
        try (Keyspace ks = store.reader(p.nowMs())) {
            ok = pending.inFlight.get() == 0 && p.origin().guard().test(ks);
        }
        if (!ok) {
            q.completion().complete(Reply.NULL_ARRAY);
            return;
        }
        Proposal unguarded = new Proposal(p.name(), p.args(), p.nowMs(), p.seed(), new Proposal.Origin(p.origin().session(), null));
        send(new ArrayList<>(List.of(unguarded)), new ArrayList<>(List.of(q.completion())));
    }

    private final java.util.concurrent.atomic.LongAdder batchesSent = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder writesSent = new java.util.concurrent.atomic.LongAdder();

    private void send(List<Proposal> ps, List<Completion> cs) {
        if (ps.isEmpty()) {
            return;
        }
        batchesSent.increment();
        writesSent.add(ps.size());
        Batch b = new Batch(ps, cs);
        pending.slots.acquireUninterruptibly();
        awaitLeaderReady();
        long ticket = pending.add(b);
        Message m = Message.valueOf(ByteString.copyFrom(Proposal.encodeBatch(ticket, ps)));
        submitLocal(m).whenComplete((RaftClientReply reply, Throwable error) -> {
            if (error != null || reply == null || !reply.isSuccess()) {
                Batch lost = pending.take(ticket);
                if (lost != null) {
                    Throwable why = error != null ? error : reply == null ? null : reply.getException();
                    log.warn("replication of a batch of {} failed: {}", ps.size(), why == null ? "?" : why.toString());
                    lost.fail(failure(why));
                }
            }
        });
    }

    /**
     * The reply to writes whose replication failed. Redis Cluster clients retry {@code TRYAGAIN} on
     * their own (redis-py does), so it is used only where Ratis refused the entry before appending it
     * (not applied, safe to retry). Every other failure — notably NotLeaderException, which is also
     * how a deposed leader fails entries it had appended and a successor may still commit — is
     * {@code UNCERTAIN}: the write may or may not have been applied, no client retries it by itself,
     * and a numbered session (BASALT SESSION) makes the application's own retry safe.
     */
    static Reply failure(Throwable why) {
        Throwable t = why;
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        String name = t == null ? "unknown" : t.getClass().getSimpleName();
        if (t instanceof org.apache.ratis.protocol.exceptions.LeaderNotReadyException
                || t instanceof org.apache.ratis.protocol.exceptions.LeaderSteppingDownException
                || t instanceof org.apache.ratis.protocol.exceptions.ResourceUnavailableException
                || t instanceof org.apache.ratis.protocol.exceptions.ServerNotReadyException) {
            return Reply.error("TRYAGAIN replication refused (" + name + "), not applied: retry");
        }
        return Reply.error("UNCERTAIN replication failed (" + name + "): the write may or may not have been applied");
    }

    /**
     * A leader just elected refuses appends (LeaderNotReadyException) until the entry of its new
     * term is committed, usually a few ms; the sender waits for that here (in order) instead of
     * failing the batch.
     */
    private void awaitLeaderReady() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            org.apache.ratis.server.RaftServer.Division d = division();
            if (d == null || !d.getInfo().isLeader() || d.getInfo().isLeaderReady()) {
                return;
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private final ClientId localClientId = ClientId.randomId();
    private final java.util.concurrent.atomic.AtomicLong callIds = new java.util.concurrent.atomic.AtomicLong();

    /**
     * Appends through this node's own Raft server (writes are only submitted while it leads), not
     * through a RaftClient: a client targets the leader it last knew (at first the group's first
     * peer), so after a failover a new leader's writes went to the old one and waited for its
     * request timeout — seconds when the old leader is partitioned away rather than dead. If this
     * node is no longer the leader, the reply is a NotLeaderException: the batch fails (UNCERTAIN, see {@link #failure}).
     * One sender thread calls this, and the server appends in call order, so batches keep their order.
     */
    private java.util.concurrent.CompletableFuture<RaftClientReply> submitLocal(Message m) {
        org.apache.ratis.protocol.RaftClientRequest request = org.apache.ratis.protocol.RaftClientRequest.newBuilder()
                .setClientId(localClientId).setServerId(server.getId()).setGroupId(groupId)
                .setCallId(callIds.incrementAndGet()).setMessage(m)
                .setType(org.apache.ratis.protocol.RaftClientRequest.writeRequestType()).build();
        try {
            return server.submitClientRequestAsync(request);
        } catch (IOException | RuntimeException e) {
            return java.util.concurrent.CompletableFuture.failedFuture(e);
        }
    }

    // ---- membership (BASALT RAFT …) ----------------------------------------------------------

    /** The group's current members: id → RESP address (a learner's address ends with {@code " learner"}). */
    public Map<String, String> members() {
        Map<String, String> out = new java.util.TreeMap<>();
        org.apache.ratis.server.RaftServer.Division d = division();
        if (d != null) {
            for (org.apache.ratis.protocol.RaftPeer p : d.getRaftConf().getCurrentPeers(VOTER)) {
                out.put(p.getId().toString(), p.getClientAddress());
            }
            for (org.apache.ratis.protocol.RaftPeer p : d.getRaftConf().getCurrentPeers(LEARNER)) {
                out.put(p.getId().toString(), p.getClientAddress() + " learner");
            }
        }
        return out;
    }

    /** Takes a snapshot of this replica now (the log is then purged up to it); returns its index. */
    public long snapshot() throws IOException {
        RaftClientReply r = client.getSnapshotManagementApi(RaftPeerId.valueOf(settings.id())).create(true, 30_000);
        if (!r.isSuccess()) {
            throw new IOException(String.valueOf(r.getException()));
        }
        return r.getLogIndex();
    }

    /** Makes {@code id} the leader (it must be a member and caught up). Throws with Ratis's reason. */
    public void transferLeadership(String id) throws IOException {
        RaftClientReply r = client.admin().transferLeadership(RaftPeerId.valueOf(id), 10_000);
        if (!r.isSuccess()) {
            throw new IOException(String.valueOf(r.getException()));
        }
    }

    private static final org.apache.ratis.proto.RaftProtos.RaftPeerRole VOTER = org.apache.ratis.proto.RaftProtos.RaftPeerRole.FOLLOWER;
    private static final org.apache.ratis.proto.RaftProtos.RaftPeerRole LEARNER = org.apache.ratis.proto.RaftProtos.RaftPeerRole.LISTENER;

    /**
     * Adds a member (its server must be running with this group), as a voter or a learner; it
     * catches up from the leader (log, or a snapshot if the log was purged). Re-adding an existing
     * member changes its role (a learner that caught up can be promoted to voter).
     */
    public void addMember(RaftSettings.Peer peer) throws IOException {
        List<org.apache.ratis.protocol.RaftPeer> voters = currentPeers(VOTER);
        List<org.apache.ratis.protocol.RaftPeer> learners = currentPeers(LEARNER);
        voters.removeIf(p -> p.getId().toString().equals(peer.id()));
        learners.removeIf(p -> p.getId().toString().equals(peer.id()));
        (peer.learner() ? learners : voters).add(RaftSettings.peer(peer));
        setConfiguration(voters, learners);
    }

    public void removeMember(String id) throws IOException {
        List<org.apache.ratis.protocol.RaftPeer> voters = currentPeers(VOTER);
        List<org.apache.ratis.protocol.RaftPeer> learners = currentPeers(LEARNER);
        boolean found = voters.removeIf(p -> p.getId().toString().equals(id));
        found |= learners.removeIf(p -> p.getId().toString().equals(id));
        if (!found) {
            throw new IOException("no member " + id);
        }
        setConfiguration(voters, learners);
    }

    private List<org.apache.ratis.protocol.RaftPeer> currentPeers(org.apache.ratis.proto.RaftProtos.RaftPeerRole role)
            throws IOException {
        org.apache.ratis.server.RaftServer.Division d = division();
        if (d == null) {
            throw new IOException("group not started");
        }
        return new ArrayList<>(d.getRaftConf().getCurrentPeers(role));
    }

    private void setConfiguration(List<org.apache.ratis.protocol.RaftPeer> voters,
            List<org.apache.ratis.protocol.RaftPeer> learners) throws IOException {
        RaftClientReply r = client.admin().setConfiguration(voters, learners);
        if (!r.isSuccess()) {
            throw new IOException(String.valueOf(r.getException()));
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            sender.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            client.close();
        } catch (IOException e) {
            log.warn("closing the raft client", e);
        }
        try {
            server.close();
        } catch (IOException e) {
            log.warn("closing the raft server", e);
        }
    }

    static TimeDuration ms(long v) {
        return TimeDuration.valueOf(v, TimeUnit.MILLISECONDS);
    }
}
