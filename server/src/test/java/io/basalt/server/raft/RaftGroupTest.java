package io.basalt.server.raft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import io.basalt.server.storage.types.Store;
import io.basalt.server.testing.RespConnection;
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

    private static TestServer leader(List<TestServer> nodes) {
        for (TestServer n : nodes) {
            if (n.server().node().writePath().acceptsWrites()) {
                return n;
            }
        }
        return null;
    }

    @Test
    void replicasApplyTheSameLogToTheSameBytes() throws Exception {
        int[] resp = {freePort(), freePort(), freePort()};
        String peers = "n1=127.0.0.1:" + freePort() + ":" + resp[0] + ",n2=127.0.0.1:" + freePort() + ":" + resp[1]
                + ",n3=127.0.0.1:" + freePort() + ":" + resp[2];
        List<TestServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(new TestServer(Map.of("raft-id", "n" + (i + 1), "raft-peers", peers, "port", Integer.toString(resp[i]),
                        "raft-election-min-ms", "150", "raft-election-max-ms", "300")));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(nodes) != null);
            TestServer lead = leader(nodes);
            List<TestServer> followers = new ArrayList<>(nodes);
            followers.remove(lead);
            RedisCommands<String, String> w = lead.lettuce();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "OK".equals(w.set("ready", "1")));
            // every read waits for a confirmation, also one that finds none in flight (it once got
            // null — "no barrier" — and ran unconfirmed: stale reads on a leader just elected)
            for (int i = 0; i < 3; i++) {
                java.util.concurrent.CompletableFuture<Void> barrier = lead.server().node().writePath().readBarrier();
                assertThat(barrier).as("read barrier %d on an idle leader", i).isNotNull();
                barrier.get(10, java.util.concurrent.TimeUnit.SECONDS);
            }

            // a follower redirects writes to the leader's RESP address, as a Redis Cluster replica does
            try (RespConnection f = new RespConnection(followers.get(0).port())) {
                assertThat(f.call("SET somekey 1")).isEqualTo("-MOVED " + io.basalt.routing.slots.SlotHash.slot(
                        "somekey".getBytes()) + " 127.0.0.1:" + lead.port() + "\r\n");
                assertThat(f.call("INFO replication")).contains("role:slave").contains("master_port:" + lead.port());
            }
            assertThat(w.info("replication")).contains("role:master").contains("connected_slaves:2");

            for (int i = 0; i < 200; i++) {
                w.set("k:" + i, "v" + i);
            }
            assertThat(w.incr("counter")).isEqualTo(1);
            w.hset("h", Map.of("a", "1", "b", "2"));
            w.rpush("l", "x", "y", "z");
            assertThat(w.<Long>eval("redis.call('sadd', KEYS[1], math.random(1000)) return redis.call('scard', KEYS[1])",
                    io.lettuce.core.ScriptOutputType.INTEGER, "s")).isEqualTo(1L);
            w.multi();
            w.set("tx", "1");
            w.incr("tx");
            assertThat(w.exec().wasDiscarded()).isFalse();
            // every replica applies the same entries: same bytes everywhere, same applied index
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                long i1 = store(nodes.get(0)).applied()[1];
                return i1 > 0 && i1 == store(nodes.get(1)).applied()[1] && i1 == store(nodes.get(2)).applied()[1];
            });
            List<String> d1 = dump(store(nodes.get(0)));
            assertThat(dump(store(nodes.get(1)))).isEqualTo(d1);
            assertThat(dump(store(nodes.get(2)))).isEqualTo(d1);
            // reads: linearizable on the leader; a follower redirects them unless the connection said READONLY
            assertThat(w.get("k:123")).isEqualTo("v123");
            try (RespConnection f = new RespConnection(followers.get(1).port())) {
                assertThat(f.call("GET tx")).startsWith("-MOVED " + io.basalt.routing.slots.SlotHash.slot("tx".getBytes()) + " ");
                assertThat(f.call("READONLY")).isEqualTo("+OK\r\n");
                assertThat(f.call("GET tx")).isEqualTo("$1\r\n2\r\n");
                assertThat(f.call("READWRITE")).isEqualTo("+OK\r\n");
                assertThat(f.call("GET tx")).startsWith("-MOVED ");
            }

            // a numbered connection (BASALT SESSION) increments once; its reply is lost with the leader
            try (RespConnection c = new RespConnection(lead.port())) {
                assertThat(c.call("BASALT SESSION client-7 100")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR once")).isEqualTo(":1\r\n");
            }
            // stop the leader: the other two elect a new one, which has every acknowledged write
            nodes.remove(lead);
            lead.close();
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(nodes) != null);
            RedisCommands<String, String> w2 = leader(nodes).lettuce();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "OK".equals(w2.set("after", "stop")));
            assertThat(w2.incr("counter")).isEqualTo(2);
            // the client re-sends its unanswered INCR to the new leader: applied once, same reply
            try (RespConnection c = new RespConnection(leader(nodes).port())) {
                assertThat(c.call("BASALT SESSION client-7 100")).isEqualTo("+OK\r\n");
                assertThat(c.call("INCR once")).isEqualTo(":1\r\n");
                assertThat(c.call("INCR once")).isEqualTo(":2\r\n");
            }
            for (int i = 0; i < 200; i++) {
                assertThat(w2.get("k:" + i)).isEqualTo("v" + i);
            }
        } finally {
            for (TestServer s : nodes) {
                s.close();
            }
        }
    }

    @Test
    void membershipChangesAndLeadershipTransfer() throws Exception {
        int[] resp = {freePort(), freePort(), freePort(), freePort()};
        int[] raft = {freePort(), freePort(), freePort(), freePort()};
        StringBuilder three = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            three.append(i > 0 ? "," : "").append("n").append(i + 1).append("=127.0.0.1:").append(raft[i]).append(':').append(resp[i]);
        }
        String four = three + ",n4=127.0.0.1:" + raft[3] + ":" + resp[3];
        List<TestServer> nodes = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                nodes.add(new TestServer(Map.of("raft-id", "n" + (i + 1), "raft-peers", three.toString(), "port",
                        Integer.toString(resp[i]), "raft-election-min-ms", "150", "raft-election-max-ms", "300")));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(nodes) != null);
            TestServer lead = leader(nodes);
            RedisCommands<String, String> w = lead.lettuce();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "OK".equals(w.set("ready", "1")));
            for (int i = 0; i < 100; i++) {
                w.set("m:" + i, "v" + i);
            }
            // a new replica, started knowing the group with itself in it, joins and catches up from the log
            TestServer n4 = new TestServer(Map.of("raft-id", "n4", "raft-peers", four, "port", Integer.toString(resp[3]),
                    "raft-election-min-ms", "150", "raft-election-max-ms", "300"));
            nodes.add(n4);
            try (RespConnection admin = new RespConnection(lead.port())) {
                assertThat(admin.call("BASALT RAFT ADD n4 127.0.0.1:" + raft[3] + ":" + resp[3])).isEqualTo("+OK\r\n");
                assertThat(admin.call("BASALT RAFT STATUS")).contains("member:n4,127.0.0.1:" + resp[3]);
                assertThat(admin.call("BASALT RAFT BOGUS")).startsWith("-ERR unknown BASALT RAFT operation");
            }
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> "OK".equals(leader(nodes).lettuce().set("after-add", "1")));
            TestServer now = leader(nodes);
            await().atMost(Duration.ofSeconds(20)).until(() -> store(n4).applied()[1] == store(now).applied()[1]);
            assertThat(dump(store(n4))).isEqualTo(dump(store(now)));
            lead = now;

            // leadership moves where it is asked to, and writes follow it
            try (RespConnection admin = new RespConnection(lead.port())) {
                assertThat(admin.call("BASALT RAFT TRANSFER n4")).isEqualTo("+OK\r\n");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> n4.server().node().writePath().acceptsWrites());
            final TestServer oldLeader = lead;
            try (RespConnection old = new RespConnection(oldLeader.port())) {
                assertThat(old.call("SET x 1")).endsWith(" 127.0.0.1:" + resp[3] + "\r\n");
            }
            // remove the old leader; the group of three goes on
            String oldId = "n" + (nodes.indexOf(oldLeader) + 1);
            try (RespConnection admin = new RespConnection(n4.port())) {
                assertThat(admin.call("BASALT RAFT REMOVE " + oldId)).isEqualTo("+OK\r\n");
                assertThat(admin.call("BASALT RAFT STATUS")).doesNotContain("member:" + oldId + ",");
                assertThat(admin.call("SET after-remove 1")).isEqualTo("+OK\r\n");
            }

            // a learner receives the log and serves READONLY reads, but never votes nor leads
            int learnerResp = freePort();
            int learnerRaft = freePort();
            String withLearner = four + ",n5=127.0.0.1:" + learnerRaft + ":" + learnerResp + ":learner";
            TestServer n5 = new TestServer(Map.of("raft-id", "n5", "raft-peers", withLearner, "port",
                    Integer.toString(learnerResp), "raft-election-min-ms", "150", "raft-election-max-ms", "300"));
            nodes.add(n5);
            try (RespConnection admin = new RespConnection(n4.port())) {
                assertThat(admin.call("BASALT RAFT ADD n5 127.0.0.1:" + learnerRaft + ":" + learnerResp + " LEARNER"))
                        .isEqualTo("+OK\r\n");
                assertThat(admin.call("BASALT RAFT STATUS")).contains("learner:n5,127.0.0.1:" + learnerResp + "\r\n")
                        .doesNotContain("member:n5");
                assertThat(admin.call("SET after-learner 1")).isEqualTo("+OK\r\n");
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> store(n5).applied()[1] >= store(n4).applied()[1]);
            assertThat(n5.server().node().writePath().acceptsWrites()).isFalse();
            try (RespConnection c = new RespConnection(n5.port())) {
                assertThat(c.call("SET x 1")).isEqualTo("-MOVED " + io.basalt.routing.slots.SlotHash.slot("x".getBytes())
                        + " 127.0.0.1:" + resp[3] + "\r\n");
                assertThat(c.call("READONLY")).isEqualTo("+OK\r\n");
                assertThat(c.call("GET after-learner")).isEqualTo("$1\r\n1\r\n");
                assertThat(c.call("GET m:42")).isEqualTo("$3\r\nv42\r\n");
            }
            try (RespConnection admin = new RespConnection(n4.port())) {
                assertThat(admin.call("BASALT RAFT REMOVE n5")).isEqualTo("+OK\r\n");
                assertThat(admin.call("BASALT RAFT STATUS")).doesNotContain("n5,");
            }
        } finally {
            for (TestServer s : nodes) {
                s.close();
            }
        }
    }

    private static long infoField(TestServer n, String field) {
        for (String line : n.server().node().writePath().replicationInfo().split("\r\n")) {
            if (line.startsWith(field + ":")) {
                return Long.parseLong(line.substring(field.length() + 1));
            }
        }
        throw new AssertionError("no " + field);
    }

    @Test
    void laggingFollowerCatchesUpFromASnapshotAfterTheLogIsPurged() throws Exception {
        int[] resp = {freePort(), freePort(), freePort()};
        String peers = "n1=127.0.0.1:" + freePort() + ":" + resp[0] + ",n2=127.0.0.1:" + freePort() + ":" + resp[1]
                + ",n3=127.0.0.1:" + freePort() + ":" + resp[2];
        List<TestServer> nodes = new ArrayList<>();
        java.nio.file.Path stoppedDir = null;
        try {
            java.util.function.IntFunction<Map<String, String>> cfg = i -> Map.of("raft-id", "n" + (i + 1), "raft-peers",
                    peers, "port", Integer.toString(resp[i]), "raft-election-min-ms", "150", "raft-election-max-ms", "300",
                    "raft-snapshot-entries", "40", "raft-log-segment-bytes", "16384");
            for (int i = 0; i < 3; i++) {
                nodes.add(new TestServer(cfg.apply(i)));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> leader(nodes) != null);
            TestServer lead = leader(nodes);
            RedisCommands<String, String> w = lead.lettuce();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> "OK".equals(w.set("ready", "1")));
            for (int i = 0; i < 50; i++) {
                w.set("before:" + i, "v" + i);
            }
            // stop a follower, keeping its data; the others go on with many small entries
            TestServer f = nodes.stream().filter(n -> n != lead).findFirst().orElseThrow();
            int fi = nodes.indexOf(f);
            long fAppliedAtStop = store(f).applied()[1];
            stoppedDir = f.dir();
            f.stop();
            nodes.set(fi, null);
            String big = "x".repeat(2000);
            String blob = "b".repeat(10_000); // above rocksdb-min-blob-size: in a blob file of the snapshot
            w.set("blob", blob);
            for (int i = 0; i < 400; i++) {
                w.set("during:" + i, big + i); // one entry each: the log outgrows several 16 KB segments
                if (i % 50 == 0) {
                    w.hset("h", "f" + i, "v" + i);
                    w.incr("counter");
                }
            }
            w.del("before:0");
            // snapshots were taken and the log purged past what the stopped follower has
            await().atMost(Duration.ofSeconds(20)).until(() -> infoField(lead, "raft_log_start_index") > fAppliedAtStop + 1);
            assertThat(infoField(lead, "raft_snapshots_taken")).isPositive();
            assertThat(java.nio.file.Files.list(lead.dir().resolve("raft")).count()).isPositive();

            // the follower comes back: the leader no longer has the entries it misses, so it sends a snapshot
            TestServer back = new TestServer(stoppedDir, cfg.apply(fi));
            nodes.set(fi, back);
            await().atMost(Duration.ofSeconds(30)).until(() -> store(back).applied()[1] >= store(lead).applied()[1]
                    && infoField(back, "raft_snapshots_loaded") > 0);
            w.set("after", "1");
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                long a = store(lead).applied()[1];
                return nodes.stream().allMatch(n -> store(n).applied()[1] == a);
            });
            List<String> d = dump(store(lead));
            for (TestServer n : nodes) {
                assertThat(dump(store(n))).isEqualTo(d);
            }
            try (RespConnection c = new RespConnection(back.port())) {
                assertThat(c.call("READONLY")).isEqualTo("+OK\r\n");
                assertThat(c.call("GET during:399")).isEqualTo("$2003\r\n" + big + "399\r\n");
                assertThat(c.call("EXISTS before:0")).isEqualTo(":0\r\n");
                assertThat(c.call("GET counter")).isEqualTo("$1\r\n8\r\n");
                assertThat(c.call("GET blob")).isEqualTo("$10000\r\n" + blob + "\r\n");
                assertThat(c.call("DBSIZE")).isEqualTo(":" + (1 + 49 + 400 + 2 + 1 + 1) + "\r\n");
            }

            // and it restarts from its own store (no reload), then follows the log again
            back.stop();
            TestServer again = new TestServer(stoppedDir, cfg.apply(fi));
            nodes.set(fi, again);
            w.set("after2", "2");
            await().atMost(Duration.ofSeconds(20)).until(() -> store(again).applied()[1] == store(lead).applied()[1]);
            assertThat(infoField(again, "raft_snapshots_loaded")).isZero();
            assertThat(dump(store(again))).isEqualTo(dump(store(lead)));
            // an operator can take one by hand
            try (RespConnection c = new RespConnection(again.port())) {
                assertThat(c.call("BASALT RAFT SNAPSHOT")).matches(":[1-9][0-9]*\r\n");
            }
            assertThat(infoField(again, "raft_snapshots_taken")).isEqualTo(1);
            assertThat(infoField(again, "raft_snapshot_index")).isEqualTo(store(again).applied()[1]);
            stoppedDir = null;
        } finally {
            for (TestServer s : nodes) {
                if (s != null) {
                    s.close();
                }
            }
            if (stoppedDir != null) {
                TestServer.deleteDir(stoppedDir);
            }
        }
    }
}
