package io.basalt.server.write;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.resp.Reply;
import io.basalt.server.resp.ReplyCodec;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * BASALT SESSION: a client that numbers its commands can re-send them after a reconnect and every
 * write applies once, the repeat answered with the first reply — what Lettuce's re-sending of
 * unanswered commands needs to be safe for INCR, LPUSH and the like.
 */
@Timeout(60)
class SessionDedupTest {

    @Test
    void repliesSurviveTheStoredForm() {
        List<Reply> replies = List.of(Reply.OK, Reply.error("WRONGTYPE Operation against a key holding the wrong kind of value"),
                new Reply.Int(-7), Reply.bulk("v\r\n"), Reply.NULL, Reply.NULL_ARRAY,
                new Reply.Array(List.of(Reply.bulk("a"), new Reply.Array(List.of(new Reply.Int(1))), Reply.NULL)),
                new Reply.MapReply(List.of(Reply.bulk("k"), new Reply.DoubleReply(1.5))), new Reply.Bool(true),
                new Reply.DoubleText("inf"), new Reply.Verbatim("txt", "x".getBytes()),
                new Reply.SetReply(List.of(Reply.bulk("m"))), new Reply.Pairs(List.of(Reply.bulk("m"), new Reply.DoubleReply(2))));
        for (Reply r : replies) {
            assertThat(ReplyCodec.encode(ReplyCodec.decode(ReplyCodec.encode(r)))).isEqualTo(ReplyCodec.encode(r));
            for (int proto = 2; proto <= 3; proto++) {
                assertThat(wire(ReplyCodec.decode(ReplyCodec.encode(r)), proto)).isEqualTo(wire(r, proto));
            }
        }
    }

    private static String wire(Reply r, int proto) {
        io.netty.buffer.ByteBuf b = io.netty.buffer.Unpooled.buffer();
        io.basalt.server.resp.RespWriter.write(r, b, proto);
        return b.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    @Test
    void aRetriedWriteAppliesOnceAndGetsTheFirstReply() throws Exception {
        try (TestServer server = new TestServer()) {
            try (RespConnection c = new RespConnection(server.port())) {
                assertThat(c.call("BASALT SESSION app-1 10")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":1\r\n"); // 10
                assertThat(c.call("GET n")).isEqualTo("$1\r\n1\r\n"); // 11 (a read: numbered, not stored)
                assertThat(c.call("RPUSH l a")).isEqualTo(":1\r\n"); // 12
                assertThat(c.call("INCR n")).isEqualTo(":2\r\n"); // 13
                assertThat(c.call("SET s x")).isEqualTo("+OK\r\n"); // 14
            }
            // the connection dropped before the client saw the replies of 12..14: it re-sends them
            try (RespConnection c = new RespConnection(server.port())) {
                assertThat(c.call("BASALT SESSION app-1 12")).isEqualTo("+OK\r\n");
                assertThat(c.call("RPUSH l a")).isEqualTo(":1\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":2\r\n");
                assertThat(c.call("SET s x")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":3\r\n"); // 15: new
                assertThat(c.call("LLEN l")).isEqualTo(":1\r\n");
                // an error reply is remembered as well
                assertThat(c.call("INCR s")).isEqualTo("-ERR value is not an integer or out of range\r\n"); // 17
            }
            try (RespConnection c = new RespConnection(server.port())) {
                c.call("HELLO 3");
                assertThat(c.call("BASALT SESSION app-1 15")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":3\r\n");
                c.call("PING"); // 16
                assertThat(c.call("INCR s")).isEqualTo("-ERR value is not an integer or out of range\r\n");
                // MULTI/EXEC: the EXEC is the write
                assertThat(c.call("MULTI")).isEqualTo("+OK\r\n"); // 18
                assertThat(c.call("INCR n")).isEqualTo("+QUEUED\r\n"); // 19
                assertThat(c.call("LPUSH l b")).isEqualTo("+QUEUED\r\n"); // 20
                assertThat(c.call("EXEC")).isEqualTo("*2\r\n:4\r\n:2\r\n"); // 21
            }
            try (RespConnection c = new RespConnection(server.port())) {
                assertThat(c.call("BASALT SESSION app-1 18")).isEqualTo("+OK\r\n");
                c.call("MULTI");
                c.call("INCR n");
                c.call("LPUSH l b");
                assertThat(c.call("EXEC")).isEqualTo("*2\r\n:4\r\n:2\r\n");
                // another session is independent; numbering off applies every time
                assertThat(c.call("BASALT SESSION other 12")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":5\r\n");
                assertThat(c.call("BASALT SESSION OFF")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":6\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":7\r\n");
                assertThat(c.call("BASALT SESSION bad:id 1")).startsWith("-ERR session id must be");
                assertThat(c.call("BASALT SESSION x -1")).isEqualTo("-ERR value is out of range, must be positive\r\n");
                assertThat(c.call("BASALT SESSION x")).isEqualTo("-ERR syntax error\r\n");
                assertThat(c.call("MULTI")).isEqualTo("+OK\r\n");
                assertThat(c.call("BASALT SESSION y 1")).isEqualTo("-ERR Command not allowed inside a transaction\r\n");
                assertThat(c.call("DISCARD")).isEqualTo("+OK\r\n");
            }
        }
    }

    @Test
    void numbersBeyondTheWindowAreRefusedNotReapplied() throws Exception {
        try (TestServer server = new TestServer()) {
            try (RespConnection c = new RespConnection(server.port())) {
                assertThat(c.call("BASALT SESSION w 1")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":1\r\n");
                assertThat(c.call("BASALT SESSION w " + (2 + io.basalt.server.write.Applier.SESSION_WINDOW))).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":2\r\n");
                assertThat(c.call("BASALT SESSION w 1")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).startsWith("-ERR session w command number 1 is too old");
                assertThat(c.call("GET n")).isEqualTo("$1\r\n2\r\n");
            }
        }
    }

    @Test
    void idleSessionsAreForgottenThroughTheLog() throws Exception {
        try (TestServer server = new TestServer(java.util.Map.of("session-idle-timeout", "1"))) {
            try (RespConnection c = new RespConnection(server.port())) {
                assertThat(c.call("BASALT SESSION idle 1")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":1\r\n");
            }
            try (RespConnection c = new RespConnection(server.port())) {
                assertThat(c.call("BASALT SESSION idle 1")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":1\r\n"); // still remembered
            }
            // idle longer than the timeout: the sweep drops the session's records, so the same
            // number is a new write again (documented: dedup lasts session-idle-timeout)
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).pollInterval(java.time.Duration.ofMillis(200))
                    .until(() -> {
                        try (var ks = server.server().node().store().reader(System.currentTimeMillis())) {
                            return ks.records(Applier.SESSION_LAST).isEmpty() && ks.records(Applier.SESSION_REPLIES).isEmpty();
                        }
                    });
            try (RespConnection c = new RespConnection(server.port())) {
                assertThat(c.call("BASALT SESSION idle 1")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR n")).isEqualTo(":2\r\n");
            }
        }
    }
}
