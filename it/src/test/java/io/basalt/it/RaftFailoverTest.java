package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three server processes formed into one Raft group by hand ({@code --id --group --peers}), under a
 * write load: SIGKILL the leader, writes continue on the new leader; then SIGKILL every replica,
 * restart all, and every acknowledged write is there.
 */
@Timeout(180)
class RaftFailoverTest {
    private final List<Path> dirs = new ArrayList<>();
    private final List<ServerProcess> servers = new ArrayList<>();

    @AfterEach
    void cleanup() throws Exception {
        for (ServerProcess s : servers) {
            s.close();
        }
        for (Path d : dirs) {
            ServerProcess.deleteDir(d);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** A minimal RESP client: one request, one reply line (enough for SET/GET/INFO checks). */
    private static String call(int port, String... args) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            StringBuilder req = new StringBuilder("*" + args.length + "\r\n");
            for (String a : args) {
                req.append('$').append(a.getBytes(StandardCharsets.UTF_8).length).append("\r\n").append(a).append("\r\n");
            }
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            InputStream in = new BufferedInputStream(s.getInputStream());
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = in.read()) != -1 && c != '\n') {
                line.append((char) c);
            }
            String first = line.toString().trim();
            if (first.startsWith("$") && !first.equals("$-1")) {
                int n = Integer.parseInt(first.substring(1));
                byte[] body = in.readNBytes(n);
                return new String(body, StandardCharsets.UTF_8);
            }
            return first;
        } catch (IOException e) {
            return "-IO " + e.getMessage();
        }
    }

    private ServerProcess leader(long timeoutMs) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            for (ServerProcess s : servers) {
                if (s.alive() && call(s.port(), "INFO", "replication").contains("role:master")) {
                    return s;
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no leader within " + timeoutMs + " ms");
    }

    @Test
    void leaderKillAndCrashOfAllLoseNoAcknowledgedWrite() throws Exception {
        StringBuilder peers = new StringBuilder();
        for (int i = 1; i <= 3; i++) {
            Path d = Files.createTempDirectory("basalt-it-raft");
            dirs.add(d);
            ServerProcess s = new ServerProcess(d);
            servers.add(s);
            peers.append(i > 1 ? "," : "").append("n").append(i).append("=127.0.0.1:").append(freePort()).append(':').append(s.port());
        }
        for (int i = 0; i < 3; i++) {
            servers.get(i).args("--id", "n" + (i + 1), "--group", "g1", "--peers", peers.toString(),
                    "--set", "raft-election-min-ms=300", "--set", "raft-election-max-ms=600");
        }
        for (ServerProcess s : servers) {
            s.start();
        }
        List<String> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean stop = new AtomicBoolean();
        long[] lastAck = {0};
        Thread writer = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                ServerProcess l;
                try {
                    l = leader(30_000);
                } catch (InterruptedException e) {
                    return;
                }
                String key = "k:" + i;
                if ("+OK".equals(call(l.port(), "SET", key, "v" + i))) {
                    acked.add(key);
                    lastAck[0] = System.nanoTime();
                    i++;
                }
            }
        });
        writer.start();
        Thread.sleep(1_500);
        ServerProcess old = leader(10_000);
        int before = acked.size();
        long killedAt = System.nanoTime();
        old.kill();
        while (acked.size() == before) {
            Thread.sleep(10);
            assertThat(System.nanoTime() - killedAt).as("writes resume after the leader is killed").isLessThan(30_000_000_000L);
        }
        long failoverMs = (lastAck[0] - killedAt) / 1_000_000;
        System.out.println("failover: first acknowledged write " + failoverMs + " ms after SIGKILL of the leader");
        Thread.sleep(1_000);
        stop.set(true);
        writer.join();
        assertThat(acked.size()).isGreaterThan(before);

        // crash everyone, restart everyone on the same data
        for (ServerProcess s : servers) {
            if (s.alive()) {
                s.kill();
            }
        }
        for (ServerProcess s : servers) {
            s.start();
        }
        ServerProcess l = leader(30_000);
        long deadline = System.currentTimeMillis() + 30_000;
        while (!"+OK".equals(call(l.port(), "SET", "barrier", "1")) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            l = leader(30_000);
        }
        List<String> missing = new ArrayList<>();
        synchronized (acked) {
            for (String key : acked) {
                String v = call(l.port(), "GET", key);
                if (!v.equals("v" + key.substring(2))) {
                    missing.add(key + "=" + v);
                }
            }
        }
        assertThat(missing).as("acknowledged writes after a crash of every replica (%d acked)", acked.size()).isEmpty();
    }
}
