package io.basalt.client;

import io.basalt.routing.cluster.ClusterMap;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.cluster.PartitionSelectorException;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.output.CommandOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandWrapper;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;

/**
 * One command as the SDK sends it: Lettuce's command (MOVED/ASK are followed below, by Lettuce's
 * own cluster writer), retried here when it was certainly not executed:
 * <ul>
 *   <li>{@code -TRYAGAIN} (the server refused the write before appending it to the Raft log) and
 *       {@code -CLUSTERDOWN} (the owning group has no leader yet; or the server does not know the
 *       slot's owner yet while the client's map does);
 *   <li>never sent: the node was not connected (Lettuce rejects commands while disconnected) or
 *       could not be connected to.
 * </ul>
 * {@code -UNCERTAIN} and commands lost with a connection are never retried: they may have been
 * applied.
 */
final class RetryingCommand<K, V, T> extends CommandWrapper<K, V, T> {
    private final BasaltClusterConnection<K, V> connection;
    private final long start = System.nanoTime();
    private volatile long sent = start;
    private int attempts;
    private volatile ClusterMap routedMap;

    RetryingCommand(RedisCommand<K, V, T> command, BasaltClusterConnection<K, V> connection) {
        super(command);
        this.connection = connection;
    }

    long startNanos() {
        return start;
    }

    long sentNanos() {
        return sent;
    }

    int nextAttempt() {
        return attempts++;
    }

    /** The map in force when the command was (last) sent. */
    ClusterMap routedMap() {
        return routedMap;
    }

    void routedBy(ClusterMap map) {
        this.routedMap = map;
        this.sent = System.nanoTime();
    }

    @Override
    public void complete() {
        CommandOutput<K, V, T> out = getOutput();
        String error = out == null ? null : out.getError();
        if (error != null && !isDone()) {
            String reason = retryableReply(error);
            if (reason != null && connection.scheduleRetry(this, reason, null) == null) {
                out.setError((String) null);
                return;
            }
        }
        connection.done(this);
        connection.basalt().metrics().latency(getType(), System.nanoTime() - start);
        super.complete();
    }

    @Override
    public boolean completeExceptionally(Throwable t) {
        if (!isDone() && (neverSent(t) || leaderless(t))) {
            RuntimeException giveUp = connection.scheduleRetry(this, "unreachable", t);
            if (giveUp == null) {
                return false;
            }
            t = giveUp;
        }
        connection.done(this);
        connection.basalt().metrics().latency(getType(), System.nanoTime() - start);
        return super.completeExceptionally(t);
    }

    private String retryableReply(String error) {
        if (error.startsWith("TRYAGAIN")) {
            return "tryagain";
        }
        if (error.startsWith("CLUSTERDOWN")) {
            if (error.contains("not served")) {
                // the server knows no owner for the slot: worth waiting only if our map has one
                CommandArgs<K, V> args = getArgs();
                ByteBuffer key = args == null ? null : args.getFirstEncodedKey();
                if (key == null || !connection.slotAssigned(SlotHash.getSlot(key))) {
                    return null;
                }
            }
            return "clusterdown";
        }
        return null;
    }

    /** No node serves the slot in the client's partitions, but the map assigns it: its group has no leader yet. */
    private boolean leaderless(Throwable t) {
        if (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        if (!(t instanceof PartitionSelectorException)) {
            return false;
        }
        CommandArgs<K, V> args = getArgs();
        ByteBuffer key = args == null ? null : args.getFirstEncodedKey();
        return key != null && connection.slotAssigned(SlotHash.getSlot(key));
    }

    /** Failures that happen before a command is written to a socket. */
    private static boolean neverSent(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof RedisConnectionException) {
                return true; // connecting to the node failed (possibly wrapped in a CompletionException)
            }
            String m = c.getMessage();
            if (m != null && m.contains("Commands are rejected")) {
                return true; // DisconnectedBehavior.REJECT_COMMANDS
            }
            if (!(c instanceof java.util.concurrent.CompletionException || c instanceof java.util.concurrent.ExecutionException)) {
                return false;
            }
        }
        return false;
    }
}
