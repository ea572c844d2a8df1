package io.basalt.server.raft;

import io.basalt.server.raft.RaftMessage.Append;
import io.basalt.server.raft.RaftMessage.AppendReply;
import io.basalt.server.raft.RaftMessage.SnapshotChunk;
import io.basalt.server.raft.RaftMessage.TimeoutNow;
import io.basalt.server.raft.RaftMessage.Vote;
import io.basalt.server.raft.RaftMessage.VoteReply;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Raft algorithm of one replica, with no threads, sockets, files or clocks of its own: every
 * input is a method call ({@link #receive}, {@link #tick}, {@link #propose}, {@link #persisted}, …)
 * made by one thread, every effect goes through {@link Env}. The same inputs give the same outputs,
 * which is what lets the simulation test drive thousands of seeded runs with crashes and partitions.
 *
 * <p>What it implements (Raft paper and dissertation): elections with pre-vote and leader
 * stickiness (a replica that heard from a leader within the minimum election timeout neither votes
 * nor bumps its term), log replication with optimistic pipelining and a conflict hint, commitment
 * of current-term entries only, single-server membership changes that take effect when appended,
 * learners, leadership transfer (TimeoutNow), check-quorum (a leader that has not heard from a
 * majority within the minimum election timeout steps down), snapshots for followers behind the
 * log's base, and linearizable reads: read index confirmed by a fresh round of heartbeats, or under
 * an optional lease. A follower acknowledges entries only once they are durable ({@link #persisted}),
 * and a leader counts itself only for what it has made durable.
 */
final class RaftCore {
    enum Role { FOLLOWER, PRE_CANDIDATE, CANDIDATE, LEADER }

    /**
     * Timing and flow control. {@code leaseNanos > 0} enables lease reads: a leader serves a read
     * without a heartbeat round while a majority acknowledged a message it sent less than that long
     * ago (keep it below the minimum election timeout: the margin covers clock-rate differences).
     */
    record Options(long electionMinNanos, long electionMaxNanos, long heartbeatNanos, long leaseNanos,
            int maxInflightEntries, long maxAppendBytes, int maxAppendEntries) {
        static Options of(long electionMinMs, long electionMaxMs, boolean lease) {
            long min = electionMinMs * 1_000_000L;
            return new Options(min, Math.max(min + 1, electionMaxMs * 1_000_000L), min / 3, lease ? min * 3 / 4 : 0,
                    256, 4L << 20, 1024);
        }
    }

    /** Everything the core does to the world. Called on the core's thread. */
    interface Env {
        /** A monotonic clock, in nanoseconds. */
        long now();

        /** A random number in {@code [0, bound)} (election timeouts). */
        long random(long bound);

        void send(String to, RaftMessage m);

        /** Persist the term and vote; durable when this returns. */
        void saveHardState(long term, String votedFor);

        /**
         * Entries up to {@code index} are committed (durable on a majority, not necessarily here: a
         * leader whose own sync is slow commits on its followers' acknowledgements): apply them.
         */
        void commit(long index);

        /** Role, term or known leader changed. */
        void stateChanged(Role role, long term, String leader);

        /** The membership changed (an entry appended or truncated, or a snapshot installed). */
        void configChanged(RaftConfig config);

        /** Reads up to {@code seq} are confirmed: answer them once entries up to {@code readIndex} are applied. */
        void readsConfirmed(long seq, long readIndex);

        /** Reads up to {@code seq} cannot be confirmed (not the leader anymore). */
        void readsFailed(long seq);

        /** Leader: follower {@code to} needs the newest snapshot; call {@link #snapshotSent} when done. */
        void sendSnapshot(String to);

        /** Follower: a chunk of a snapshot from the current leader; the last one ends with {@link #snapshotInstalled}. */
        void snapshotChunk(SnapshotChunk chunk);

        /** Leadership transfer to {@code target} ended: {@code ok} when the target is now leader. */
        void transferDone(String target, boolean ok);

        /** Something an operator may want to know (why an election started, why a leader stepped down). */
        default void event(String what) {}
    }

    /** The leader's view of one follower. */
    static final class Progress {
        final String id;
        long next;
        long match;
        /** Send one message at a time and wait for its reply (after a rejection, or at the start). */
        boolean probing = true;
        /** A probe is on its way (cleared by any reply). */
        boolean probeInFlight;
        boolean snapshotting;
        long lastSent;
        long lastHeard;
        long ackedReadSeq;
        long ackedSentNanos = Long.MIN_VALUE;

        Progress(String id, long next, long now) {
            this.id = id;
            this.next = next;
            this.lastHeard = now;
        }
    }

    private final String self;
    private final Env env;
    private final RaftLog log;
    private final Options opt;

    private Role role = Role.FOLLOWER;
    private long term;
    private String votedFor;
    private String leader;
    private long commit;
    /** Highest index durable in this replica's log. */
    private long persisted;
    /** Highest index handed to {@link Env#commit}. */
    private long committedOut;

    private RaftConfig config;
    /** Config entries still in the log, by index (a truncation reverts to an older one). */
    private final java.util.TreeMap<Long, RaftConfig> configs = new java.util.TreeMap<>();
    private long configIndex;

    private long electionDeadline;
    private long lastTick;
    private long lastLeaderContact = Long.MIN_VALUE / 2;
    /**
     * When this replica started. With leases, it votes (but for a transfer) only a minimum election
     * timeout after: before it restarted it may have acknowledged a leader that still holds a lease
     * on that acknowledgement, and it has forgotten when it last heard from a leader.
     */
    private final long startedAt;
    private final Set<String> votes = new HashSet<>();
    private boolean campaignTransfer;

    // leader state
    private final Map<String, Progress> progress = new HashMap<>();
    private long termStart;
    private long nextQuorumCheck;
    /**
     * A leadership transfer under way (set on the leader, kept if it steps down): resolved when a
     * leader is known again, or at the deadline.
     */
    private String transfer;
    private long transferDeadline;
    private long readSeq;
    private final ArrayDeque<long[]> pendingReads = new ArrayDeque<>(); // {seq, readIndex}

    // follower state: the acknowledgement waiting for durability (one, the latest)
    private String ackTo;
    private long ackTerm;
    private long ackIndex = -1;
    private long ackReadSeq;
    private long ackSentNanos;
    private boolean snapshotInstalling;

    /**
     * @param hardTerm the persisted term and vote
     * @param initial the membership to use when neither the log nor a snapshot has one
     * @param applied the index the state machine has applied (committed, by definition)
     */
    RaftCore(String self, Env env, RaftLog log, Options opt, long hardTerm, String hardVote, RaftConfig baseConfig,
            RaftConfig initial, long applied) {
        this.self = self;
        this.env = env;
        this.log = log;
        this.opt = opt;
        this.term = hardTerm;
        this.votedFor = hardVote;
        this.persisted = log.lastIndex();
        this.startedAt = env.now();
        this.commit = Math.max(applied, log.baseIndex());
        this.committedOut = commit;
        RaftConfig base = baseConfig != null ? baseConfig : initial;
        configs.put(log.baseIndex(), base);
        for (long i : log.configIndexes()) {
            configs.put(i, RaftConfig.decode(log.entry(i).payload()));
        }
        var last = configs.lastEntry();
        config = last.getValue();
        configIndex = last.getKey();
        resetElectionTimer();
    }

    // ---- read-only state ------------------------------------------------------------------------

    Role role() {
        return role;
    }

    long term() {
        return term;
    }

    String leader() {
        return leader;
    }

    long commitIndex() {
        return commit;
    }

    long persistedIndex() {
        return persisted;
    }

    RaftConfig config() {
        return config;
    }

    boolean isLeader() {
        return role == Role.LEADER;
    }

    /** A leader whose first entry of its term is committed: everything committed before is in its log. */
    boolean leaderReady() {
        return role == Role.LEADER && commit >= termStart;
    }

    /** The replica leadership is being handed to, or null. */
    String transferTarget() {
        return role == Role.LEADER ? transfer : null;
    }

    /** Match index per follower (leader only), in member order. */
    Map<String, Long> matchIndexes() {
        Map<String, Long> out = new java.util.TreeMap<>();
        progress.forEach((id, p) -> out.put(id, p.match));
        return out;
    }

    // ---- inputs ---------------------------------------------------------------------------------

    /**
     * Time passes: elections, heartbeats, quorum checks, transfer timeouts. A tick that comes late
     * (this replica's own thread was stalled: a long sync, a GC pause, a stopped process) first
     * moves its deadlines by the stall — messages that arrived meanwhile have not been read yet, and
     * this replica's silence is not its peers' fault.
     */
    void tick() {
        long now = env.now();
        long gap = lastTick == 0 ? 0 : now - lastTick - opt.electionMinNanos() / 10;
        lastTick = now;
        if (gap > opt.electionMinNanos() / 4) {
            electionDeadline += gap;
            nextQuorumCheck += gap;
            lastLeaderContact += gap;
            for (Progress p : progress.values()) {
                p.lastHeard += gap;
            }
            return;
        }
        if (transfer != null && now >= transferDeadline) {
            resolveTransfer(false);
        }
        if (role == Role.LEADER) {
            if (now >= nextQuorumCheck) {
                nextQuorumCheck = now + opt.electionMinNanos();
                if (!quorumHeardWithin(now, opt.electionMinNanos())) {
                    env.event("stepping down in term " + term + ": no majority heard from within "
                            + opt.electionMinNanos() / 1_000_000 + " ms");
                    stepDown(term, null);
                    return;
                }
            }
            for (Progress p : progress.values()) {
                if (now - p.lastSent >= opt.heartbeatNanos()) {
                    if (!p.snapshotting && now - p.lastHeard >= opt.electionMinNanos()) {
                        // nothing heard for a while: what is outstanding may be lost, probe again
                        p.probing = true;
                        p.probeInFlight = false;
                        p.next = p.match + 1;
                    }
                    sendAppend(p, true);
                }
            }
            return;
        }
        if (now >= electionDeadline) {
            if (mayCampaign()) {
                env.event("starting an election after term " + term + ": " + (leader == null ? "no leader known"
                        : "nothing from leader " + leader + " for " + (now - lastLeaderContact) / 1_000_000 + " ms"));
                campaign(false);
            } else {
                resetElectionTimer();
            }
        }
    }

    /** A message from another replica. */
    void receive(RaftMessage m) {
        if (m instanceof Vote v) {
            onVote(v);
            return;
        }
        if (m instanceof VoteReply r) {
            onVoteReply(r);
            return;
        }
        if (m.term() < term) {
            // a stale leader or candidate: tell it the current term (a stale AppendReply is dropped)
            if (m instanceof Append a) {
                env.send(a.from(), new AppendReply(term, self, false, log.lastIndex(), a.readSeq(), a.sentNanos()));
            } else if (m instanceof SnapshotChunk c) {
                env.send(c.from(), new RaftMessage.SnapshotReply(term, self, c.index(), c.seq(), false));
            }
            return;
        }
        if (m.term() > term) {
            // a leader or a reply of a newer term
            boolean fromLeader = m instanceof Append || m instanceof SnapshotChunk || m instanceof TimeoutNow;
            stepDown(m.term(), fromLeader ? m.from() : null);
        }
        if (m instanceof Append a) {
            onAppend(a);
        } else if (m instanceof AppendReply r) {
            onAppendReply(r);
        } else if (m instanceof SnapshotChunk c) {
            onSnapshotChunk(c);
        } else if (m instanceof RaftMessage.SnapshotReply r) {
            onSnapshotReply(r);
        } else if (m instanceof TimeoutNow t) {
            if (role != Role.LEADER && mayCampaign()) {
                campaign(true);
            }
        }
    }

    /**
     * Leader: appends an entry of this term. Returns its index, or -1 if this replica does not lead
     * (or is handing leadership over). Call {@link #replicate} once a burst of proposals is in.
     */
    long propose(byte type, byte[] payload) {
        if (role != Role.LEADER || transfer != null) {
            return -1;
        }
        if (type == LogEntry.CONFIG) {
            throw new IllegalArgumentException("use proposeConfig");
        }
        return appendLocal(type, payload);
    }

    /** Sends what followers lack (after proposals); cheap when nothing is new. */
    void replicate() {
        if (role != Role.LEADER) {
            return;
        }
        for (Progress p : progress.values()) {
            sendAppend(p, false);
        }
        maybeCommit();
        emitCommit();
    }

    /**
     * Leader: proposes a membership change of one member (added, removed or changed role). Returns
     * the entry's index, or throws with the reason it is refused.
     */
    long proposeConfig(RaftConfig next) {
        if (role != Role.LEADER) {
            throw new IllegalStateException("not the leader");
        }
        if (configIndex > commit) {
            throw new IllegalStateException("a membership change is in progress");
        }
        if (commit < termStart) {
            // a new leader may hold an uncommitted change of an earlier leader it cannot see in its
            // log; changing the membership before an entry of its own term commits could then let
            // two disjoint majorities decide (the single-server change bug, raft-dev 2015)
            throw new IllegalStateException("the leader has not committed an entry of its term yet");
        }
        int changed = 0;
        Set<String> ids = new HashSet<>(config.members().keySet());
        ids.addAll(next.members().keySet());
        for (String id : ids) {
            if (!java.util.Objects.equals(config.members().get(id), next.members().get(id))) {
                changed++;
            }
        }
        if (changed > 1) {
            throw new IllegalStateException("one member at a time");
        }
        if (next.voterCount() == 0) {
            throw new IllegalStateException("a group needs a voter");
        }
        long index = appendLocal(LogEntry.CONFIG, next.encode());
        replicate();
        return index;
    }

    /** Leader: hands leadership to {@code target} (a voter). Ends with {@link Env#transferDone}. */
    void transferLeadership(String target) {
        if (role != Role.LEADER) {
            throw new IllegalStateException("not the leader");
        }
        if (target.equals(self)) {
            env.transferDone(target, true);
            return;
        }
        if (!config.isVoter(target)) {
            throw new IllegalStateException(target + " is not a voting member");
        }
        if (transfer != null) {
            throw new IllegalStateException("a leadership transfer to " + transfer + " is in progress");
        }
        transfer = target;
        transferDeadline = env.now() + opt.electionMaxNanos() * 2;
        Progress p = progress.get(target);
        if (p.match == log.lastIndex()) {
            env.send(target, new TimeoutNow(term, self));
        } else {
            sendAppend(p, true);
        }
    }

    /**
     * Leader: starts confirming a read. Returns its sequence number; {@link Env#readsConfirmed} (or
     * {@link Env#readsFailed}) follows, possibly at once. -1: not the leader.
     */
    long startRead() {
        if (role != Role.LEADER) {
            return -1;
        }
        long seq = ++readSeq;
        long readIndex = Math.max(commit, termStart);
        long now = env.now();
        if (progressVoters() == 0 || (opt.leaseNanos() > 0 && transfer == null && commit >= termStart
                && leaseValid(now))) {
            env.readsConfirmed(seq, readIndex);
            return seq;
        }
        pendingReads.add(new long[] {seq, readIndex});
        for (Progress p : progress.values()) {
            if (config.isVoter(p.id)) {
                sendAppend(p, true);
            }
        }
        return seq;
    }

    /** The log is durable up to {@code index}. */
    void persisted(long index) {
        long p = Math.min(index, log.lastIndex());
        if (p > persisted) {
            persisted = p;
        }
        if (role == Role.LEADER) {
            maybeCommit();
        } else {
            flushAck();
        }
        emitCommit();
    }

    /** Leader: the snapshot transfer to {@code to} ended. */
    void snapshotSent(String to, long index, boolean ok) {
        Progress p = progress.get(to);
        if (p == null || role != Role.LEADER) {
            return;
        }
        p.snapshotting = false;
        if (ok) {
            p.match = Math.max(p.match, index);
            p.next = Math.max(p.next, index + 1);
            p.probing = false;
        } else {
            p.probing = true;
        }
        sendAppend(p, true);
    }

    /**
     * Follower: the snapshot at {@code index} is installed in the state machine and the log reset to
     * start after it; acknowledges it to {@code leader}.
     */
    void snapshotInstalled(String from, long leaderTerm, long index, long seq, RaftConfig snapConfig) {
        snapshotInstalling = false;
        configs.clear();
        configs.put(log.baseIndex(), snapConfig);
        config = snapConfig;
        configIndex = log.baseIndex();
        env.configChanged(config);
        // the log was reset: what was durable beyond its new end is gone (persisted may go down)
        persisted = log.lastIndex();
        commit = Math.max(commit, index);
        committedOut = Math.max(committedOut, index);
        if (leaderTerm == term) {
            env.send(from, new RaftMessage.SnapshotReply(term, self, index, seq, true));
        }
    }

    /** Follower: a snapshot transfer failed here (a chunk could not be stored). */
    void snapshotFailed(String from, long index, long seq) {
        snapshotInstalling = false;
        env.send(from, new RaftMessage.SnapshotReply(term, self, index, seq, false));
    }

    /** Follower: chunk {@code seq} of a snapshot is stored; asks for the next one. */
    void snapshotChunkStored(String from, long index, long seq) {
        env.send(from, new RaftMessage.SnapshotReply(term, self, index, seq, true));
    }

    /** A snapshot of the state machine up to {@code index} exists: the log may drop what it covers. */
    void snapshotTaken(long index, long snapTerm) {
        if (index <= log.baseIndex()) {
            return;
        }
        log.compact(index, snapTerm);
        // keep the config in effect at the new base, drop older ones
        Long floor = configs.floorKey(log.baseIndex());
        if (floor != null) {
            RaftConfig c = configs.get(floor);
            configs.headMap(log.baseIndex(), true).clear();
            configs.put(log.baseIndex(), c);
        }
    }

    /** The connection to {@code peer} broke: what was in flight may be lost. */
    void peerDisconnected(String peer) {
        Progress p = progress.get(peer);
        if (p != null && !p.snapshotting) {
            p.probing = true;
            p.probeInFlight = false;
            p.next = p.match + 1;
        }
    }

    /** A connection to {@code peer} is up: a leader probes it at once instead of at the next heartbeat. */
    void peerConnected(String peer) {
        Progress p = progress.get(peer);
        if (p != null && role == Role.LEADER) {
            sendAppend(p, true);
        }
    }

    // ---- elections ------------------------------------------------------------------------------

    private void resetElectionTimer() {
        long span = opt.electionMaxNanos() - opt.electionMinNanos();
        electionDeadline = env.now() + opt.electionMinNanos() + (span > 0 ? env.random(span) : 0);
    }

    /**
     * A voter may campaign; so may a replica that a membership change not yet committed removed (or
     * made a learner): otherwise a leader that removed itself and lost its leadership before the
     * change committed could block the group for good — the remaining voters may still need its
     * vote under the previous membership, which it refuses while its log is longer than theirs.
     * Like any candidate it counts votes in its newest membership; once leading, it steps down as
     * soon as the change commits ({@link #maybeCommit}).
     */
    private boolean mayCampaign() {
        if (snapshotInstalling) {
            return false;
        }
        if (config.isVoter(self)) {
            return true;
        }
        if (configIndex > commit) {
            var previous = configs.lowerEntry(configIndex);
            return previous != null && previous.getValue().isVoter(self);
        }
        return false;
    }

    private void campaign(boolean transfer) {
        resetElectionTimer();
        votes.clear();
        votes.add(self);
        campaignTransfer = transfer;
        if (transfer) {
            becomeCandidate();
            return;
        }
        role = Role.PRE_CANDIDATE;
        leader = null;
        env.stateChanged(role, term, null);
        if (hasVoteMajority()) {
            becomeCandidate();
            return;
        }
        for (String v : config.voters()) {
            if (!v.equals(self)) {
                env.send(v, new Vote(term + 1, self, log.lastIndex(), log.term(log.lastIndex()), true, false));
            }
        }
        lastLeaderContact = Long.MIN_VALUE / 2;
    }

    private void becomeCandidate() {
        term++;
        votedFor = self;
        env.saveHardState(term, votedFor);
        role = Role.CANDIDATE;
        leader = null;
        votes.clear();
        votes.add(self);
        resetElectionTimer();
        env.stateChanged(role, term, null);
        if (hasVoteMajority()) {
            becomeLeader();
            return;
        }
        for (String v : config.voters()) {
            if (!v.equals(self)) {
                env.send(v, new Vote(term, self, log.lastIndex(), log.term(log.lastIndex()), false, campaignTransfer));
            }
        }
    }

    private boolean hasVoteMajority() {
        int n = 0;
        for (String v : config.voters()) {
            if (votes.contains(v)) {
                n++;
            }
        }
        return n * 2 > config.voterCount();
    }

    private boolean leaderRecentlySeen(long now) {
        return role == Role.LEADER || (leader != null && now - lastLeaderContact < opt.electionMinNanos())
                || (opt.leaseNanos() > 0 && now - startedAt < opt.electionMinNanos());
    }

    private boolean upToDate(long lastIndex, long lastTerm) {
        long myLastTerm = log.term(log.lastIndex());
        return lastTerm > myLastTerm || (lastTerm == myLastTerm && lastIndex >= log.lastIndex());
    }

    private void onVote(Vote v) {
        long now = env.now();
        if (v.pre()) {
            boolean grant = v.term() > term && upToDate(v.lastIndex(), v.lastTerm())
                    && (v.transfer() || !leaderRecentlySeen(now));
            env.send(v.from(), new VoteReply(grant ? v.term() : term, self, grant, true));
            return;
        }
        if (v.term() < term) {
            env.send(v.from(), new VoteReply(term, self, false, false));
            return;
        }
        if (v.term() > term && !v.transfer() && leaderRecentlySeen(now)) {
            // stickiness: a live leader exists; neither bump the term nor vote
            env.send(v.from(), new VoteReply(term, self, false, false));
            return;
        }
        if (v.term() > term) {
            stepDown(v.term(), null);
        }
        boolean grant = (votedFor == null || votedFor.equals(v.from())) && upToDate(v.lastIndex(), v.lastTerm())
                && role != Role.LEADER;
        if (grant) {
            votedFor = v.from();
            env.saveHardState(term, votedFor);
            resetElectionTimer();
        }
        env.send(v.from(), new VoteReply(term, self, grant, false));
    }

    private void onVoteReply(VoteReply r) {
        if (r.pre()) {
            if (role != Role.PRE_CANDIDATE) {
                return;
            }
            if (r.granted() && r.term() == term + 1) {
                votes.add(r.from());
                if (hasVoteMajority()) {
                    becomeCandidate();
                }
            } else if (!r.granted() && r.term() > term) {
                stepDown(r.term(), null);
            }
            return;
        }
        if (r.term() > term) {
            stepDown(r.term(), null);
            return;
        }
        if (role == Role.CANDIDATE && r.term() == term && r.granted()) {
            votes.add(r.from());
            if (hasVoteMajority()) {
                becomeLeader();
            }
        }
    }

    private void becomeLeader() {
        long now = env.now();
        role = Role.LEADER;
        leader = self;
        if (transfer != null) {
            resolveTransfer(false);
        }
        progress.clear();
        for (String id : config.members().keySet()) {
            if (!id.equals(self)) {
                progress.put(id, new Progress(id, log.lastIndex() + 1, now));
            }
        }
        nextQuorumCheck = now + opt.electionMinNanos();
        termStart = log.lastIndex() + 1;
        env.stateChanged(role, term, self);
        appendLocal(LogEntry.NOOP, LogEntry.NO_PAYLOAD);
        replicate();
    }

    /** Becomes a follower of {@code newLeader} (or of no known leader) in {@code newTerm}. */
    private void stepDown(long newTerm, String newLeader) {
        boolean wasLeader = role == Role.LEADER;
        Role roleBefore = role;
        long termBefore = term;
        String leaderBefore = leader;
        if (newTerm > term) {
            term = newTerm;
            votedFor = null;
            env.saveHardState(term, null);
        }
        role = Role.FOLLOWER;
        leader = newLeader;
        if (newLeader != null) {
            lastLeaderContact = env.now();
        }
        resetElectionTimer();
        if (wasLeader) {
            progress.clear();
            if (!pendingReads.isEmpty()) {
                long last = pendingReads.peekLast()[0];
                pendingReads.clear();
                env.readsFailed(last);
            }
        }
        if (roleBefore != role || termBefore != term || !java.util.Objects.equals(leaderBefore, leader)) {
            env.stateChanged(role, term, leader);
        }
        if (transfer != null && leader != null) {
            resolveTransfer(leader.equals(transfer));
        }
    }

    private void resolveTransfer(boolean ok) {
        String t = transfer;
        transfer = null;
        env.transferDone(t, ok);
    }

    // ---- replication: leader side ---------------------------------------------------------------

    private long appendLocal(byte type, byte[] payload) {
        long index = log.lastIndex() + 1;
        log.append(new LogEntry(term, index, type, payload));
        if (type == LogEntry.CONFIG) {
            RaftConfig c = RaftConfig.decode(payload);
            configs.put(index, c);
            adoptConfig(c, index);
        }
        return index;
    }

    private void adoptConfig(RaftConfig c, long index) {
        config = c;
        configIndex = index;
        if (role == Role.LEADER) {
            long now = env.now();
            for (String id : c.members().keySet()) {
                if (!id.equals(self) && !progress.containsKey(id)) {
                    progress.put(id, new Progress(id, log.lastIndex() + 1, now));
                }
            }
            progress.keySet().removeIf(id -> !c.contains(id));
        }
        env.configChanged(c);
    }

    private int progressVoters() {
        int n = 0;
        for (Progress p : progress.values()) {
            n += config.isVoter(p.id) ? 1 : 0;
        }
        return n;
    }

    /**
     * Sends follower {@code p} what it lacks: while probing, one message at a time (re-sent on a
     * heartbeat); while replicating, pipelined up to {@code maxInflightEntries} entries beyond what it
     * acknowledged. {@code heartbeat}: send even if there is nothing new.
     */
    private void sendAppend(Progress p, boolean heartbeat) {
        long now = env.now();
        if (p.snapshotting) {
            if (heartbeat) {
                p.lastSent = now;
                env.send(p.id, new Append(term, self, -1, 0, commit, List.of(), readSeq, now));
            }
            return;
        }
        if (p.next <= log.baseIndex()) {
            // what it lacks was compacted away: it gets the snapshot
            p.snapshotting = true;
            p.lastSent = now;
            env.sendSnapshot(p.id);
            return;
        }
        List<LogEntry> entries = List.of();
        if (p.probing) {
            if (p.probeInFlight && !heartbeat) {
                return;
            }
            if (p.next <= log.lastIndex()) {
                entries = log.entries(p.next, opt.maxAppendEntries(), opt.maxAppendBytes());
            }
            p.probeInFlight = true;
        } else {
            long outstanding = p.next - 1 - p.match;
            if (p.next <= log.lastIndex() && outstanding < opt.maxInflightEntries()) {
                entries = log.entries(p.next, (int) Math.min(opt.maxAppendEntries(), opt.maxInflightEntries() - outstanding),
                        opt.maxAppendBytes());
            }
            if (entries.isEmpty() && !heartbeat) {
                return;
            }
        }
        long prev = p.next - 1;
        env.send(p.id, new Append(term, self, prev, log.term(prev), commit, entries, readSeq, now));
        p.lastSent = now;
        if (!entries.isEmpty() && !p.probing) {
            p.next = entries.get(entries.size() - 1).index() + 1;
        }
    }

    private void onAppendReply(AppendReply r) {
        if (role != Role.LEADER || r.term() != term) {
            return;
        }
        Progress p = progress.get(r.from());
        if (p == null) {
            return;
        }
        long now = env.now();
        p.lastHeard = now;
        p.probeInFlight = false;
        p.ackedReadSeq = Math.max(p.ackedReadSeq, r.readSeq());
        p.ackedSentNanos = Math.max(p.ackedSentNanos, r.sentNanos());
        if (r.success()) {
            if (r.index() > p.match) {
                p.match = r.index();
            }
            if (p.next <= p.match) {
                p.next = p.match + 1;
            }
            p.probing = false;
            maybeCommit();
            emitCommit();
            if (transfer != null && transfer.equals(p.id) && p.match == log.lastIndex()) {
                env.send(p.id, new TimeoutNow(term, self));
            }
        } else if (!p.snapshotting) {
            // retry from the follower's hint (never below what it is known to hold)
            p.next = Math.max(p.match + 1, Math.min(p.next, r.index() + 1));
            p.probing = true;
        }
        confirmReads();
        sendAppend(p, false);
    }

    private void onSnapshotReply(RaftMessage.SnapshotReply r) {
        // the transfer itself is driven outside the core (it owns the files); only contact is noted here
        Progress p = progress.get(r.from());
        if (p != null && r.term() == term) {
            p.lastHeard = env.now();
        }
    }

    /** Advances the commit index to what a majority of voters holds, for an entry of this term. */
    private void maybeCommit() {
        if (role != Role.LEADER) {
            return;
        }
        List<String> voters = config.voters();
        long[] m = new long[voters.size()];
        int i = 0;
        for (String v : voters) {
            if (v.equals(self)) {
                m[i++] = persisted;
            } else {
                Progress p = progress.get(v);
                m[i++] = p == null ? 0 : p.match;
            }
        }
        if (m.length == 0) {
            return;
        }
        Arrays.sort(m);
        long n = m[m.length - (m.length / 2 + 1)];
        if (n > commit && log.term(n) == term) {
            commit = n;
            if (configIndex <= commit && !config.isVoter(self)) {
                // this leader was removed; its successor is elected among the remaining members
                stepDown(term, null);
            }
        }
    }

    private void emitCommit() {
        if (commit > committedOut) {
            committedOut = commit;
            env.commit(commit);
        }
    }

    private boolean quorumHeardWithin(long now, long within) {
        int n = config.isVoter(self) ? 1 : 0;
        for (Progress p : progress.values()) {
            if (config.isVoter(p.id) && now - p.lastHeard < within) {
                n++;
            }
        }
        return n * 2 > config.voterCount();
    }

    private boolean leaseValid(long now) {
        List<Long> acked = new ArrayList<>();
        for (String v : config.voters()) {
            if (v.equals(self)) {
                acked.add(now);
            } else {
                Progress p = progress.get(v);
                acked.add(p == null ? Long.MIN_VALUE : p.ackedSentNanos);
            }
        }
        acked.sort(java.util.Comparator.reverseOrder());
        long majorityAck = acked.get(acked.size() / 2);
        // Long.MIN_VALUE: a voter of the majority never answered (now - MIN_VALUE would overflow)
        return majorityAck != Long.MIN_VALUE && now - majorityAck < opt.leaseNanos();
    }

    private void confirmReads() {
        if (pendingReads.isEmpty()) {
            return;
        }
        List<String> voters = config.voters();
        long[] acked = new long[voters.size()];
        int i = 0;
        for (String v : voters) {
            if (v.equals(self)) {
                acked[i++] = Long.MAX_VALUE;
            } else {
                Progress p = progress.get(v);
                acked[i++] = p == null ? 0 : p.ackedReadSeq;
            }
        }
        Arrays.sort(acked);
        long confirmed = acked[acked.length - (acked.length / 2 + 1)];
        long lastSeq = -1;
        long lastIndex = 0;
        while (!pendingReads.isEmpty() && pendingReads.peekFirst()[0] <= confirmed) {
            long[] r = pendingReads.pollFirst();
            lastSeq = r[0];
            lastIndex = r[1];
        }
        if (lastSeq >= 0) {
            env.readsConfirmed(lastSeq, lastIndex);
        }
    }

    // ---- replication: follower side -------------------------------------------------------------

    private void onAppend(Append a) {
        // a.term() == term here (older terms were answered in receive, newer ones stepped down to)
        if (role != Role.FOLLOWER || !a.from().equals(leader)) {
            stepDown(term, a.from());
        }
        lastLeaderContact = env.now();
        resetElectionTimer();
        if (a.prevIndex() < 0) {
            // pure heartbeat (a snapshot is on its way): no log check, nothing to commit
            env.send(a.from(), new AppendReply(term, self, true, 0, a.readSeq(), a.sentNanos()));
            return;
        }
        if (snapshotInstalling) {
            env.send(a.from(), new AppendReply(term, self, false, log.baseIndex(), a.readSeq(), a.sentNanos()));
            return;
        }
        long prev = a.prevIndex();
        if (prev > log.lastIndex()) {
            env.send(a.from(), new AppendReply(term, self, false, log.lastIndex(), a.readSeq(), a.sentNanos()));
            return;
        }
        List<LogEntry> entries = a.entries();
        int skip = 0;
        if (prev < log.baseIndex()) {
            // the start is covered by our snapshot (committed, so identical): skip those entries
            skip = (int) Math.min(entries.size(), log.baseIndex() - prev);
        } else {
            long t = log.term(prev);
            if (t != a.prevTerm()) {
                env.send(a.from(), new AppendReply(term, self, false, conflictHint(prev, t), a.readSeq(), a.sentNanos()));
                return;
            }
        }
        for (int i = skip; i < entries.size(); i++) {
            LogEntry e = entries.get(i);
            if (e.index() <= log.lastIndex()) {
                if (log.term(e.index()) == e.term()) {
                    continue; // already have it
                }
                if (e.index() <= commit) {
                    throw new IllegalStateException("leader " + a.from() + " conflicts with committed entry " + e.index());
                }
                truncate(e.index());
            }
            log.append(e);
            if (e.type() == LogEntry.CONFIG) {
                RaftConfig c = RaftConfig.decode(e.payload());
                configs.put(e.index(), c);
                adoptConfig(c, e.index());
            }
        }
        long lastNew = Math.max(a.prevIndex() + entries.size(), log.baseIndex());
        if (a.commit() > commit) {
            commit = Math.max(commit, Math.min(a.commit(), lastNew));
        }
        // acknowledged once durable (the runtime syncs, then calls persisted): one reply for a burst
        if (!a.from().equals(ackTo) || ackTerm != term) {
            // a new leader (or term): echo only what this one sent, never an earlier leader's read
            // sequence or clock reading (they would confirm its reads or extend its lease falsely)
            ackTo = a.from();
            ackTerm = term;
            ackIndex = -1;
            ackReadSeq = 0;
            ackSentNanos = Long.MIN_VALUE;
        }
        ackIndex = Math.max(ackIndex, lastNew);
        ackReadSeq = Math.max(ackReadSeq, a.readSeq());
        ackSentNanos = Math.max(ackSentNanos, a.sentNanos());
        flushAck();
        emitCommit();
    }

    /** The index to retry after, when our entry at {@code prev} has term {@code t} != the leader's. */
    private long conflictHint(long prev, long t) {
        long i = prev - 1;
        while (i > log.baseIndex() && i > commit && log.term(i) == t) {
            i--;
        }
        return i;
    }

    private void truncate(long from) {
        log.truncateFrom(from);
        if (persisted >= from) {
            persisted = from - 1;
        }
        if (!configs.tailMap(from, true).isEmpty()) {
            configs.tailMap(from, true).clear();
            var last = configs.lastEntry();
            config = last.getValue();
            configIndex = last.getKey();
            env.configChanged(config);
        }
    }

    /** Sends the pending acknowledgement if what it acknowledges is durable. */
    private void flushAck() {
        if (ackTo == null || ackIndex < 0 || ackTerm != term || ackIndex > persisted) {
            return;
        }
        env.send(ackTo, new AppendReply(term, self, true, ackIndex, ackReadSeq, ackSentNanos));
        ackIndex = -1;
    }

    private void onSnapshotChunk(SnapshotChunk c) {
        if (role != Role.FOLLOWER || !c.from().equals(leader)) {
            stepDown(term, c.from());
        }
        lastLeaderContact = env.now();
        resetElectionTimer();
        if ((c.seq() == 0 || c.done()) && (c.index() <= commit || log.term(c.index()) == c.lastTerm())) {
            // we already have everything it covers: it is committed here, or our log holds the entry
            // it ends at, with its term (so our log matches the leader's up to there). Installing it
            // would reset the log and drop what follows, entries we may have acknowledged already.
            // (Checked again at the last chunk: appends sent before the leader chose to send a
            // snapshot may have arrived meanwhile.)
            env.send(c.from(), new RaftMessage.SnapshotReply(term, self, c.index(), Long.MAX_VALUE, true));
            return;
        }
        if (snapshotInstalling) {
            // a snapshot is being installed: a chunk of another transfer (the leader may have sent
            // the snapshot twice) must not queue a second install, which would reset the log once
            // more after entries following the first one arrived and were acknowledged
            return;
        }
        if (c.done()) {
            snapshotInstalling = true;
        }
        env.snapshotChunk(c);
    }
}
