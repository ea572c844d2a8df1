package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pub/sub against a real Redis (confirmations, RESP2 subscribed mode) and with Lettuce and redis-cli subscribers. */
class PubSubCommandsTest {
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

    /** Runs the same lines on fresh connections to both servers (subscribed mode is per connection). */
    private static void same(String... lines) throws Exception {
        diff.require();
        try (RespConnection r = new RespConnection(diff.redisPort()); RespConnection b = new RespConnection(server.port())) {
            for (String line : lines) {
                assertThat(b.call(line)).as("reply to: %s", line).isEqualTo(r.call(line));
            }
        }
    }

    @Test
    void subscribeConfirmationsAndSubscribedModeMatchRedis() throws Exception {
        same("SUBSCRIBE a b a", "PSUBSCRIBE n* a?", "GET x", "PING", "PING hello", "UNSUBSCRIBE b nope", "PUNSUBSCRIBE a?",
                "PUNSUBSCRIBE", "UNSUBSCRIBE", "PING", "GET x");
        same("UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE", "SSUBSCRIBE s1", "SUBSCRIBE c", "SUNSUBSCRIBE", "RESET", "PING");
        same("PUBSUB NUMPAT", "PUBSUB CHANNELS", "PUBSUB NUMSUB a b", "PUBSUB SHARDNUMSUB s", "PUBSUB SHARDCHANNELS *",
                "PUBSUB HELP", "PUBSUB CHANNELS a b", "PUBLISH nobody hears", "SPUBLISH nobody hears", "MULTI", "SUBSCRIBE x", "EXEC");
    }

    @Test
    void resp3SubscribeUsesPushesAndAllowsCommands() throws Exception {
        diff.require();
        try (RespConnection r = new RespConnection(diff.redisPort()); RespConnection b = new RespConnection(server.port())) {
            r.call("HELLO 3");
            b.call("HELLO 3");
            for (String line : List.of("SUBSCRIBE a", "PSUBSCRIBE p*", "GET x", "PING", "UNSUBSCRIBE a")) {
                assertThat(b.call(line)).as("reply to: %s", line).isEqualTo(r.call(line));
            }
        }
    }

    @Test
    void messagesReachChannelPatternAndShardSubscribers() throws Exception {
        try (RespConnection sub = new RespConnection(server.port()); RespConnection pub = new RespConnection(server.port())) {
            assertThat(sub.call("SUBSCRIBE news")).isEqualTo("*3\r\n$9\r\nsubscribe\r\n$4\r\nnews\r\n:1\r\n");
            assertThat(sub.call("PSUBSCRIBE ne*")).contains("psubscribe");
            sub.call("SSUBSCRIBE shard");
            assertThat(pub.call("CLIENT LIST")).contains("flags=P db=0 sub=1 psub=1 ssub=1 multi=-1");
            assertThat(pub.call("PUBLISH news hello")).isEqualTo(":2\r\n");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
            assertThat(sub.readReply()).isEqualTo("*4\r\n$8\r\npmessage\r\n$3\r\nne*\r\n$4\r\nnews\r\n$5\r\nhello\r\n");
            assertThat(pub.call("PUBSUB NUMSUB news other")).isEqualTo("*4\r\n$4\r\nnews\r\n:1\r\n$5\r\nother\r\n:0\r\n");
            assertThat(pub.call("PUBSUB NUMPAT")).isEqualTo(":1\r\n");
            assertThat(pub.call("SPUBLISH shard x")).isEqualTo(":1\r\n");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$8\r\nsmessage\r\n$5\r\nshard\r\n$1\r\nx\r\n");
        }
        // a closed subscriber is gone
        try (RespConnection pub = new RespConnection(server.port())) {
            await().atMost(Duration.ofSeconds(5)).until(() -> pub.call("PUBLISH news x").equals(":0\r\n"));
        }
    }

