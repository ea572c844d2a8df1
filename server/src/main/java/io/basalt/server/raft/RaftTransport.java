package io.basalt.server.raft;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connections between the replicas of one group, all on the Raft event loop (the thread that runs
 * {@link RaftCore}): receiving a message and acting on it needs no thread hand-off. Each replica
 * sends over its own outbound connection to each peer and receives on the peers' connections to it;
 * a connection begins with a hello naming the group and the sender. Messages to a peer that is not
 * connected are dropped (Raft re-sends what matters) while a connection is made, at most one attempt
 * per peer every {@link #RECONNECT_MS} ms. Writes are buffered until {@link #flush}.
 */
final class RaftTransport {
    private static final Logger log = LoggerFactory.getLogger(RaftTransport.class);
    static final long RECONNECT_MS = 100;

    interface Handler {
        void message(RaftMessage m);

        /** A burst of inbound messages was handled: time to sync and flush. */
        void readComplete();

        void connected(String peer);

        void disconnected(String peer);
    }

    private final String self;
    private final String group;
    private final String selfHost;
    private final int selfPort;
    private final EventLoop loop;
    private final Handler handler;
    private final boolean epoll = Epoll.isAvailable();
    private Channel server;
    private final Map<String, InetSocketAddress> addresses = new HashMap<>();
    /**
     * Addresses of peers outside the membership this replica knows, learned from their hellos: a
     * replica joining a running group knows no member until the leader's entries tell it, and must
     * answer the leader meanwhile.
     */
    private final Map<String, InetSocketAddress> learned = new HashMap<>();
    private final Map<String, Channel> out = new HashMap<>();
    private final Map<String, Long> lastAttempt = new HashMap<>();
    private final Set<Channel> dirty = new HashSet<>();
    private final Set<Channel> inbound = new HashSet<>();
    private volatile boolean closed;

    RaftTransport(String self, String group, String selfHost, int selfPort, EventLoop loop, Handler handler) {
        this.self = self;
        this.group = group;
        this.selfHost = selfHost;
        this.selfPort = selfPort;
        this.loop = loop;
        this.handler = handler;
    }

    void start(String host, int port) throws InterruptedException {
        Class<? extends ServerChannel> serverClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        ServerBootstrap b = new ServerBootstrap().group(loop).channel(serverClass)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        inbound.add(ch);
                        ch.closeFuture().addListener(f -> inbound.remove(ch));
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(RaftCodec.MAX_FRAME, 0, 4, 0, 4),
                                new Inbound());
                    }
                });
        server = b.bind(new InetSocketAddress(host, port)).sync().channel();
    }

    /** The peers this replica talks to (its group's members but itself). Loop thread. */
    void peers(Map<String, InetSocketAddress> peers) {
        for (String id : new HashSet<>(out.keySet())) {
            InetSocketAddress a = peers.get(id);
            if (a == null || !a.equals(addresses.get(id))) {
                Channel c = out.remove(id);
                if (c != null) {
                    c.close();
                }
            }
        }
        addresses.clear();
        addresses.putAll(peers);
        addresses.remove(self);
    }

    /**
     * Queues {@code m} for {@code to} (flushed by {@link #flush}). While a connection is being made the
     * message waits for it (a bounded number); when there is none and none may be tried yet, it is
     * dropped. Loop thread.
     */
    void send(String to, RaftMessage m) {
        Channel c = channel(to);
        if (c == null) {
            java.util.List<ByteBuf> q = waiting.get(to);
            if (q != null && q.size() < MAX_WAITING) {
                q.add(RaftCodec.encode(io.netty.buffer.ByteBufAllocator.DEFAULT, m));
            }
            return;
        }
        c.write(RaftCodec.encode(c.alloc(), m), c.voidPromise());
        dirty.add(c);
    }

    private static final int MAX_WAITING = 256;
    /** Messages for peers whose connection is being made. */
    private final Map<String, java.util.List<ByteBuf>> waiting = new HashMap<>();

    void flush() {
        if (dirty.isEmpty()) {
            return;
        }
        for (Channel c : dirty) {
            c.flush();
        }
        dirty.clear();
    }

    /** The connected channel to {@code to}, or null (and a connection attempt started, if allowed). */
    private Channel channel(String to) {
        Channel c = out.get(to);
        if (c != null) {
            return c.isActive() && !waiting.containsKey(to) ? c : null;
        }
        InetSocketAddress a = addresses.getOrDefault(to, learned.get(to));
        if (a == null || closed) {
            return null;
        }
        long now = System.nanoTime();
        Long last = lastAttempt.get(to);
        if (last != null && now - last < TimeUnit.MILLISECONDS.toNanos(RECONNECT_MS)) {
            return null;
        }
        lastAttempt.put(to, now);
        Bootstrap b = new Bootstrap().group(loop).channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 1000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                            @Override
                            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                io.netty.util.ReferenceCountUtil.release(msg); // nothing comes back on this one
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                ctx.close();
                            }
                        });
                    }
                });
        waiting.put(to, new java.util.ArrayList<>());
        ChannelFuture f = b.connect(a);
        Channel ch = f.channel();
        out.put(to, ch);
        f.addListener(done -> {
            java.util.List<ByteBuf> q = waiting.remove(to);
            if (!done.isSuccess()) {
                release(q);
                if (out.get(to) == ch) {
                    out.remove(to);
                }
                return;
            }
            ch.write(RaftCodec.hello(ch.alloc(), new RaftCodec.Hello(group, self, selfHost, selfPort)), ch.voidPromise());
            if (q != null) {
                for (ByteBuf m : q) {
                    ch.write(m, ch.voidPromise());
                }
            }
            ch.flush();
            handler.connected(to);
        });
        ch.closeFuture().addListener(x -> {
            if (out.get(to) == ch) {
                out.remove(to);
                release(waiting.remove(to));
            }
            dirty.remove(ch);
            if (!closed) {
                handler.disconnected(to);
            }
        });
        return null;
    }

    private static void release(java.util.List<ByteBuf> q) {
        if (q != null) {
            for (ByteBuf b : q) {
                b.release();
            }
        }
    }

    /** Inbound connection: a hello, then messages from that peer. */
    private final class Inbound extends ChannelInboundHandlerAdapter {
        private String from;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf b = (ByteBuf) msg;
            try {
                Object m = RaftCodec.decode(b, from);
                if (from == null) {
                    if (!(m instanceof RaftCodec.Hello h) || !h.group().equals(group)) {
                        log.warn("Raft connection from {} refused: {}", ctx.channel().remoteAddress(),
                                m instanceof RaftCodec.Hello h ? "group " + h.group() + " is not " + group : "no hello");
                        ctx.close();
                        return;
                    }
                    from = h.from();
                    if (!h.host().isEmpty() && h.port() > 0) {
                        learned.put(from, new InetSocketAddress(h.host(), h.port()));
                    }
                    return;
                }
                if (m instanceof RaftMessage rm) {
                    handler.message(rm);
                }
            } catch (RuntimeException e) {
                log.warn("bad Raft message from {}: {}", from == null ? ctx.channel().remoteAddress() : from, e.toString());
                ctx.close();
            } finally {
                b.release();
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            handler.readComplete();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!(cause instanceof java.io.IOException)) {
                log.warn("Raft connection from {} failed", from, cause);
            }
            ctx.close();
        }
    }

    /** Closes every connection and the listening socket (any thread). */
    void close() {
        closed = true;
        Runnable r = () -> {
            for (Channel c : out.values()) {
                c.close();
            }
            out.clear();
            for (Channel c : new HashSet<>(inbound)) {
                c.close();
            }
            if (server != null) {
                server.close();
            }
        };
        if (loop.inEventLoop()) {
            r.run();
        } else {
            try {
                loop.submit(r).get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.debug("closing the Raft transport", e);
            }
        }
    }
}
