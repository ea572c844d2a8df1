package io.basalt.server.cluster;

import io.basalt.routing.cluster.ClusterMap;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries PUBLISH to every other server of the cluster, as Redis Cluster's bus does: each message
 * goes to each server in the map (every member of every group) as {@code BASALT DELIVER channel
 * message}, which that server hands to its own subscribers only. One connection and one sender
 * thread per peer, a bounded queue each: a slow or unreachable peer loses messages (pub/sub is
 * at-most-once) but never slows the publisher. Replies are read and dropped.
 */
public final class ClusterBus implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ClusterBus.class);
    static final int QUEUE = 10_000;
    private static final byte[] HEADER = "*4\r\n$6\r\nBASALT\r\n$7\r\nDELIVER\r\n".getBytes(StandardCharsets.US_ASCII);

    private final ClusterState state;
    private final Map<String, Peer> peers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public ClusterBus(ClusterState state) {
        this.state = state;
    }

    /** Queues {@code message} for every other server of the current map. */
    public void publish(byte[] channel, byte[] message) {
        ClusterMap map = state.map();
        if (map == null || closed) {
            return;
        }
        Set<String> seen = new HashSet<>();
        for (ClusterMap.Group g : map.groups().values()) {
            for (ClusterMap.Member m : g.members()) {
                if (m.serverId().equals(state.serverId()) || !seen.add(m.respAddress())) {
                    continue;
                }
                Peer p = peers.computeIfAbsent(m.respAddress(), a -> new Peer(m.host(), m.respPort()));
                if (!p.queue.offer(new byte[][] {channel, message})) {
                    p.dropped++;
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        for (Peer p : peers.values()) {
            p.thread.interrupt();
        }
    }

    private final class Peer implements Runnable {
        final String host;
        final int port;
        final BlockingQueue<byte[][]> queue = new ArrayBlockingQueue<>(QUEUE);
        final Thread thread;
        volatile long dropped;

        Peer(String host, int port) {
            this.host = host;
            this.port = port;
            thread = new Thread(this, "basalt-bus-" + host + ":" + port);
            thread.setDaemon(true);
            thread.start();
        }

        @Override
        public void run() {
            while (!closed) {
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(host, port), 2_000);
                    s.setTcpNoDelay(true);
                    OutputStream out = new BufferedOutputStream(s.getOutputStream(), 64 * 1024);
                    InputStream in = s.getInputStream();
                    Thread drain = new Thread(() -> {
                        byte[] buf = new byte[8192];
                        try {
                            while (in.read(buf) >= 0) {
                                // replies (":n") are not needed
                            }
                        } catch (IOException e) {
                            // connection gone: the sender notices on its next write
                        }
                    }, "basalt-bus-replies");
                    drain.setDaemon(true);
                    drain.start();
                    while (!closed) {
                        byte[][] m = queue.poll(1, TimeUnit.SECONDS);
                        if (m == null) {
                            continue;
                        }
                        write(out, m);
                        byte[][] more;
                        while ((more = queue.poll()) != null) {
                            write(out, more); // a burst goes out in one flush
                        }
                        out.flush();
                    }
                } catch (InterruptedException e) {
                    return;
                } catch (IOException e) {
                    log.debug("cluster bus to {}:{}: {}", host, port, e.toString());
                    try {
                        Thread.sleep(500);
                    } catch (InterruptedException ie) {
                        return;
                    }
                }
            }
        }

        private void write(OutputStream out, byte[][] m) throws IOException {
            out.write(HEADER);
            bulk(out, m[0]);
            bulk(out, m[1]);
        }

        private void bulk(OutputStream out, byte[] b) throws IOException {
            out.write(('$' + Integer.toString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(b);
            out.write('\r');
            out.write('\n');
        }
    }
}
