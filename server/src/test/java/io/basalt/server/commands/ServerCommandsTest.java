package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.basalt.routing.commands.CommandTable;
import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.api.sync.RedisCommands;
import java.net.Socket;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Server commands: INFO, CONFIG, DBSIZE, TIME, SLOWLOG, COMMAND, SHUTDOWN. */
class ServerCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

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
        redis = server.lettuce();
        server.flush();
        redis.configSet("slowlog-log-slower-than", "10000");
    }

    @Test
    void everyDeclaredCommandHasAHandler() {
        Families.registry().verify(CommandTable.get());
    }

    @Test
    void deterministicRepliesMatchRedis() throws Exception {
        diff.require();
        diff.same("DBSIZE", "MSET a 1 b 2", "DBSIZE", "FLUSHDB", "DBSIZE", "SET c 1", "FLUSHALL SYNC", "DBSIZE", "FLUSHALL BAD",
                "CONFIG GET nosuchsetting", "CONFIG GET maxclients", "CONFIG SET nosuch 1", "CONFIG SET maxclients",
                "CONFIG FOO", "CONFIG", "SLOWLOG FOO", "SLOWLOG GET -2", "SHUTDOWN ABORT", "SHUTDOWN BOGUS",
                "COMMAND GETKEYS SET a b", "COMMAND GETKEYS MSET a 1 b 2", "COMMAND GETKEYS GET", "COMMAND GETKEYS NOSUCH a",
                "COMMAND GETKEYS PING", "COMMAND GETKEYS RENAME a b", "COMMAND INFO nosuch", "COMMAND FOO",
                "COMMAND LIST FILTERBY bogus x");
    }

    @Test
    void commandInfoShapeMatchesRedisForCoreCommands() throws Exception {
        diff.require();
        for (String c : new String[] {"get", "mget", "del", "incr", "rename", "exists", "ttl", "dbsize"}) {
            String r = diff.redis().call("COMMAND INFO " + c);
            String b = diff.basalt().call("COMMAND INFO " + c);
            // Redis 7.0 adds a "notes" field to some key specs; compare the rest.
            assertThat(b).as(c).isEqualTo(r.replaceAll("\\$5\r\nnotes\r\n\\$\\d+\r\n[^\r]*\r\n", "").replaceAll("%4\r\n\\$5\r\nflags", "%3\r\n\\$5\r\nflags"));
        }
        assertThat(redis.commandCount()).isEqualTo(CommandTable.get().size());
    }

    @Test
    void infoSectionsCarryRealFigures() {
        redis.mset(Map.of("a", "1", "b", "2"));
        redis.set("t", "1", io.lettuce.core.SetArgs.Builder.ex(100));
        redis.get("a");
        String info = redis.info();
        assertThat(info).contains("# Server\r\n").contains("redis_version:7.0.15").contains("# Clients\r\n").contains("# Memory\r\n")
                .contains("# Persistence\r\n").contains("# Stats\r\n").contains("# Keyspace\r\n")
                .contains("db0:keys=3,expires=1,avg_ttl=0");
        assertThat(info).doesNotContain("# Commandstats");
        String all = redis.info("everything");
        assertThat(all).containsPattern("cmdstat_mset:calls=1,usec=\\d+,usec_per_call=[\\d.]+,rejected_calls=0,failed_calls=0");
        assertThat(redis.info("keyspace")).startsWith("# Keyspace\r\n").doesNotContain("# Server");
        assertThat(redis.info("nosuchsection")).isEmpty();
        assertThat(redis.info("memory")).containsPattern("used_memory_rss:[1-9]\\d*").containsPattern("rocksdb_block_cache_capacity:\\d+");
        assertThat(redis.info("persistence")).containsPattern("rocksdb_disk_bytes:\\d+");
        try {
            redis.incr("a-not-number-" + 1);
            redis.set("x", "y");
            redis.incr("x");
        } catch (Exception expected) {
            // counted in errorstats
        }
        assertThat(redis.info("errorstats")).contains("errorstat_ERR:count=");
    }

    @Test
    void configSetTakesEffect() throws Exception {
        redis.configSet("slowlog-log-slower-than", "0");
        redis.set("slow", "1");
        assertThat(redis.slowlogLen()).isGreaterThan(0);
        redis.configSet("slowlog-max-len", "2");
        for (int i = 0; i < 5; i++) {
            redis.get("k" + i);
        }
        assertThat(redis.slowlogLen()).isEqualTo(2);
        assertThat(redis.configGet("slowlog-*")).containsEntry("slowlog-max-len", "2");
        redis.slowlogReset();
        redis.configSet("slowlog-max-len", "128");
        redis.configSet("maxclients", "1");
        try (RespConnection extra = new RespConnection(server.port())) {
            assertThat(extra.readReply()).isEqualTo("-ERR max number of clients reached\r\n");
        } finally {
            redis.configSet("maxclients", "10000");
        }
        assertThat(redis.configGet("*max-*len")).containsKeys("proto-max-bulk-len", "slowlog-max-len");
    }

    @Test
    void timeAndSlowlogShapes() {
        var t = redis.time();
        assertThat(Long.parseLong(t.get(0))).isCloseTo(System.currentTimeMillis() / 1000, org.assertj.core.data.Offset.offset(5L));
        redis.configSet("slowlog-log-slower-than", "0");
        redis.set("x", "y");
        var entries = redis.slowlogGet(1);
        assertThat(entries).hasSize(1);
        assertThat(entries.get(0).toString()).contains("x").contains("y");
    }

    @Test
    void shutdownStopsTheServer() throws Exception {
        TestServer victim = new TestServer();
        int port = victim.port();
        try (RespConnection c = new RespConnection(port)) {
            c.call("SET k v");
            try {
                c.call("SHUTDOWN");
            } catch (java.io.IOException closed) {
                // expected: no reply, the connection closes
            }
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return false;
            } catch (java.io.IOException refused) {
                return true;
            }
        });
        TestServer.deleteDir(victim.dir());
    }
}
