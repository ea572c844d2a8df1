package io.basalt.server;

import io.basalt.server.config.ServerConfig;
import io.basalt.server.net.RespServer;
import java.util.concurrent.CountDownLatch;

/** A running standalone node: storage, write path and RESP listener. Tests start it in-process. */
public final class BasaltServer implements AutoCloseable {
    private final Node node;
    private final RespServer resp;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    public BasaltServer(ServerConfig config) throws InterruptedException {
        node = new Node(config);
        try {
            resp = new RespServer(node, config.get("bind"), config.getInt("port"));
        } catch (RuntimeException | InterruptedException e) {
            node.close();
            throw e;
        }
        try {
            node.joinCluster(resp.port());
        } catch (RuntimeException e) {
            resp.close();
            node.close();
            throw e;
        }
        node.onShutdown(() -> {
            Thread t = new Thread(this::close, "basalt-shutdown");
            t.start();
        });
    }

    public int port() {
        return resp.port();
    }

    public Node node() {
        return node;
    }

    /** Blocks until the server has been closed (SHUTDOWN, Ctrl-C). */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            resp.close();
        } finally {
            node.close();
            stopped.countDown();
        }
    }
}
