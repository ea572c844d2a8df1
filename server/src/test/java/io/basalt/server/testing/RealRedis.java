package io.basalt.server.testing;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real {@code redis-server} child process on a free loopback port, for same-run comparisons.
 * {@link #available()} is false when redis-server is not installed (tests then skip; CI installs it).
 */
public final class RealRedis implements AutoCloseable {
    private final Process process;
    private final int port;

    public static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, "redis-server"))) {
                return true;
            }
        }
        return false;
    }

    public RealRedis() throws IOException, InterruptedException {
        this(new String[0]);
    }

    /** With extra command-line settings ({@code "--cluster-enabled", "yes"}, …). */
    public RealRedis(String... extraArgs) throws IOException, InterruptedException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("redis-server", "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--databases", "1"));
        cmd.addAll(java.util.List.of(extraArgs));
        process = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (true) {
            try (Socket probe = new Socket("127.0.0.1", port)) {
                return;
            } catch (IOException e) {
                if (System.nanoTime() > deadline || !process.isAlive()) {
                    process.destroyForcibly();
                    throw new IOException("redis-server did not start on port " + port);
                }
                Thread.sleep(50);
            }
        }
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
