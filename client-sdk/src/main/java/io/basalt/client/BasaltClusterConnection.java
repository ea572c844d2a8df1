package io.basalt.client;

import io.basalt.routing.cluster.ClusterMap;
import io.basalt.routing.cluster.ClusterMap.Group;
import io.lettuce.core.RedisChannelWriter;
import io.lettuce.core.cluster.ClusterPushHandler;
import io.lettuce.core.cluster.RedisAdvancedClusterAsyncCommandsImpl;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.StatefulRedisClusterConnectionImpl;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.json.JsonParser;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lettuce's cluster connection with Basalt's failover handling around every command
 * ({@link RetryingCommand}): commands that were not executed are retried with bounded backoff for
 * a bounded time, commands left unanswered by a leader that lost its leadership fail promptly, and
 * the async (and so the sync) API splits multi-key commands per group ({@link BasaltAsyncCommands}).
 */
final class BasaltClusterConnection<K, V> extends StatefulRedisClusterConnectionImpl<K, V> {
    private final BasaltClient basalt;
    /** Commands sent and not answered yet, with the group and leader they were routed by. */
    private final Set<RetryingCommand<K, V, ?>> inflight = ConcurrentHashMap.newKeySet();
    /** Commands waiting out a retry backoff: a map change sends them at once. */
    private final Set<RetryingCommand<K, V, ?>> waiting = ConcurrentHashMap.newKeySet();
    private volatile boolean autoFlush = true;

    BasaltClusterConnection(RedisChannelWriter writer, ClusterPushHandler pushHandler, RedisCodec<K, V> codec,
            Duration timeout, Supplier<JsonParser> parser, BasaltClient basalt) {
        super(writer, pushHandler, codec, timeout, parser == null ? () -> null : parser);
        this.basalt = basalt;
        basalt.register(this);
    }

    BasaltClient basalt() {
        return basalt;
    }

    @Override
    protected RedisAdvancedClusterAsyncCommandsImpl<K, V> newRedisAdvancedClusterAsyncCommandsImpl() {
        return new BasaltAsyncCommands<>(this, codec, parser);
    }

    @Override
    public <T> RedisCommand<K, V, T> dispatch(RedisCommand<K, V, T> command) {
        if (command instanceof RetryingCommand) {
            return super.dispatch(command);
        }
        RetryingCommand<K, V, T> r = new RetryingCommand<>(command, this);
        track(r);
        try {
            super.dispatch(r);
        } catch (RuntimeException e) {
            // e.g. no node for the slot (retried while its group has no leader) or a node that
            // cannot be connected to (retried): RetryingCommand decides, the caller sees the future
            r.completeExceptionally(e);
        }
        return r;
    }

    @Override
    public Collection<RedisCommand<K, V, ?>> dispatch(Collection<? extends RedisCommand<K, V, ?>> commands) {
        List<RedisCommand<K, V, ?>> out = new ArrayList<>(commands.size());
        for (RedisCommand<K, V, ?> c : commands) {
            out.add(dispatch(c));
        }
        return out;
    }

    @Override
    public void setAutoFlushCommands(boolean autoFlush) {
        this.autoFlush = autoFlush;
        super.setAutoFlushCommands(autoFlush);
    }

    @Override
    public void close() {
        basalt.unregister(this);
        super.close();
    }

    /**
     * Opens the connections to every group leader ahead of the first command (at connect and when
     * a new leader appears): the first write after a failover does not pay for a connection, and a
     * pipelined batch (auto-flush off) is not caught by Lettuce's race where a command for a node
     * still connecting misses {@code flushCommands()} (lettuce#1111, #2420).
     */
    void warmUp(ClusterMap map) {
        if (map == null || isClosed()) {
            return;
        }
        for (Group g : map.groups().values()) {
            ClusterMap.Member leader = g.leaderMember();
            if (leader != null) {
                try {
                    getConnectionAsync(leader.host(), leader.respPort(), io.lettuce.core.protocol.ConnectionIntent.WRITE)
                            .exceptionally(e -> null);
                } catch (RuntimeException e) {
                    // not in the partitions yet: the next map change tries again
                }
            }
        }
    }

    // ---- retries ------------------------------------------------------------------------------

    /** Records the map a command is routed by (its group is worked out only if that map's leader changes). */
    private void track(RetryingCommand<K, V, ?> r) {
        if (basalt.options().failInflightOnLeaderChange()) {
            r.routedBy(basalt.zk().current());
            inflight.add(r);
        }
    }

    void done(RetryingCommand<K, V, ?> r) {
        inflight.remove(r);
    }

