package io.basalt.server.net;

import io.basalt.server.Node;
import io.basalt.server.dispatch.Dispatcher;
import io.basalt.server.resp.RespDecoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RESP listener: Netty with native epoll when available, one pipeline per client. */
public final class RespServer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RespServer.class);

    private final Node node;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    public RespServer(Node node, String host, int port) throws InterruptedException {
        this.node = node;
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory io = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channelClass = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        boss = new MultiThreadIoEventLoopGroup(1, io);
        int threads = node.config().getInt("io-threads");
        workers = new MultiThreadIoEventLoopGroup(threads > 0 ? threads : Runtime.getRuntime().availableProcessors(), io);
        Dispatcher dispatcher = new Dispatcher(node);
        ServerBootstrap b = new ServerBootstrap()
                .group(boss, workers)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 511)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(1 << 20, 8 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ConnectionHandler handler = new ConnectionHandler(node, dispatcher);
                        ch.pipeline()
                                .addLast("bytes-in", new InputCounter(node))
                                .addLast("resp", new RespDecoder(
                                        () -> node.config().getLong("proto-max-bulk-len"),
                                        () -> node.config().getLong("client-query-buffer-limit"),
                                        handler::authRequired))
                                .addLast("client", handler);
                    }
                });
        channel = b.bind(new InetSocketAddress(host, port)).sync().channel();
        log.info("RESP listening on {} ({})", channel.localAddress(), epoll ? "epoll" : "nio");
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static final class InputCounter extends ChannelInboundHandlerAdapter {
        private final Node node;

        InputCounter(Node node) {
            this.node = node;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b) {
                node.stats().netInputBytes.add(b.readableBytes());
            }
            ctx.fireChannelRead(msg);
        }
    }
}
