package io.basalt.server.write;

import io.basalt.server.resp.Reply;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted writes go. Standalone: {@link LocalWritePath} applies them in arrival order. With
 * Raft, an implementation appends them to the replicated log and completes each future with the reply
 * of the leader's apply — command code does not change.
 */
public interface WritePath extends AutoCloseable {
    /** Completes with the command's reply once its effects are durable per the fsync policy. */
    CompletableFuture<Reply> submit(Proposal proposal);

    @Override
    void close();
}
