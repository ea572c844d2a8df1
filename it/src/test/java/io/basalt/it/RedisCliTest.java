package io.basalt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The stock redis-cli against a server process: commands, pipe mode, SCAN iteration. */
@Timeout(120)
class RedisCliTest {
    static Path dir;
    static ServerProcess server;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/redis-cli")), "redis-cli not installed");
        dir = Files.createTempDirectory("basalt-it-cli");
        server = new ServerProcess(dir).start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
            ServerProcess.deleteDir(dir);
        }
    }

    private static String cli(String input, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("redis-cli", "-p", Integer.toString(server.port())));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        if (input != null) {
            p.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void basicCommands() throws Exception {
        assertThat(cli(null, "set", "greeting", "hello")).isEqualTo("OK\n");
        assertThat(cli(null, "get", "greeting")).isEqualTo("hello\n");
        assertThat(cli(null, "expire", "greeting", "100")).isEqualTo("1\n");
        assertThat(cli(null, "ttl", "greeting")).isIn("100\n", "99\n");
        assertThat(cli(null, "get", "nope")).isEqualTo("\n");
        assertThat(cli(null, "nosuchcommand")).startsWith("ERR unknown command 'nosuchcommand'");
        assertThat(cli(null, "-3", "hello", "3")).contains("proto").contains("standalone");
    }

    @Test
    void pipeModeAndScan() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 1000; i++) {
            String k = "pipe:" + i;
            sb.append("*3\r\n$3\r\nSET\r\n$").append(k.length()).append("\r\n").append(k).append("\r\n$1\r\nv\r\n");
        }
        String out = cli(sb.toString(), "--pipe");
        assertThat(out).contains("errors: 0, replies: 1000");
        String scanned = cli(null, "--scan", "--pattern", "pipe:*");
        assertThat(scanned.lines().distinct().count()).isEqualTo(1000);
    }
}
