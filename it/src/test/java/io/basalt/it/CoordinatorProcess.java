package io.basalt.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A coordinator in its own JVM (io.basalt.coordinator.Main from this module's test classpath), so
 * tests can SIGKILL it in the middle of its work. Logs to {@code target/coordinator-<port>.log}.
 */
final class CoordinatorProcess implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final int port;
    private final List<String> args;
    private final Path log;
    private Process process;

    CoordinatorProcess(String zk, String cluster, String... extra) throws IOException {
        this.port = ServerProcess.freePort();
        this.args = new ArrayList<>(List.of("--zk", zk, "--cluster", cluster, "--http", Integer.toString(port)));
        this.args.addAll(List.of(extra));
        this.log = Path.of("target", "coordinator-" + port + ".log");
        Files.createDirectories(log.getParent());
    }

    int port() {
        return port;
    }

    CoordinatorProcess start() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx128m", "-Dlogback.configurationFile=" + ServerProcess.PROCESS_LOGGING, "-cp", System.getProperty("java.class.path"), "io.basalt.coordinator.Main"));
        cmd.addAll(args);
        process = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                get("/api/status");
                return this;
            } catch (IOException notYet) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    process.destroyForcibly();
                    throw new IOException("coordinator did not start; see " + log.toAbsolutePath());
                }
                Thread.sleep(100);
            }
        }
    }

    boolean leads() {
        try {
            return get("/api/status").contains("\"leader\" : true");
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** POSTs JSON; returns the HTTP status (the body is printed on failure). */
    int post(String path, String json) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            System.out.println("POST " + path + " " + json + " -> " + r.statusCode() + " " + r.body());
        }
        return r.statusCode();
    }

    /** Sends a POST and returns at once, without waiting for the reply. */
    void postNoWait(String path, String json) {
        HTTP.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.discarding());
    }

    void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }
}
