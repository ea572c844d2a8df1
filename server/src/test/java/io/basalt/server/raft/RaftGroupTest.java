package io.basalt.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import io.basalt.server.storage.types.Store;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Three real Ratis servers on loopback, each a full node (RESP, applier, RocksDB): writes through
 * any node are committed by the group and applied by every replica to byte-identical storage —
 * scripts, transactions and all — and the group keeps accepting writes after its leader stops.
 */
@Timeout(120)
class RaftGroupTest {

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static List<String> dump(Store s) {
        List<String> out = new ArrayList<>();
        for (Cf cf : Cf.values()) {
            try (KvCursor c = s.engine().reader().cursor(cf, null, null)) {
                for (c.seekToFirst(); c.valid(); c.next()) {
                    out.add(cf + ":" + Arrays.toString(c.key()) + "=" + Arrays.toString(c.value()));
                }
            }
        }
        return out;
    }

    private static Store store(TestServer s) {
        return s.server().node().store();
    }

    @Test
    void replicasApplyTheSameLogToTheSameBytes() throws Exception {
        String peers = "n1=127.0.0.1:" + freePort() + ":0,n2=127.0.0.1:" + freePort() + ":0,n3=127.0.0.1:" + freePort() + ":0";
        List<TestServer> nodes = new ArrayList<>();
        try {
            for (String id : List.of("n1", "n2", "n3")) {
                nodes.add(new TestServer(Map.of("raft-id", id, "raft-peers", peers, "raft-election-min-ms", "150",
                        "raft-election-max-ms", "300")));
            }
            RedisCommands<String, String> n1 = nodes.get(0).lettuce();
            RedisCommands<String, String> n2 = nodes.get(1).lettuce();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "OK".equals(n1.set("ready", "1")));
            for (int i = 0; i < 200; i++) {
                (i % 2 == 0 ? n1 : n2).set("k:" + i, "v" + i);
            }
            assertThat(n2.incr("counter")).isEqualTo(1);
            assertThat(n1.incr("counter")).isEqualTo(2);
            n1.hset("h", Map.of("a", "1", "b", "2"));
            n2.rpush("l", "x", "y", "z");
            assertThat(n1.<Long>eval("redis.call('sadd', KEYS[1], math.random(1000)) return redis.call('scard', KEYS[1])",
                    io.lettuce.core.ScriptOutputType.INTEGER, "s")).isEqualTo(1L);
            n2.multi();
            n2.set("tx", "1");
            n2.incr("tx");
            assertThat(n2.exec().wasDiscarded()).isFalse();
            // every replica applies the same entries: same bytes everywhere, same applied index
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                long i1 = store(nodes.get(0)).applied()[1];
                return i1 > 0 && i1 == store(nodes.get(1)).applied()[1] && i1 == store(nodes.get(2)).applied()[1];
            });
            List<String> d1 = dump(store(nodes.get(0)));
            assertThat(dump(store(nodes.get(1)))).isEqualTo(d1);
            assertThat(dump(store(nodes.get(2)))).isEqualTo(d1);
            assertThat(nodes.get(2).lettuce().get("k:123")).isEqualTo("v123");
            assertThat(nodes.get(2).lettuce().get("tx")).isEqualTo("2");

            // stop one replica (maybe the leader): the other two still form a majority and accept writes
            nodes.remove(0).close();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "OK".equals(n2.set("after", "stop")));
            assertThat(n2.incr("counter")).isEqualTo(3);
            assertThat(nodes.get(1).lettuce().get("k:0")).isEqualTo("v0");
            await().atMost(Duration.ofSeconds(20)).until(() -> "stop".equals(nodes.get(1).lettuce().get("after")));
        } finally {
            for (TestServer s : nodes) {
                s.close();
            }
        }
    }
}