    /** Whether slot {@code slot} is assigned in the map the client holds. */
    boolean slotAssigned(int slot) {
        ClusterMap map = basalt.zk().current();
        return map != null && map.topology().ownerOf(slot) != null;
    }

    /**
     * Schedules another attempt of {@code r} unless its retry time is used up or too many commands
     * wait already; returns null if scheduled, else the exception to fail it with (null cause: fail
     * it with the server's own reply).
     */
    RuntimeException scheduleRetry(RetryingCommand<K, V, ?> r, String reason, Throwable cause) {
        BasaltClientOptions o = basalt.options();
        long elapsed = System.nanoTime() - r.startNanos();
        if (basalt.closed() || elapsed >= o.maxRetryTime().toNanos()) {
            basalt.metrics().failure("retry-time");
            return cause == null ? null : new BasaltClientException("gave up after " + TimeUnit.NANOSECONDS.toMillis(elapsed)
                    + " ms of retries (" + reason + ") for " + r.getType(), cause);
        }
        if (basalt.metrics().pendingRetries.incrementAndGet() > o.maxPendingRetries()) {
            basalt.metrics().pendingRetries.decrementAndGet();
            basalt.metrics().failure("retry-buffer");
            return new BasaltClientException("more than " + o.maxPendingRetries()
                    + " commands already wait for a leader (maxPendingRetries): not buffering " + r.getType(), cause);
        }
        int attempt = r.nextAttempt();
        long delay = Math.min(o.maxBackoff().toNanos(), o.minBackoff().toNanos() << Math.min(attempt, 20));
        delay = Math.min(delay, o.maxRetryTime().toNanos() - elapsed);
        basalt.metrics().retry(reason);
        waiting.add(r);
        getResources().eventExecutorGroup().schedule(() -> wakeUp(r), Math.max(delay, 0), TimeUnit.NANOSECONDS);
        return null;
    }

    /** Ends {@code r}'s backoff (once: the timer and a map change may both try). */
    private void wakeUp(RetryingCommand<K, V, ?> r) {
        if (waiting.remove(r)) {
            basalt.metrics().pendingRetries.decrementAndGet();
            resend(r);
        }
    }

    private void resend(RetryingCommand<K, V, ?> r) {
        if (r.isDone()) {
            return;
        }
        if (isClosed()) {
            r.completeExceptionally(new BasaltClientException("connection closed while " + r.getType() + " waited for a retry"));
            return;
        }
        inflight.remove(r);
        track(r);
        try {
            getChannelWriter().write(r);
            if (!autoFlush) {
                getChannelWriter().flushCommands();
            }
        } catch (RuntimeException e) {
            r.completeExceptionally(e);
        }
    }

    /**
     * The map changed: commands in a retry backoff are sent at once; commands routed to a group's former leader that it has not answered within
     * the grace period fail with {@link BasaltLeaderChangedException} (their outcome is unknown; a
     * dead leader would otherwise keep them until the command timeout).
     */
    void mapChanged(ClusterMap map) {
        warmUp(map);
        // a new leader or new slots: commands waiting for one go now rather than after their backoff
        for (RetryingCommand<K, V, ?> r : waiting) {
            getResources().eventExecutorGroup().execute(() -> wakeUp(r));
        }
        long now = System.nanoTime();
        long grace = basalt.options().inflightGrace().toNanos();
        for (RetryingCommand<K, V, ?> r : inflight) {
            ClusterMap before = r.routedMap();
            CommandArgs<K, V> args = r.getArgs();
            ByteBuffer key = args == null || r.isDone() ? null : args.getFirstEncodedKey();
            if (before == null || key == null) {
                continue;
            }
            int slot = SlotHash.getSlot(key);
            Group was = before.ownerOf(slot);
            Group g = map.ownerOf(slot);
            if (was == null || was.leader() == null || g == null || !g.id().equals(was.id()) || g.leader() == null
                    || g.leader().equals(was.leader())) {
                continue;
            }
            long delay = Math.max(0, r.sentNanos() + grace - now);
            Runnable fail = () -> {
                if (inflight.remove(r) && !r.isDone()) {
                    basalt.metrics().failure("leader-changed");
                    r.completeExceptionally(new BasaltLeaderChangedException("leader of group " + g.id() + " changed from "
                            + was.leader() + " to " + g.leader() + " before it answered " + r.getType()
                            + ": a write may or may not have been applied"));
                }
            };
            if (delay == 0) {
                fail.run();
            } else {
                getResources().eventExecutorGroup().schedule(fail, delay, TimeUnit.NANOSECONDS);
            }
        }
    }
}
