package io.basalt.server.dispatch;

import io.basalt.server.storage.types.KeyspaceTxn;
import java.util.SplittableRandom;

/**
 * What a write command may use while applying: its arguments, the time and random seed the node
 * fixed before the command entered the write path, and the batch's view of storage. Nothing else:
 * no clock, no global random, no node state, so every replica computes the same writes and reply.
 */
public final class ApplyContext {
    private final Args args;
    private final long nowMs;
    private final long seed;
    private final KeyspaceTxn keyspace;
    private final long maxBulkLen;
    private SplittableRandom random;
    private io.basalt.server.Node node;
    private ClientSession session;
    private CommandRunner runner;

    public ApplyContext(Args args, long nowMs, long seed, KeyspaceTxn keyspace, long maxBulkLen) {
        this.args = args;
        this.nowMs = nowMs;
        this.seed = seed;
        this.keyspace = keyspace;
        this.maxBulkLen = maxBulkLen;
    }

    public Args args() {
        return args;
    }

    /** The leader's clock when the command was accepted (unix ms). */
    public long nowMs() {
        return nowMs;
    }

    /** A generator seeded by the leader: the same sequence on every replica. */
    public SplittableRandom random() {
        if (random == null) {
            random = new SplittableRandom(seed);
        }
        return random;
    }

    /**
     * Makes {@link #runner} available: the node whose command table and handlers nested commands
     * use, and the session of the client that sent the command ({@code null} where no client is
     * attached, as on a replica).
     */
    public ApplyContext bind(io.basalt.server.Node node, ClientSession session) {
        this.node = node;
        this.session = session;
        return this;
    }

    /** Runs further commands inside this one, in this batch (EXEC, scripts). */
    public CommandRunner runner() {
        if (runner == null) {
            if (node == null) {
                throw new IllegalStateException("nested commands need an applier bound to a node");
            }
            runner = new CommandRunner(node, session, keyspace, nowMs, random(), maxBulkLen);
        }
        return runner;
    }

    public ClientSession session() {
        return session;
    }

    public KeyspaceTxn keyspace() {
        return keyspace;
    }

    /** {@code proto-max-bulk-len}: the largest string a command may create. */
    public long maxBulkLen() {
        return maxBulkLen;
    }
}
