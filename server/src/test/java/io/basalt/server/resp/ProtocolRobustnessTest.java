package io.basalt.server.resp;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Malformed input gets Redis's protocol error and loses only its own connection: a bystander client
 * connected the whole time keeps working and its data stays intact.
 */
class ProtocolRobustnessTest {
    static TestServer server;
    static RespConnection bystander;

    @BeforeAll
    static void start() throws Exception {
        server = new TestServer(Map.of("client-query-buffer-limit", "1mb"));
        bystander = new RespConnection(server.port());
        bystander.call("SET survivor alive");
    }

    @AfterAll
    static void stop() throws Exception {
        bystander.close();
        server.close();
    }

    private static void bystanderStillWorks() throws Exception {
        assertThat(bystander.call("PING")).isEqualTo("+PONG\r\n");
        assertThat(bystander.call("GET survivor")).isEqualTo("$5\r\nalive\r\n");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "*abc\\r\\n|invalid multibulk length",
        "*3000000000\\r\\n|invalid multibulk length",
        "*1\\r\\n+foo\\r\\n|expected '$', got '+'",
        "*1\\r\\n$-5\\r\\n|invalid bulk length",
        "*1\\r\\n$abc\\r\\n|invalid bulk length",
        "*1\\r\\n$999999999999\\r\\n|invalid bulk length",
        "SET \"a b\\r\\n|unbalanced quotes in request",
        "SET 'a\\r\\n|unbalanced quotes in request",
        "SET \"a\"b c\\r\\n|unbalanced quotes in request",
    })
    void malformedFramesGetRedisErrorAndClose(String frame, String error) throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send(frame.replace("\\r\\n", "\r\n"));
            assertThat(c.readLine()).isEqualTo("-ERR Protocol error: " + error);
            assertThat(c.closedByPeer()).isTrue();
        }
        bystanderStillWorks();
    }

    @Test
    void repliesBeforeTheBadFrameStillArrive() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send("PING\r\nSET k v\r\n*1\r\n!bad\r\n");
            assertThat(c.readLine()).isEqualTo("+PONG");
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readLine()).isEqualTo("-ERR Protocol error: expected '$', got '!'");
            assertThat(c.closedByPeer()).isTrue();
        }
        bystanderStillWorks();
    }

    @Test
    void emptyAndNegativeMultibulksAndBlankLinesAreIgnored() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send("*-1\r\n*0\r\n\r\n   \r\nPING\r\n");
            assertThat(c.readLine()).isEqualTo("+PONG");
        }
    }

    @Test
    void tooBigInlineRequest() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send("a".repeat(70 * 1024));
            assertThat(c.readLine()).isEqualTo("-ERR Protocol error: too big inline request");
            assertThat(c.closedByPeer()).isTrue();
        }
        bystanderStillWorks();
    }

    @Test
    void oneMegabyteOfGarbage() throws Exception {
        byte[] garbage = new byte[1 << 20];
        new Random(42).nextBytes(garbage);
        garbage[0] = '*'; // make it look like a frame
        try (TestServer.RawClient c = server.raw()) {
            try {
                c.send(garbage);
            } catch (java.io.IOException closedEarly) {
                // the server may close before we finish writing
            }
            String line = c.readLine();
            assertThat(line == null || line.startsWith("-ERR Protocol error")).isTrue();
        }
        bystanderStillWorks();
    }

    @Test
    void queryBufferLimitClosesWithoutReply() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send("*2\r\n$3\r\nGET\r\n$" + (2 << 20) + "\r\n");
            byte[] chunk = new byte[64 * 1024];
            try {
                for (int i = 0; i < 24; i++) {
                    c.send(chunk);
                }
            } catch (java.io.IOException closed) {
                // expected once the limit is crossed
            }
            assertThat(c.closedByPeer()).isTrue();
        }
        bystanderStillWorks();
    }

    @Test
    void frameSplitByteByByteStillParses() throws Exception {
        byte[] frame = "*3\r\n$3\r\nSET\r\n$5\r\nsplit\r\n$4\r\nbyte\r\n*2\r\n$3\r\nGET\r\n$5\r\nsplit\r\n".getBytes(StandardCharsets.US_ASCII);
        try (TestServer.RawClient c = server.raw()) {
            for (byte b : frame) {
                c.send(new byte[] {b});
            }
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readLine()).isEqualTo("$4");
            assertThat(c.readLine()).isEqualTo("byte");
        }
    }

    @Test
    void tenThousandPipelinedCommandsInOneWrite() throws Exception {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            sb.append("*2\r\n$4\r\nECHO\r\n$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
        }
        try (TestServer.RawClient c = server.raw()) {
            c.send(sb.toString());
            for (int i = 0; i < 10_000; i++) {
                assertThat(c.readLine()).isEqualTo("$" + Integer.toString(i).length());
                assertThat(c.readLine()).isEqualTo(Integer.toString(i));
            }
        }
    }

    @Test
    void inlineCommandsWithQuotes() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send("SET inl \"x y\\x41\\n\"\r\nGET inl\r\nSET q 'it\\'s'\r\nGET q\r\n");
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readLine()).isEqualTo("$5");
            assertThat(c.read(7)).isEqualTo("x yA\n\r\n");
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.readLine()).isEqualTo("$4");
            assertThat(c.readLine()).isEqualTo("it's");
        }
    }

    @Test
    void unauthenticatedClientsMaySendOnlySmallRequests() throws Exception {
        try (TestServer secured = new TestServer(Map.of("requirepass", "pw")); TestServer.RawClient c = secured.raw()) {
            c.send("*11\r\n");
            assertThat(c.readLine()).isEqualTo("-ERR Protocol error: invalid multibulk length");
        }
    }

    @Test
    void splitArgsEdgeCases() {
        assertThat(split("a  b\tc")).containsExactly("a", "b", "c");
        assertThat(split("\"\\x41\\x4a\" '\\'x' \"\\\"\"")).containsExactly("AJ", "'x", "\"");
        assertThat(split("\"a\\tb\"")).containsExactly("a\tb");
        assertThat(split("\"\"")).containsExactly("");
        assertThat(RespDecoder.splitArgs("\"abc".getBytes(StandardCharsets.US_ASCII))).isNull();
        assertThat(RespDecoder.splitArgs("'abc'x".getBytes(StandardCharsets.US_ASCII))).isNull();
    }

    private static List<String> split(String s) {
        return RespDecoder.splitArgs(s.getBytes(StandardCharsets.UTF_8)).stream()
                .map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    }
}
