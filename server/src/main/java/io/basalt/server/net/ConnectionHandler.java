package io.basalt.server.net;

import io.basalt.routing.commands.CommandFlag;
import io.basalt.routing.commands.CommandSpec;
import io.basalt.server.Node;
import io.basalt.server.cluster.ClusterRouting;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.ClientSession;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.Dispatcher;
import io.basalt.server.dispatch.ReadCommand;
import io.basalt.server.dispatch.ServerStats;
import io.basalt.server.dispatch.WriteCommand;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.RespDecoder;
import io.basalt.server.resp.RespWriter;
import io.basalt.server.resp.Reply;
import io.basalt.server.write.Proposal;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Requests run strictly in order and replies leave in order:
 * <ul>
 *   <li>a write is validated, then submitted to the write path; the connection goes on with the next
 *       request without waiting (the write path keeps submission order);</li>
 *   <li>anything else runs on this event loop, but only once every earlier write of this connection
 *       has been applied, so a pipelined {@code SET k v; GET k} reads its own write.</li>
 * </ul>
 * Replies are buffered and flushed once per read burst or completion burst.
 */
public final class ConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    private static final int MAX_QUEUED_REQUESTS = 4096;

    private final Node node;
    private final Dispatcher dispatcher;
    private ClientSession session;
    private ChannelHandlerContext ctx;

    /** Requests decoded but not yet started (waiting behind an unfinished write). */
    private final ArrayDeque<Object> inbox = new ArrayDeque<>();
    /** Replies in request order; a slot is filled when its command finishes. */
    private final ArrayDeque<Slot> replies = new ArrayDeque<>();
    /** Writes submitted but not yet applied; decremented by the write path's thread. */
    private final AtomicInteger writesInFlight = new AtomicInteger();
    /** A completion task is queued on this event loop (one per burst, not one per write). */
    private final AtomicBoolean completionScheduled = new AtomicBoolean();
    private final Runnable onCompletions = this::onCompletions;
    private boolean waitingForWrite;
    /** Requests taken from the inbox so far: the head of the inbox is request number consumed + 1. */
    private long consumed;
    /** Reads up to this request number may run: a read barrier requested after they arrived completed. */
    private long readsAllowedUpTo;
    /** Reads up to this number get a redirect: the barrier failed (not the leader anymore). */
    private long readsFailedUpTo;
    private boolean waitingForRead;
    /** The blocking command (BLPOP, …) this connection waits on; nothing after it runs meanwhile. */
    private Slot blockedSlot;
    private ByteBuf out;
    private boolean closed;

    private static final class Slot {
        volatile Reply reply;
        boolean suppressed;
        boolean closeAfter;
        // set for writes, whose statistics are taken when the reply arrives
        CommandSpec spec;
        List<byte[]> argv;
        long startNanos;
        /** When the write path completed it (latency stages; 0 when off). */
        long completedNanos;
        // blocking commands
        BlockedClients.Waiter waiter;
        boolean retryInFlight;
        boolean again;
        boolean timedOut;
        boolean retried;
        boolean readBlocked;
        io.netty.util.concurrent.ScheduledFuture<?> timeoutTask;
        // BASALT SESSION: the write's session and number (its retries keep them)
        String dedupId;
        long seq;
    }

    /** A write of a numbered connection (BASALT SESSION) is applied at most once under its number. */
    private Proposal numbered(Slot slot, Proposal p) {
        String id = session.dedupId();
        if (id == null) {
            return p;
        }
        slot.dedupId = id;
        slot.seq = session.commandSeq();
        return p.inSession(id, slot.seq);
    }

    public ConnectionHandler(Node node, Dispatcher dispatcher) {
        this.node = node;
        this.dispatcher = dispatcher;
    }

    public ClientSession session() {
        return session;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        long now = node.clock().getAsLong();
        boolean needsAuth = !node.config().get("requirepass").isEmpty();
        session = new ClientSession(node.clients().nextId(), ctx.channel(), now, !needsAuth);
        if (node.clients().size() >= node.config().getInt("maxclients")) {
            node.stats().rejectedConnections.increment();
            ByteBuf b = ctx.alloc().buffer();
            RespWriter.write(Reply.error("ERR max number of clients reached"), b, 2);
            ctx.writeAndFlush(b).addListener(ChannelFutureListener.CLOSE);
            closed = true;
            return;
        }
        node.clients().add(session);
        node.stats().totalConnections.increment();
        ctx.fireChannelActive();
    }

    /** Whether the decoder must apply the limits for unauthenticated clients. */
    public boolean authRequired() {
        return session != null && !session.authenticated();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        closed = true;
        if (session != null) {
            node.clients().remove(session);
            session.unwatch(node.watches());
            node.pubsub().leave(session);
        }
        inbox.clear();
        replies.clear();
        if (blockedSlot != null) {
            unblock(blockedSlot);
        }
        if (out != null) {
            out.release();
            out = null;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (closed) {
            return;
        }
        if (msg instanceof RespDecoder.QueryBufferOverflow q) {
            log.warn("closing client {}: query buffer of {} bytes exceeds client-query-buffer-limit", session.remoteAddress(), q.bytes());
            closeNow();
            return;
        }
        inbox.add(msg);
        drain();
        if (inbox.size() > MAX_QUEUED_REQUESTS) {
            ctx.channel().config().setAutoRead(false); // resumes in drain() when the backlog clears
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        // A client that does not read its replies stops being read from (instead of growing our buffers).
        ctx.channel().config().setAutoRead(ctx.channel().isWritable() && inbox.size() <= MAX_QUEUED_REQUESTS);
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (!(cause instanceof java.io.IOException)) {
            log.warn("connection {} failed", session == null ? "?" : session.remoteAddress(), cause);
        }
        closeNow();
    }

    private void drain() {
        while (!inbox.isEmpty() && !closed && !waitingForWrite && !waitingForRead && blockedSlot == null) {
            Object msg = inbox.peek();
            if (msg instanceof RespDecoder.ProtocolError err) {
                if (writesInFlight.get() > 0) {
                    waitForWrites();
                    return;
                }
                take();
                Slot s = new Slot();
                s.reply = Reply.error("ERR Protocol error: " + err.message());
                s.closeAfter = true;
                node.stats().error("ERR");
                replies.add(s);
                break;
            }
            List<byte[]> argv = ((RespDecoder.Request) msg).args();
            Dispatcher.Resolved r = dispatcher.resolve(argv, session);
            Reply.Error notHere = r.error() == null ? ClusterRouting.route(node.cluster(), r.spec(), argv) : null;
            if (notHere != null) {
                // Redis Cluster's redirect (MOVED/CROSSSLOT/CLUSTERDOWN); inside MULTI it also dooms the EXEC
                take();
                if (session.inMulti() && queuesInMulti(r)) {
                    session.flagMultiError();
                }
                node.stats().totalCommands.increment();
                node.stats().command(r.spec().name()).rejected.increment();
                Slot s = new Slot();
                replies.add(s);
                boolean skipThis = session.replyMode() == ClientSession.ReplyMode.SKIP;
                if (skipThis) {
                    session.replyMode(ClientSession.ReplyMode.ON);
                }
                finish(s, notHere, null, skipThis);
                continue;
            }
            if (session.inMulti() && queuesInMulti(r)) {
                take();
                queueInMulti(argv, r);
                continue;
            }
            if (!r.isWrite() && writesInFlight.get() > 0) {
                waitForWrites();
                return;
            }
            if (!r.isWrite() && readsData(r) && node.writePath().replicated()) {
                Reply elsewhere = readElsewhere(r, argv);
                if (elsewhere != null) {
                    take();
                    Slot s = new Slot();
                    replies.add(s);
                    finish(s, elsewhere, r.spec(), false);
                    continue;
                }
                if (!readAllowed()) {
                    return; // paused until the read barrier completes
                }
            }
            take();
            run(argv, r);
        }
        if (inbox.size() <= MAX_QUEUED_REQUESTS && !closed && !ctx.channel().config().isAutoRead() && ctx.channel().isWritable()) {
            ctx.channel().config().setAutoRead(true);
        }
        writeReadyReplies();
    }

    private static boolean allowedWhenSubscribed(String name) {
        return switch (name) {
            case "subscribe", "psubscribe", "ssubscribe", "unsubscribe", "punsubscribe", "sunsubscribe", "ping", "quit",
                    "reset" -> true;
            default -> false;
        };
    }

    /**
     * A replica that is not its group's leader does not take writes: {@code -MOVED slot host:port}
     * to the leader's RESP address (Redis Cluster's redirect, so cluster clients follow it), or
     * {@code -CLUSTERDOWN} while no leader is known (an election is running), as Redis Cluster
     * answers while a failed master has not been replaced yet. {@code null}: write here.
     */
    private Reply redirect(CommandSpec spec, List<byte[]> argv) {
        if (node.writePath().acceptsWrites()) {
            return null;
        }
        String leader = node.writePath().leaderAddress();
        if (leader == null) {
            return Reply.error("CLUSTERDOWN The cluster is down");
        }
        int slot = 0;
        if (spec != null && argv != null) {
            List<Integer> keys = spec.keyPositions(argv);
            if (!keys.isEmpty()) {
                slot = io.basalt.routing.slots.SlotHash.slot(argv.get(keys.get(0)));
            }
        }
        return Reply.error("MOVED " + slot + " " + leader);
    }

    private void take() {
        inbox.poll();
        consumed++;
        session.numberCommand();
    }

    /** A command that reads keys (Redis's readonly flag): in a replicated group it needs the barrier. */
    private static boolean readsData(Dispatcher.Resolved r) {
        return r.spec() != null && r.error() == null && r.spec().has(CommandFlag.READONLY);
    }

    /**
     * Where a read must not run here: a follower redirects (unless the connection said READONLY,
     * then it reads its own, possibly lagging, state); a leader whose barrier failed too.
     */
    private Reply readElsewhere(Dispatcher.Resolved r, List<byte[]> argv) {
        if (!node.writePath().replicated()) {
            return null; // standalone
        }
        if (!node.writePath().acceptsWrites()) {
            return session.readonly() && node.writePath().servesLocalReads() ? null : redirect(r.spec(), argv);
        }
        if (consumed + 1 <= readsFailedUpTo) {
            Reply moved = redirect(r.spec(), argv);
            return moved != null ? moved : Reply.error("CLUSTERDOWN The cluster is down");
        }
        return null;
    }

    /** Whether the read at the head of the inbox may run now; if not, a barrier is on its way. */
    private boolean readAllowed() {
        if (consumed + 1 <= readsAllowedUpTo) {
            return true; // already confirmed
        }
        if (session.readonly() && !node.writePath().acceptsWrites()) {
            return true; // a follower serving READONLY reads (they may lag, by choice)
        }
        // Everything else confirms first — also when this node stopped leading since readElsewhere
        // looked: serving such a read from local state could return a value the new leader has
        // already overwritten (the confirmation fails, and the read is redirected).
        java.util.concurrent.CompletableFuture<Void> barrier = node.writePath().readBarrier();
        if (barrier == null) {
            return true;
        }
        long upTo = consumed + inbox.size(); // everything that has arrived so far
        waitingForRead = true;
        long asked = node.latency().start();
        barrier.whenComplete((ok, error) -> {
            node.latency().end(io.basalt.server.metrics.LatencyStages.Stage.READ_BARRIER, asked);
            try {
                ctx.executor().execute(() -> {
                    waitingForRead = false;
                    if (error == null) {
                        readsAllowedUpTo = Math.max(readsAllowedUpTo, upTo);
                    } else {
                        readsFailedUpTo = Math.max(readsFailedUpTo, upTo);
                    }
                    if (!closed) {
                        drain();
                        flush();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // the connection's event loop is gone
            }
        });
        return false;
    }

    /** Inside MULTI everything is queued but the commands that end or shape the transaction. */
    private static boolean queuesInMulti(Dispatcher.Resolved r) {
        if (r.spec() == null) {
            return true;
        }
        return switch (r.spec().name()) {
            case "exec", "discard", "multi", "watch", "quit", "reset" -> false;
            default -> true;
        };
    }

    /** Replies QUEUED, or the refusal that makes the EXEC abort (as Redis: unknown, arity, auth, no-multi). */
    private void queueInMulti(List<byte[]> argv, Dispatcher.Resolved r) {
        Slot slot = new Slot();
        replies.add(slot);
        node.stats().totalCommands.increment();
        Reply reply;
        if (r.error() != null) {
            reply = r.error();
            session.flagMultiError();
        } else if (r.spec().has(CommandFlag.NO_MULTI)) {
            reply = Reply.error("ERR Command not allowed inside a transaction");
            session.flagMultiError();
        } else {
            session.queue(argv);
            reply = Reply.QUEUED;
        }
        finish(slot, reply, r.spec(), false);
    }

    /** EXEC: the queued block goes to the write path as one proposal (or fails here, as in Redis). */
    private void exec(Slot slot, CommandSpec spec, List<byte[]> argv, long now, long start) {
        if (!session.inMulti()) {
            finish(slot, Reply.error("ERR EXEC without MULTI"), spec, false);
            return;
        }
        if (session.multiError()) {
            session.endMulti();
            session.unwatch(node.watches());
            finish(slot, Reply.error("EXECABORT Transaction discarded because of previous errors."), spec, false);
            return;
        }
        Reply.Error moved = routeQueued();
        if (moved != null) {
            // the cluster map changed since the commands were queued: none of them runs here
            session.endMulti();
            session.unwatch(node.watches());
            finish(slot, moved, spec, false);
            return;
        }
        List<byte[]> first = session.queuedCommands().isEmpty() ? null : session.queuedCommands().get(0);
        Reply elsewhere = redirect(first == null ? null : node.table().lookup(first.get(0)), first);
        if (elsewhere != null) {
            session.endMulti();
            session.unwatch(node.watches());
            finish(slot, elsewhere, spec, false);
            return;
        }
        List<List<byte[]>> queued = session.endMulti();
        Proposal p = numbered(slot, io.basalt.server.commands.TransactionCommands.program(queued, now,
                ThreadLocalRandom.current().nextLong(), session, node.watches(), session.takeWatch()));
        slot.suppressed = session.replyMode() != ClientSession.ReplyMode.ON;
        slot.spec = spec;
        slot.argv = argv;
        slot.startNanos = start;
        writesInFlight.incrementAndGet();
        node.writePath().submit(p, reply -> completed(slot, reply));
    }

    /** The cluster redirect for the first queued command whose keys are not served here, or null. */
    private Reply.Error routeQueued() {
        if (!node.cluster().enabled()) {
            return null;
        }
        for (List<byte[]> q : session.queuedCommands()) {
            CommandSpec qs;
            try {
                qs = Dispatcher.lookup(node.table(), q);
            } catch (Dispatcher.Unresolved e) {
                continue;
            }
            Reply.Error e = ClusterRouting.route(node.cluster(), qs, q);
            if (e != null) {
                return e;
            }
        }
        return null;
    }

    /**
     * Pauses this connection until its writes are applied. The last completion always schedules
     * {@link #onCompletions} after decrementing, so the pause cannot be missed.
     */
    private void waitForWrites() {
        waitingForWrite = true;
    }

    /** Runs on the write path's thread for each applied write of this connection. */
    private void completed(Slot slot, Reply reply) {
        slot.completedNanos = node.latency().start();
        slot.reply = reply;
        writesInFlight.decrementAndGet();
        if (completionScheduled.compareAndSet(false, true)) {
            try {
                ctx.executor().execute(onCompletions);
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // the server is stopping and this connection's event loop is gone: nobody to reply to
            }
        }
    }

    private void onCompletions() {
        completionScheduled.set(false);
        if (closed) {
            return;
        }
        if (blockedSlot != null) {
            blockedResult(blockedSlot);
        }
        writeReadyReplies();
        if (waitingForWrite && writesInFlight.get() == 0) {
            waitingForWrite = false;
            drain();
        } else if (blockedSlot == null && !inbox.isEmpty() && !waitingForWrite) {
            drain(); // a blocking command finished: go on with what was pipelined behind it
        }
        flush();
    }

    private void run(List<byte[]> argv, Dispatcher.Resolved r) {
        Slot slot = new Slot();
        replies.add(slot);
        ClientSession.ReplyMode before = session.replyMode();
        boolean skipThis = before == ClientSession.ReplyMode.SKIP;
        if (skipThis) {
            session.replyMode(ClientSession.ReplyMode.ON);
        }
        long start = System.nanoTime();
        long now = node.clock().getAsLong();
        CommandSpec spec = r.spec();
        session.touch(now, spec == null ? "NULL" : spec.name());
        node.stats().totalCommands.increment();
        if (r.error() != null) {
            finish(slot, r.error(), null, skipThis);
            return;
        }
        if (session.proto() == 2 && session.subscribed() && !allowedWhenSubscribed(spec.name())) {
            finish(slot, Reply.error("ERR Can't execute '" + spec.name() + "': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE"
                    + " / PING / QUIT / RESET are allowed in this context"), spec, skipThis);
            return;
        }
        if (node.scripts().busy() && !spec.has(CommandFlag.ALLOW_BUSY)) {
            finish(slot, Reply.error(io.basalt.server.scripting.LuaScripts.BUSY_TEXT), spec, skipThis);
            return;
        }
        Args args = new Args(argv);
        CommandContext ctx = new CommandContext(args, spec, session, node, now);
        feedMonitors(spec, argv, now);
        try {
            if ("exec".equals(spec.name())) {
                exec(slot, spec, argv, now, start);
                return;
            }
            if (r.handler() instanceof WriteCommand w) {
                w.validate(args, ctx);
                Reply elsewhere = redirect(spec, argv);
                if (elsewhere != null) {
                    finish(slot, elsewhere, spec, skipThis);
                    account(spec, argv, elsewhere, start);
                    return;
                }
                slot.suppressed = skipThis || session.replyMode() != ClientSession.ReplyMode.ON;
                slot.spec = spec;
                slot.argv = argv;
                slot.startNanos = start;
                writesInFlight.incrementAndGet();
                long blockMs = spec.has(CommandFlag.BLOCKING) ? blockTimeout(spec, args) : -1;
                if (blockMs >= 0) {
                    block(slot, spec, argv, blockMs);
                }
                Proposal p = numbered(slot, w.proposal(spec.name(), argv, now, ThreadLocalRandom.current().nextLong(), ctx));
                node.writePath().submit(p, reply -> completed(slot, reply));
                return;
            }
            long blockMs = spec.has(CommandFlag.BLOCKING) ? blockTimeout(spec, args) : -1;
            if (blockMs >= 0) {
                registerReadWaiter(slot, spec, argv);
            }
            Reply reply;
            try {
                reply = ((ReadCommand) r.handler()).run(ctx);
            } finally {
                ctx.close();
            }
            if (reply instanceof Reply.Blocked b && slot.waiter != null) {
                // a blocking read (XREAD BLOCK) with nothing to serve: wait, re-run on wake-up
                slot.suppressed = skipThis || session.replyMode() != ClientSession.ReplyMode.ON;
                slot.spec = spec;
                slot.argv = b.retryArgs() != null ? b.retryArgs() : argv;
                slot.startNanos = start;
                slot.readBlocked = true;
                blockedSlot = slot;
                if (blockMs > 0) {
                    slot.timeoutTask = this.ctx.executor().schedule(() -> timedOut(slot), blockMs,
                            java.util.concurrent.TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (slot.waiter != null) {
                unblock(slot);
            }
            if (reply instanceof Reply.Blocked) {
                reply = Reply.NULL_ARRAY;
            }
            finish(slot, reply, spec, skipThis);
            account(spec, argv, reply, start);
        } catch (RedisException e) {
            finish(slot, e.reply(), spec, skipThis);
            account(spec, argv, e.reply(), start);
        } catch (RuntimeException e) {
            log.error("command {} failed", spec.name(), e);
            Reply err = Reply.error("ERR " + e);
            finish(slot, err, spec, skipThis);
            account(spec, argv, err, start);
        }
    }

    /**
     * Registers a blocking command as a waiter before its first attempt is applied, so a push that
     * lands between the attempt and the registration still wakes it (the wake-up is remembered).
     */
    private void block(Slot slot, CommandSpec spec, List<byte[]> argv, long ms) {
        blockedSlot = slot;
        slot.retryInFlight = true;
        slot.waiter = waiter(spec, argv, () -> retry(slot));
        node.blockedClients().add(slot.waiter);
        if (ms > 0) {
            slot.timeoutTask = ctx.executor().schedule(() -> timedOut(slot), ms, java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /**
     * How long a blocking command may wait, in ms (0 = forever), or -1 if this invocation does not
     * block: list and sorted-set pops always carry a timeout in seconds (validated already);
     * XREAD/XREADGROUP block only with {@code BLOCK ms}.
     */
    private static long blockTimeout(CommandSpec spec, Args args) {
        return switch (spec.name()) {
            case "xread", "xreadgroup" -> io.basalt.server.commands.StreamCommands.blockTimeoutOrNone(args);
            case "blmpop", "bzmpop" -> io.basalt.server.commands.ListCommands.timeout(args, 1);
            default -> io.basalt.server.commands.ListCommands.timeout(args, args.size() - 1);
        };
    }

    /**
     * A blocking read (XREAD BLOCK) registers before its first attempt, like a blocking write; a
     * wake-up re-runs it on this event loop against the committed state (nothing to replicate).
     */
    private void registerReadWaiter(Slot slot, CommandSpec spec, List<byte[]> argv) {
        slot.waiter = waiter(spec, argv, () -> {
            try {
                ctx.executor().execute(() -> rerunRead(slot));
            } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                // the connection's event loop is gone
            }
        });
        node.blockedClients().add(slot.waiter);
    }

    /** A waiter on the command's keys (from the command table) that runs {@code onWake} when one changes. */
    private static BlockedClients.Waiter waiter(CommandSpec spec, List<byte[]> argv, Runnable onWake) {
        List<byte[]> keys = new java.util.ArrayList<>();
        for (int pos : spec.keyPositions(argv)) {
            keys.add(argv.get(pos));
        }
        return new BlockedClients.Waiter() {
            @Override
            public List<byte[]> keys() {
                return keys;
            }

            @Override
            public void wake() {
                onWake.run();
            }
        };
    }

    private void rerunRead(Slot slot) {
        if (closed || blockedSlot != slot || slot.waiter == null || !slot.readBlocked) {
            return;
        }
        Dispatcher.Resolved r = dispatcher.resolve(slot.argv, session);
        Reply reply;
        CommandContext c = new CommandContext(new Args(slot.argv), slot.spec, session, node, node.clock().getAsLong());
        try {
            reply = r.handler() instanceof ReadCommand rc ? rc.run(c) : Reply.NULL_ARRAY;
        } catch (RedisException e) {
            reply = e.reply();
        } catch (RuntimeException e) {
            log.error("command {} failed", slot.spec.name(), e);
            reply = Reply.error("ERR " + e);
        } finally {
            c.close();
        }
        if (reply instanceof Reply.Blocked) {
            return;
        }
        slot.reply = reply;
        unblock(slot);
        writeReadyReplies();
        if (!inbox.isEmpty()) {
            drain();
        }
        flush();
    }

    /** Proposes the blocked command again (any thread); one retry at a time, a wake-up meanwhile is remembered. */
    private void retry(Slot slot) {
        synchronized (slot) {
            if (slot.waiter == null) {
                return;
            }
            if (slot.retryInFlight) {
                slot.again = true;
                return;
            }
            slot.retryInFlight = true;
            slot.retried = true;
            slot.reply = null;
        }
        writesInFlight.incrementAndGet();
        // a command may have its own retry handler (XREADGROUP: a vanished stream or group ends the wait)
        String retryName = "__" + slot.spec.name() + "-retry";
        String name = node.registry().writeHandler(retryName) != null ? retryName : slot.spec.name();
        Proposal p = new Proposal(name, slot.argv, node.clock().getAsLong(), ThreadLocalRandom.current().nextLong());
        if (slot.dedupId != null) {
            p = p.inSession(slot.dedupId, slot.seq);
        }
        node.writePath().submit(p, reply -> completed(slot, reply));
    }

    /** On this event loop after an attempt of the blocked command was applied. */
    private void blockedResult(Slot slot) {
        Reply r;
        boolean again;
        synchronized (slot) {
            r = slot.reply;
            if (r == null) {
                return; // an attempt is still in flight
            }
            slot.retryInFlight = false;
            again = slot.again;
            slot.again = false;
            if (slot.retried && r instanceof Reply.Error e && e.text().startsWith("WRONGTYPE")) {
                // as in Redis 7.0: a woken client whose key now holds another type keeps waiting
                r = Reply.BLOCKED;
                slot.reply = r;
            }
        }
        if (!(r instanceof Reply.Blocked)) {
            unblock(slot); // served (or failed): the reply goes out in order
            return;
        }
        if (slot.timedOut) {
            slot.reply = timeoutReply(slot.spec);
            unblock(slot);
        } else if (again) {
            retry(slot);
        }
    }

    private void timedOut(Slot slot) {
        if (blockedSlot != slot || closed) {
            return;
        }
        synchronized (slot) {
            if (slot.retryInFlight) {
                slot.timedOut = true; // decided when the attempt in flight comes back
                return;
            }
            slot.reply = timeoutReply(slot.spec);
        }
        unblock(slot);
        writeReadyReplies();
        if (!inbox.isEmpty()) {
            drain();
        }
        flush();
    }

    private void unblock(Slot slot) {
        synchronized (slot) {
            if (slot.waiter != null) {
                node.blockedClients().remove(slot.waiter);
                slot.waiter = null;
            }
        }
        if (slot.timeoutTask != null) {
            slot.timeoutTask.cancel(false);
        }
        if (blockedSlot == slot) {
            blockedSlot = null;
        }
    }

    private static Reply timeoutReply(CommandSpec spec) {
        return Reply.NULL_ARRAY; // Redis replies a null array to every timed-out blocking command
    }

    private void finish(Slot slot, Reply reply, CommandSpec spec, boolean skipThis) {
        slot.reply = reply;
        slot.suppressed = skipThis || session.replyMode() != ClientSession.ReplyMode.ON;
        if (session.closing()) {
            slot.closeAfter = true;
            slot.suppressed = false;
        }
        if (spec == null && reply instanceof Reply.Error e) {
            node.stats().error(e.code());
        }
    }

    private void account(CommandSpec spec, List<byte[]> argv, Reply reply, long startNanos) {
        long us = (System.nanoTime() - startNanos) / 1000;
        ServerStats.CommandStat st = node.stats().command(spec.name());
        st.calls.increment();
        st.usec.add(us);
        if (reply instanceof Reply.Error e) {
            st.failed.increment();
            node.stats().error(e.code());
        }
        long slower = node.config().getLong("slowlog-log-slower-than");
        if (slower >= 0 && us >= slower) {
            node.slowLog().add(node.clock().getAsLong() / 1000, us, argv, session.remoteAddress(), session.name(),
                    node.config().getInt("slowlog-max-len"));
        }
    }

    private void feedMonitors(CommandSpec spec, List<byte[]> argv, long nowMs) {
        if (!node.clients().hasMonitors() || spec.has(CommandFlag.ADMIN) || spec.has(CommandFlag.SKIP_MONITOR)) {
            return;
        }
        StringBuilder sb = new StringBuilder();
        long micros = nowMs * 1000 + (System.nanoTime() / 1000) % 1000;
        sb.append(micros / 1_000_000).append('.').append(String.format("%06d", micros % 1_000_000));
        sb.append(" [0 ").append(session.remoteAddress()).append(']');
        for (byte[] a : argv) {
            sb.append(' ').append(Monitor.quote(a));
        }
        Reply line = Reply.simple(sb.toString());
        for (ClientSession m : node.clients().monitors()) {
            m.channel().eventLoop().execute(() -> {
                if (m.channel().isActive()) {
                    ByteBuf b = m.channel().alloc().buffer();
                    RespWriter.write(line, b, m.proto());
                    m.channel().writeAndFlush(b);
                }
            });
        }
    }

    private void writeReadyReplies() {
        while (!replies.isEmpty() && replies.peek().reply != null && !(replies.peek().reply instanceof Reply.Blocked)) {
            Slot s = replies.poll();
            if (s.spec != null) {
                account(s.spec, s.argv, s.reply, s.startNanos);
                if (s.completedNanos != 0) {
                    node.latency().end(io.basalt.server.metrics.LatencyStages.Stage.REPLY, s.completedNanos);
                    node.latency().record(io.basalt.server.metrics.LatencyStages.Stage.WRITE_TOTAL, System.nanoTime() - s.startNanos);
                }
            }
            if (!s.suppressed) {
                if (out == null) {
                    out = ctx.alloc().ioBuffer();
                }
                RespWriter.write(s.reply, out, session.proto());
            }
            if (s.closeAfter) {
                flush();
                closed = true;
                inbox.clear();
                ctx.channel().close();
                return;
            }
        }
    }

    private void flush() {
        if (out != null && out.isReadable()) {
            node.stats().netOutputBytes.add(out.readableBytes());
            ctx.writeAndFlush(out, ctx.voidPromise());
            out = null;
        }
    }

    private void closeNow() {
        closed = true;
        inbox.clear();
        ctx.channel().close();
    }

    /** Writes a message outside the request/reply flow (MONITOR lines, pub/sub pushes). */
    public static void push(ClientSession target, Reply message) {
        target.channel().eventLoop().execute(() -> {
            if (target.channel().isActive()) {
                ByteBuf b = target.channel().alloc().buffer();
                RespWriter.write(message, b, target.proto());
                target.channel().writeAndFlush(b);
            }
        });
    }
}
