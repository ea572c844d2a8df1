package io.basalt.server.write;

import io.basalt.server.resp.Reply;
import java.util.concurrent.CompletableFuture;

/**
 * Where accepted writes go. Standalone: {@link LocalWritePath} applies them in arrival order. With
 * Raft, an implementation appends them to the replicated log and completes each with the reply of the
 * leader's apply — command code does not change.
 */
public interface WritePath extends AutoCloseable {
    /** Receives a write's reply once its effects are durable per the fsync policy. */
    @FunctionalInterface
    interface Completion {
        /** Called on the write path's thread: must be quick and must not block. */
        void complete(Reply reply);
    }

    /**
     * Whether this node may accept writes now: standalone always; a Raft replica only while it is
     * its group's leader (a follower redirects clients, see {@link #leaderAddress}).
     */
    default boolean acceptsWrites() {
        return true;
    }

    /** The RESP address (host:port) of the group's leader, or {@code null} when none is known. */
    default String leaderAddress() {
        return null;
    }

    /** Whether this node is a replica of a Raft group (else standalone). */
    /**
     * Whether this replica's own state may serve reads (follower reads after READONLY): not while it
     * loads a snapshot received from the leader.
     */
    default boolean servesLocalReads() {
        return true;
    }

    default boolean replicated() {
        return false;
    }

    /**
     * Reads must be confirmed before they run (a replicated group): the future completes once this
     * node is known to be the leader and has applied everything committed when it was requested.
     * {@code null}: reads run at once (standalone).
     */
    default java.util.concurrent.CompletableFuture<Void> readBarrier() {
        return null;
    }

    /** {@code INFO replication} lines (role, leader, term, indexes). */
    default String replicationInfo() {
        return "role:master\r\nconnected_slaves:0\r\n";
    }

    /** Submits a write; submission order is apply order. */
    void submit(Proposal proposal, Completion completion);

    default CompletableFuture<Reply> submit(Proposal proposal) {
        CompletableFuture<Reply> f = new CompletableFuture<>();
        submit(proposal, f::complete);
        return f;
    }

    @Override
    void close();
}
