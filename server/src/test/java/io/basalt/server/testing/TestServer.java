package io.basalt.server.testing;

import io.basalt.server.BasaltServer;
import io.basalt.server.config.ServerConfig;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import redis.clients.jedis.Jedis;

/**
 * A real Basalt server on an ephemeral loopback port with its own RocksDB directory, plus the real
 * clients tests drive it with. Use one per test class ({@code @BeforeAll}/{@code @AfterAll}), and
 * {@link #flush} between tests.
 */
public final class TestServer implements AutoCloseable {
    private final Path dir;
    private final BasaltServer server;
    private RedisClient lettuce;
    private StatefulRedisConnection<String, String> connection;

    public TestServer() {
        this(Map.of());
    }

    public TestServer(Map<String, String> settings) {
        this(newDir(), settings);
    }

    /** Starts on an existing directory (restart tests). */
    public TestServer(Path dir, Map<String, String> settings) {
        this.dir = dir;
        ServerConfig cfg = new ServerConfig();
        cfg.setInitial("port", "0");
        cfg.setInitial("dir", dir.toString());
        cfg.setInitial("rocksdb-block-cache-size", "16mb");
        cfg.setInitial("rocksdb-write-buffer-size", "4mb");
        settings.forEach(cfg::setInitial);
        try {
            server = new BasaltServer(cfg);
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Path newDir() {
        try {
            return Files.createTempDirectory("basalt-test");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.port();
    }

    public Path dir() {
        return dir;
    }

    public BasaltServer server() {
        return server;
    }

    /** A shared Lettuce sync connection (RESP2 unless a test says HELLO 3 on its own connection). */
    public synchronized RedisCommands<String, String> lettuce() {
        if (connection == null) {
            connection = lettuceClient().connect();
        }
        return connection.sync();
    }

    public synchronized RedisClient lettuceClient() {
        if (lettuce == null) {
            RedisURI uri = RedisURI.builder().withHost("127.0.0.1").withPort(port()).withTimeout(Duration.ofSeconds(10)).build();
            lettuce = RedisClient.create(uri);
        }
        return lettuce;
    }

    /** A new Jedis connection; close it. */
    public Jedis jedis() {
        return new Jedis("127.0.0.1", port(), 10_000);
    }

    /** A raw socket for protocol-level tests. */
    public RawClient raw() throws IOException {
        return new RawClient(new Socket("127.0.0.1", port()));
    }

    public void flush() {
        lettuce().flushall();
    }

    /** Stops the server but keeps its data directory (restart tests). */
    public void stop() {
        if (connection != null) {
            connection.close();
            connection = null;
        }
        if (lettuce != null) {
            lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            lettuce = null;
        }
        server.close();
    }

    @Override
    public void close() {
        stop();
        deleteDir(dir);
    }

    public static void deleteDir(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }

    /** Sends raw bytes and reads raw replies. */
    public static final class RawClient implements AutoCloseable {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        RawClient(Socket socket) throws IOException {
            this.socket = socket;
            socket.setSoTimeout(10_000);
            this.in = socket.getInputStream();
            this.out = socket.getOutputStream();
        }

        public RawClient send(String s) throws IOException {
            return send(s.getBytes(StandardCharsets.UTF_8));
        }

        public RawClient send(byte[] b) throws IOException {
            out.write(b);
            out.flush();
            return this;
        }

        /** Reads until {@code n} bytes arrived or the peer closed; returns what was read. */
        public String read(int n) throws IOException {
            byte[] buf = new byte[n];
            int got = 0;
            while (got < n) {
                int r = in.read(buf, got, n - got);
                if (r < 0) {
                    break;
                }
                got += r;
            }
            return new String(buf, 0, got, StandardCharsets.UTF_8);
        }

        /** Reads one CRLF-terminated line (without the CRLF), or null at end of stream. */
        public String readLine() throws IOException {
            StringBuilder sb = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                if (c == '\r') {
                    int n = in.read();
                    if (n == '\n') {
                        return sb.toString();
                    }
                    sb.append((char) c);
                    if (n < 0) {
                        break;
                    }
                    sb.append((char) n);
                    continue;
                }
                sb.append((char) c);
            }
            return sb.length() == 0 ? null : sb.toString();
        }

        /** True when the server has closed the connection (read returns end of stream). */
        public boolean closedByPeer() throws IOException {
            try {
                return in.read() < 0;
            } catch (java.net.SocketException e) {
                return true;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
