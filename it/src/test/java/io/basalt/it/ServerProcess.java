package io.basalt.it;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Basalt server in its own JVM, started from this module's test classpath, on a free loopback
 * port with its own data directory. Can be stopped cleanly (SIGTERM → shutdown hook) or killed with
 * SIGKILL, and restarted on the same directory.
 */
final class ServerProcess implements AutoCloseable {
    private final Path dir;
    private final Path log;
    private final int port;
    private Process process;
    private final List<String> extraArgs = new ArrayList<>();
    private final List<String> prefix = new ArrayList<>();
    private String host = "127.0.0.1";

    ServerProcess(Path dir) throws IOException {
        this(dir, freePort(), null);
    }

    /**
     * A server on a given RESP port, logging to {@code target/server-<logName>.log} (default: the
     * port) — for servers in their own network namespaces, where ports need not be unique.
     */
    ServerProcess(Path dir, int port, String logName) throws IOException {
        this.dir = dir;
        this.port = port;
        this.log = Path.of("target", "server-" + (logName == null ? Integer.toString(port) : logName) + ".log");
        Files.createDirectories(log.getParent());
    }

    /** Logging of the processes tests start (their own lifecycle at INFO, into their log files). */
    static final String PROCESS_LOGGING = String.valueOf(ServerProcess.class.getResource("/logback-process.xml"));

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Runs the JVM under a command prefix (e.g. {@code ip netns exec NS}, which execs the JVM, so
     * the process's pid is the JVM's) and reaches it at {@code host} (readiness probe).
     */
    ServerProcess under(String host, String... commandPrefix) {
        this.host = host;
        prefix.clear();
        prefix.addAll(List.of(commandPrefix));
        return this;
    }

    String host() {
        return host;
    }

    Path log() {
        return log;
    }

    /** Extra command-line arguments for every start (e.g. --id/--group/--peers). */
    ServerProcess args(String... args) {
        extraArgs.addAll(List.of(args));
        return this;
    }

    int port() {
        return port;
    }

    Path dir() {
        return dir;
    }

    long pid() {
        return process.pid();
    }

    ServerProcess start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dlogback.configurationFile=" + ServerProcess.PROCESS_LOGGING,
                "-Dbasalt.applyTrace=" + System.getProperty("basalt.applyTrace", "INFO"), "-cp", System.getProperty("java.class.path"), "io.basalt.server.Main",
                "--port", Integer.toString(port), "--dir", dir.toString(),
                "--set", "rocksdb-block-cache-size=16mb", "--set", "rocksdb-write-buffer-size=8mb"));
        cmd.addAll(extraArgs);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket probe = new Socket(host, port)) {
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IOException("server exited with " + process.exitValue() + "; see " + log.toAbsolutePath());
                }
                if (System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("server did not listen within 30 s; see " + log.toAbsolutePath());
                }
                Thread.sleep(100);
            }
        }
    }

    /** SIGTERM: the shutdown hook closes RocksDB cleanly. Returns the exit code. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IllegalStateException("server did not stop within 30 s");
        }
        return process.exitValue();
    }

    /** SIGKILL: no shutdown hook, no flush. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    boolean alive() {
        return process != null && process.isAlive();
    }

    int waitForExit(long seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new IllegalStateException("server still running after " + seconds + " s");
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (alive()) {
            kill();
        }
    }

    static void deleteDir(Path dir) {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
