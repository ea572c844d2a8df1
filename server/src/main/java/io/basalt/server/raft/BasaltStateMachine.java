package io.basalt.server.raft;

import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Store;
import io.basalt.server.write.Applier;
import io.basalt.server.write.Proposal;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;

/**
 * The replicated state machine of one group: every replica applies the committed log entries, in
 * order, through the same {@link Applier} as the standalone path — each entry is one batch of
 * proposals and one atomic RocksDB write that also records the entry's term and index. On restart
 * Ratis resumes after the stored index; an entry at or below it is a no-op.
 *
 * <p>On the node that submitted an entry, {@link RaftWritePath} still holds the batch (the same
 * proposals plus what only that node knows: sessions, completions); the state machine applies those
 * objects and hands their replies back. Other replicas decode the entry.
 */
final class BasaltStateMachine extends BaseStateMachine {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(BasaltStateMachine.class);
    private final Store store;
    private final Applier applier;
    private final RaftWritePath.Pending pending;
    private final CheckpointStorage storage = new CheckpointStorage();
    /** Set while a received snapshot is being loaded: the store is incomplete, follower reads must wait. */
    private volatile boolean loading;
    final java.util.concurrent.atomic.LongAdder snapshotsTaken = new java.util.concurrent.atomic.LongAdder();
    final java.util.concurrent.atomic.LongAdder snapshotsLoaded = new java.util.concurrent.atomic.LongAdder();

    BasaltStateMachine(Store store, Applier applier, RaftWritePath.Pending pending) {
        this.store = store;
        this.applier = applier;
        this.pending = pending;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        getLifeCycle().startAndTransition(() -> {
            loadNewerSnapshot();
            long[] applied = store.applied();
            if (applied[1] > 0) {
                updateLastAppliedTermIndex(applied[0], applied[1]);
            }
        }, IOException.class);
    }

    /** Ratis pauses us before it moves a received snapshot into place. */
    @Override
    public void pause() {
        getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSING);
        getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.PAUSED);
    }

    @Override
    public CheckpointStorage getStateMachineStorage() {
        return storage;
    }

    boolean loading() {
        return loading;
    }

    /**
     * After Ratis installed a snapshot received from the leader (it paused us first): load it into
     * the store and resume from its position.
     */
    @Override
    public void reinitialize() throws IOException {
        loadNewerSnapshot();
        long[] applied = store.applied();
        updateLastAppliedTermIndex(applied[0], applied[1]);
        if (getLifeCycleState() == org.apache.ratis.util.LifeCycle.State.PAUSED) {
            getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.STARTING);
            getLifeCycle().transition(org.apache.ratis.util.LifeCycle.State.RUNNING);
        }
    }

    /**
     * Loads the newest snapshot if the store is behind it (a snapshot received from the leader) or a
     * previous load was cut short by a crash. The received files stay as this replica's snapshot
     * until its own later snapshots replace them.
     */
    private void loadNewerSnapshot() throws IOException {
        CheckpointStorage.Snapshot s = storage.latest();
        if (s == null) {
            return;
        }
        long[] applied = store.applied();
        if (applied[1] >= s.index() && !store.loadInterrupted()) {
            return;
        }
        log.info("loading snapshot {} (store at index {})", s.dir().getFileName(), applied[1]);
        loading = true;
        try {
            store.load(s.dir(), s.term(), s.index());
            snapshotsLoaded.increment();
        } finally {
            loading = false;
        }
        log.info("loaded snapshot at index {}", s.index());
    }

    /**
     * A snapshot of everything applied so far: the store records the position (entries without data,
     * like configuration changes, also move it), then a RocksDB checkpoint. Runs on Ratis's apply
     * thread, so no entry applies meanwhile. Ratis purges the log up to the returned index.
     */
    @Override
    public long takeSnapshot() throws IOException {
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() <= 0) {
            return -1;
        }
        CheckpointStorage.Snapshot latest = storage.latest();
        if (latest != null && latest.index() >= last.getIndex()) {
            return latest.index();
        }
        long[] applied = store.applied();
        if (applied[1] < last.getIndex()) {
            store.markApplied(last.getTerm(), last.getIndex());
        }
        Path tmp = storage.scratch();
        store.checkpoint(tmp);
        storage.publish(tmp, storage.target(last.getTerm(), last.getIndex()));
        storage.cleanupOldSnapshots(null);
        snapshotsTaken.increment();
        return last.getIndex();
    }

    /** Every applied entry at DEBUG (diagnosis: compare replicas' apply sequences). */
    private static final org.slf4j.Logger TRACE = org.slf4j.LoggerFactory.getLogger("io.basalt.server.raft.ApplyTrace");

    private static String summary(List<Proposal> proposals, List<Reply> replies) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < proposals.size(); i++) {
            Proposal p = proposals.get(i);
            sb.append(p.name());
            if (!p.args().isEmpty()) {
                sb.append(' ').append(new String(p.args().get(0), java.nio.charset.StandardCharsets.UTF_8));
            }
            if (p.args().size() > 1) {
                sb.append(' ').append(new String(p.args().get(1), java.nio.charset.StandardCharsets.UTF_8));
            }
            sb.append("->").append(i < replies.size() ? String.valueOf(replies.get(i)) : "?").append("; ");
        }
        return sb.toString();
    }

    /** Read barriers: Ratis calls this once the read index is confirmed and applied here. */
    @Override
    public CompletableFuture<Message> query(Message request) {
        return CompletableFuture.completedFuture(Message.EMPTY);
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        long index = entry.getIndex();
        long term = entry.getTerm();
        TermIndex last = getLastAppliedTermIndex();
        if (last != null && index <= last.getIndex()) {
            if (TRACE.isDebugEnabled()) {
                TRACE.debug("skip t{} i{} (applied {})", term, index, last);
            }
            return CompletableFuture.completedFuture(Message.EMPTY); // already in storage (replay after restart)
        }
        ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        RaftWritePath.Batch local = pending.take(Proposal.batchTicket(data));
        List<Proposal> proposals = local != null ? local.proposals() : Proposal.decodeBatch(data);
        List<Reply> replies = applier.apply(proposals, false, term, index);
        updateLastAppliedTermIndex(term, index);
        if (TRACE.isDebugEnabled()) {
            TRACE.debug("apply t{} i{} local={} {}", term, index, local != null, summary(proposals, replies));
        }
        if (local != null) {
            local.complete(replies);
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }
}
