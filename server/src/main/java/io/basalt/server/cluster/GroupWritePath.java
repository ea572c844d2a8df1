package io.basalt.server.cluster;

import io.basalt.server.raft.RaftWritePath;
import io.basalt.server.resp.Reply;
import io.basalt.server.write.Proposal;
import io.basalt.server.write.WritePath;
import java.util.concurrent.CompletableFuture;

/**
 * The write path of a cluster server whose Raft group comes from the cluster map: empty while the
 * server is a spare (no group record names it yet), then the group's {@link RaftWritePath} once the
 * coordinator has put it in a group. A spare owns no slots, so it takes no writes and answers
 * {@code -CLUSTERDOWN} should one reach it.
 */
public final class GroupWritePath implements WritePath {
    private volatile RaftWritePath raft;

    /** The group's Raft write path, or {@code null} while this server is a spare. */
    public RaftWritePath raft() {
        return raft;
    }

    public synchronized void set(RaftWritePath next) {
        raft = next;
    }

    @Override
    public boolean acceptsWrites() {
        RaftWritePath r = raft;
        return r != null && r.acceptsWrites();
    }

    @Override
    public String leaderAddress() {
        RaftWritePath r = raft;
        return r == null ? null : r.leaderAddress();
    }

    @Override
    public boolean servesLocalReads() {
        RaftWritePath r = raft;
        return r != null && r.servesLocalReads();
    }

    /** A spare holds no data of any group: what it has (nothing) it serves itself, e.g. DBSIZE 0. */
    @Override
    public boolean replicated() {
        return raft != null;
    }

    @Override
    public CompletableFuture<Void> readBarrier() {
        RaftWritePath r = raft;
        return r == null ? null : r.readBarrier();
    }

    @Override
    public String replicationInfo() {
        RaftWritePath r = raft;
        return r == null ? "role:master\r\nconnected_slaves:0\r\nbasalt_group:none\r\n" : r.replicationInfo();
    }

    @Override
    public void submit(Proposal proposal, Completion completion) {
        RaftWritePath r = raft;
        if (r == null) {
            completion.complete(Reply.error("CLUSTERDOWN this server is a spare: it is in no group yet"));
        } else {
            r.submit(proposal, completion);
        }
    }

    /** Stops the group's replica (this server left the group): a spare again. */
    public synchronized void detach() {
        RaftWritePath r = raft;
        raft = null;
        if (r != null) {
            r.close();
        }
    }

    @Override
    public synchronized void close() {
        RaftWritePath r = raft;
        raft = null;
        if (r != null) {
            r.close();
        }
    }
}