    @Test
    void lettuceSubscriberInResp3() throws Exception {
        RedisClient client = server.lettuceClient();
        try (StatefulRedisPubSubConnection<String, String> conn = client.connectPubSub()) {
            List<String> got = new CopyOnWriteArrayList<>();
            conn.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    got.add(channel + "=" + message);
                }

                @Override
                public void message(String pattern, String channel, String message) {
                    got.add(pattern + ":" + channel + "=" + message);
                }
            });
            conn.sync().subscribe("orders");
            conn.sync().psubscribe("ord*");
            assertThat(conn.sync().ping()).isEqualTo("PONG");
            assertThat(server.lettuce().publish("orders", "42")).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5)).until(() -> got.size() == 2);
            assertThat(got).containsExactlyInAnyOrder("orders=42", "ord*:orders=42");
            assertThat(server.lettuce().pubsubNumsub("orders")).isEqualTo(Map.of("orders", 1L));
        }
    }

    @Test
    void redisCliSubscriberInResp2() throws Exception {
        Process p = new ProcessBuilder("redis-cli", "-p", Integer.toString(server.port()), "SUBSCRIBE", "alerts")
                .redirectErrorStream(true).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            assertThat(out.readLine()).isEqualTo("subscribe");
            assertThat(out.readLine()).isEqualTo("alerts");
            assertThat(out.readLine()).isEqualTo("1");
            await().atMost(Duration.ofSeconds(5)).until(() -> server.lettuce().publish("alerts", "disk full") == 1);
            assertThat(out.readLine()).isEqualTo("message");
            assertThat(out.readLine()).isEqualTo("alerts");
            assertThat(out.readLine()).isEqualTo("disk full");
        } finally {
            p.destroy();
        }
    }

    /** The notifications a subscriber gets for {@code commands}, up to a marker message. */
    private static List<String> notifications(int port, String flags, String... commands) throws Exception {
        try (RespConnection sub = new RespConnection(port); RespConnection c = new RespConnection(port)) {
            c.call("CONFIG SET notify-keyspace-events " + flags);
            sub.call("PSUBSCRIBE __key*__:*");
            sub.call("SUBSCRIBE zzmarker");
            for (String cmd : commands) {
                c.call(cmd);
            }
            c.call("PUBLISH zzmarker end");
            List<String> got = new java.util.ArrayList<>();
            while (true) {
                String m = sub.readReply();
                if (m.contains("zzmarker")) {
                    break;
                }
                got.add(m.replace("\r\n", " "));
            }
            c.call("CONFIG SET notify-keyspace-events \"\"");
            return got;
        }
    }

    @Test
    void keyspaceNotificationsMatchRedis() throws Exception {
        diff.require();
        String[] commands = {"FLUSHALL", "SET a 1", "SET a 2 EX 100", "INCR n", "APPEND a x", "DEL a", "DEL nokey",
            "LPUSH l x y", "RPOP l", "HSET h f v", "HDEL h f", "SADD s m", "SREM s nope", "ZADD z 1 m", "ZINCRBY z 2 m",
            "RENAME n n2", "EXPIRE n2 100", "PERSIST n2", "MULTI", "SET t 1", "INCR t", "LPUSH t x", "EXEC",
            "EVAL \"redis.call('set','sc','1') redis.call('hset','sh','f','v')\" 0", "SETRANGE sr 2 ab", "HINCRBY h2 f 1",
            "XADD st 1-1 f v", "PFADD hll a", "SETBIT b 3 1"};
        assertThat(notifications(server.port(), "KEA", commands)).isEqualTo(notifications(diff.redisPort(), "KEA", commands));
        assertThat(notifications(server.port(), "Kl", "LPUSH l2 a", "SET x 1", "HSET hh a b"))
                .isEqualTo(notifications(diff.redisPort(), "Kl", "LPUSH l2 a", "SET x 1", "HSET hh a b"));
        same("CONFIG SET notify-keyspace-events KEA", "CONFIG GET notify-keyspace-events", "CONFIG SET notify-keyspace-events Kx",
                "CONFIG GET notify-keyspace-events", "CONFIG SET notify-keyspace-events Q", "CONFIG SET notify-keyspace-events \"\"");
    }

    @Test
    void expiredKeysAreNotified() throws Exception {
        try (RespConnection sub = new RespConnection(server.port()); RespConnection c = new RespConnection(server.port())) {
            c.call("CONFIG SET notify-keyspace-events Ex");
            sub.call("SUBSCRIBE __keyevent@0__:expired");
            c.call("SET soon 1 PX 50");
            assertThat(sub.readReply()).isEqualTo("*3\r\n$7\r\nmessage\r\n$22\r\n__keyevent@0__:expired\r\n$4\r\nsoon\r\n");
            c.call("CONFIG SET notify-keyspace-events \"\"");
        }
    }
}
