package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.protocol.ProtocolVersion;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Connection commands: handshake, auth, client management, reply modes, MONITOR. */
class ConnectionCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start();
        server = diff.server();
    }

    @AfterAll
    static void stop() throws Exception {
        diff.close();
    }

    @BeforeEach
    void clean() {
        server.flush();
    }

    @Test
    void simpleCommandsMatchRedis() throws Exception {
        diff.require();
        diff.same("PING", "PING hello", "PING a b", "ECHO x", "ECHO", "SELECT 0", "SELECT 1", "SELECT x", "SELECT -1",
                "AUTH pw", "AUTH default anything", "AUTH someone pw", "HELLO 4", "HELLO x", "HELLO 2 FOO",
                "CLIENT SETNAME \"a b\"", "CLIENT SETNAME ok-name", "CLIENT GETNAME", "CLIENT SETNAME \"\"", "CLIENT GETNAME",
                "CLIENT REPLY MAYBE", "CLIENT NO-EVICT maybe", "CLIENT NO-EVICT on", "CLIENT NO-EVICT off",
                "CLIENT KILL 1.2.3.4:5", "CLIENT KILL ID 0", "CLIENT KILL TYPE nope x", "CLIENT KILL ID",
                "CLIENT FOO", "CLIENT", "CLIENT LIST TYPE nope", "CLIENT KILL ID 999999", "RESET");
    }

    @Test
    void resp3HelloOverRawSocket() throws Exception {
        try (RespConnection c = new RespConnection(server.port())) {
            String hello = c.call("HELLO 3");
            assertThat(hello).startsWith("%7\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:3\r\n");
            assertThat(hello).contains("$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n");
            assertThat(c.call("GET nope")).isEqualTo("_\r\n");
            assertThat(c.call("CONFIG GET maxclients")).isEqualTo("%1\r\n$10\r\nmaxclients\r\n$5\r\n10000\r\n");
            assertThat(c.call("HELLO 2")).startsWith("*14\r\n");
            assertThat(c.call("GET nope")).isEqualTo("$-1\r\n");
        }
    }

    @Test
    void lettuceWorksWithResp3AndResp2() {
        for (ProtocolVersion v : ProtocolVersion.values()) {
            RedisClient client = RedisClient.create(RedisURI.create("redis://127.0.0.1:" + server.port()));
            client.setOptions(ClientOptions.builder().protocolVersion(v).build());
            try (StatefulRedisConnection<String, String> c = client.connect()) {
                c.sync().set("k-" + v, "v");
                assertThat(c.sync().get("k-" + v)).isEqualTo("v");
                assertThat(c.sync().clientGetname()).isNull();
                String info = c.sync().clientInfo();
                assertThat(info).contains("resp=" + (v == ProtocolVersion.RESP3 ? 3 : 2)).contains("lib-name=Lettuce");
            } finally {
                client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void requirepassGuardsEveryCommandButAuthAndHello() throws Exception {
        try (TestServer secured = new TestServer(Map.of("requirepass", "secret")); RespConnection c = new RespConnection(secured.port())) {
            assertThat(c.call("GET k")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("HELLO 3")).startsWith("-NOAUTH HELLO must be called with the client already authenticated");
            assertThat(c.call("AUTH wrong")).isEqualTo("-WRONGPASS invalid username-password pair or user is disabled.\r\n");
            assertThat(c.call("AUTH secret")).isEqualTo("+OK\r\n");
            assertThat(c.call("SET k v")).isEqualTo("+OK\r\n");
            assertThat(c.call("RESET")).isEqualTo("+RESET\r\n");
            assertThat(c.call("GET k")).isEqualTo("-NOAUTH Authentication required.\r\n");
            assertThat(c.call("HELLO 3 AUTH default secret SETNAME app")).startsWith("%7\r\n");
            assertThat(c.call("CLIENT GETNAME")).isEqualTo("$3\r\napp\r\n");
            RedisClient lettuce = RedisClient.create(RedisURI.builder().withHost("127.0.0.1").withPort(secured.port())
                    .withPassword("secret".toCharArray()).build());
            try (var conn = lettuce.connect()) {
                assertThat(conn.sync().get("k")).isEqualTo("v");
            } finally {
                lettuce.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            }
        }
    }

    @Test
    void clientKillClosesTheOtherConnection() throws Exception {
        try (RespConnection a = new RespConnection(server.port()); RespConnection b = new RespConnection(server.port())) {
            String id = a.call("CLIENT ID").substring(1).trim();
            assertThat(b.call("CLIENT KILL ID " + id)).isEqualTo(":1\r\n");
            // the victim's socket reaches end-of-stream (the close is asynchronous, so read, don't send)
            assertThatThrownBy(a::readReply).isInstanceOf(java.io.IOException.class);
            assertThat(b.call("PING")).isEqualTo("+PONG\r\n");
            assertThat(b.call("CLIENT KILL ID 999999 SKIPME yes")).isEqualTo(":0\r\n");
            // the victim leaves the list once its connection has closed on the server side (asynchronous)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> !b.call("CLIENT LIST").contains("id=" + id + " "));
            assertThat(b.call("CLIENT LIST")).contains("cmd=client|list");
        }
    }

    @Test
    void clientReplyModes() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send("CLIENT REPLY OFF\r\nSET a 1\r\nCLIENT REPLY ON\r\nGET a\r\nCLIENT REPLY SKIP\r\nGET a\r\nECHO last\r\n");
            assertThat(c.readLine()).isEqualTo("+OK"); // the reply to CLIENT REPLY ON
            assertThat(c.readLine()).isEqualTo("$1");
            assertThat(c.readLine()).isEqualTo("1");
            assertThat(c.readLine()).isEqualTo("$4"); // GET after SKIP was skipped
            assertThat(c.readLine()).isEqualTo("last");
        }
    }

    @Test
    void quitClosesAfterReplying() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            c.send("QUIT\r\nPING\r\n");
            assertThat(c.readLine()).isEqualTo("+OK");
            assertThat(c.closedByPeer()).isTrue();
        }
    }

    @Test
    void monitorStreamsOtherClientsCommands() throws Exception {
        try (TestServer.RawClient m = server.raw(); RespConnection other = new RespConnection(server.port())) {
            m.send("MONITOR\r\n");
            assertThat(m.readLine()).isEqualTo("+OK");
            other.call("SET \"k 1\" v");
            String line = m.readLine();
            assertThat(line).matches("\\+\\d+\\.\\d{6} \\[0 127\\.0\\.0\\.1:\\d+\\] \"SET\" \"k 1\" \"v\"");
        }
    }

    @Test
    void pipelinedRepliesComeInOrder() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 500; i++) {
                sb.append("ECHO ").append(i).append("\r\n");
                sb.append("INCR n\r\n");
            }
            c.send(sb.toString());
            for (int i = 0; i < 500; i++) {
                c.readLine();
                assertThat(c.readLine()).isEqualTo(Integer.toString(i));
                assertThat(c.readLine()).isEqualTo(":" + (i + 1));
            }
        }
        await().until(() -> true);
    }
}
