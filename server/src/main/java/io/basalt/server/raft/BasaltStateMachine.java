package io.basalt.server.raft;

import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Store;
import io.basalt.server.write.Applier;
import io.basalt.server.write.Proposal;
import java.io.IOException;
import java.nio.ByteBuffer;
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
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;

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
    private final Store store;
    private final Applier applier;
    private final RaftWritePath.Pending pending;
    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();

    BasaltStateMachine(Store store, Applier applier, RaftWritePath.Pending pending) {
        this.store = store;
        this.applier = applier;
        this.pending = pending;
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        long[] applied = store.applied();
        if (applied[1] > 0) {
            updateLastAppliedTermIndex(applied[0], applied[1]);
        }
    }

    @Override
    public SimpleStateMachineStorage getStateMachineStorage() {
        return storage;
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
            return CompletableFuture.completedFuture(Message.EMPTY); // already in storage (replay after restart)
        }
        ByteBuffer data = entry.getStateMachineLogEntry().getLogData().asReadOnlyByteBuffer();
        RaftWritePath.Batch local = pending.take(Proposal.batchTicket(data));
        List<Proposal> proposals = local != null ? local.proposals() : Proposal.decodeBatch(data);
        List<Reply> replies = applier.apply(proposals, false, term, index);
        updateLastAppliedTermIndex(term, index);
        if (local != null) {
            local.complete(replies);
        }
        return CompletableFuture.completedFuture(Message.EMPTY);
    }
}
