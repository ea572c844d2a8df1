package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import redis.clients.jedis.Protocol;

/** String commands, checked reply-for-reply against a real Redis and through Lettuce and Jedis. */
class StringCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;
    RedisCommands<String, String> redis;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of("proto-max-bulk-len", "2mb"));
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
    }

    private static DifferentialHarness diff() {
        return diff.require();
    }

    @Test
    void setAndGetMatchRedis() throws Exception {
        diff().same("SET k v", "GET k", "GET missing", "SET k v2 XX", "SET n v NX", "SET n v NX",
                "SET k v3 GET", "SET missing2 v GET", "SET k v NX GET", "SET k v XX NX", "SET k v EX 0",
                "SET k v EX -1", "SET k v EX abc", "SET k v PX 10 EX 10", "SET k v KEEPTTL EX 10",
                "SET k v EX 9223372036854775807", "SET k v PXAT 1", "GET k", "SET k v BOGUS", "SET k",
                "SET k v EXAT 99999999999 KEEPTTL", "set K v", "GET K", "SET \"\" empty", "GET \"\"");
    }

    @Test
    void simpleSettersMatchRedis() throws Exception {
        diff().same("SETNX a 1", "SETNX a 2", "GET a", "SETEX b 100 v", "GET b", "SETEX b 0 v", "SETEX b -5 v",
                "SETEX b x v", "PSETEX c 100000 v", "GET c", "PSETEX c 0 v", "GETSET a 9", "GETSET nope 1",
                "GET nope", "GETDEL a", "GETDEL a", "EXISTS a", "MSET x 1 y 2 z 3", "MGET x y z nope",
                "MSET x", "MSET x 1 y", "MSETNX x 5 w 6", "MGET x w", "MSETNX v 5 w 6", "MGET v w",
                "MSETNX p", "GETEX x", "GETEX x PERSIST", "GETEX x EX 100", "GETEX x EX 0", "GETEX x PX 10 EX 10",
                "GETEX x BOGUS", "GETEX nope EX 10", "GETEX x PXAT 1", "EXISTS x");
    }

    @Test
    void appendRangesAndLengthsMatchRedis() throws Exception {
        diff().same("APPEND s Hello", "APPEND s \" World\"", "GET s", "STRLEN s", "STRLEN nope",
                "GETRANGE s 0 4", "GETRANGE s -5 -1", "GETRANGE s 0 -1", "GETRANGE s 0 -100", "GETRANGE s -100 -200",
                "GETRANGE s 100 200", "GETRANGE s 5 2", "GETRANGE s -3 100", "GETRANGE nope 0 -1", "GETRANGE s a 1",
                "SUBSTR s 0 3", "SETRANGE s 6 Redis", "GET s", "SETRANGE s 20 X", "GET s", "SETRANGE s -1 x",
                "SETRANGE n 0 \"\"", "EXISTS n", "SETRANGE s 0 \"\"", "SETRANGE n 3 abc", "GET n",
                "SETRANGE big 3000000 x", "APPEND e \"\"", "GET e", "STRLEN e");
    }

    @Test
    void countersMatchRedis() throws Exception {
        diff().same("INCR c", "INCR c", "INCRBY c 10", "DECR c", "DECRBY c 5", "GET c", "INCRBY c abc", "INCRBY c 1.5",
                "SET c 9223372036854775806", "INCR c", "INCR c", "SET c -9223372036854775808", "DECR c",
                "DECRBY c -9223372036854775808", "DECRBY x -9223372036854775808", "SET c \" 1\"", "INCR c",
                "SET c 01", "INCR c", "SET c +1", "INCR c", "SET c 1.0", "INCR c", "SET c \"\"", "INCR c",
                "INCRBYFLOAT f 10.5", "INCRBYFLOAT f 0.1", "INCRBYFLOAT f -5", "GET f", "SET f 0.1", "INCRBYFLOAT f 0.2",
                "INCRBYFLOAT f 5.0e3", "INCRBYFLOAT f abc", "INCRBYFLOAT f inf", "INCRBYFLOAT f -10.3", "SET f 3",
                "INCRBYFLOAT f 1", "SET f abc", "INCRBYFLOAT f 1", "INCRBYFLOAT g 1e2", "INCRBYFLOAT h -0.0",
                "INCRBYFLOAT i 1.23456789012345678", "INCRBYFLOAT j \" 1\"", "INCRBYFLOAT k 0x10");
    }

    @Test
    void lcsMatchesRedis() throws Exception {
        diff().same("MSET key1 ohmytext key2 mynewtext", "LCS key1 key2", "LCS key1 key2 LEN", "LCS key1 key2 IDX",
                "LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN", "LCS key1 key2 IDX WITHMATCHLEN", "LCS key1 key2 LEN IDX",
                "LCS key1 nope", "LCS nope1 nope2 IDX", "LCS key1 key2 BOGUS", "MSET a ACCGGTCGAGTGCGCGGAAGCCGGCCGAA b GTCGTTCGGAATGCCGTTGCTCTGTAAA",
                "LCS a b", "LCS a b IDX WITHMATCHLEN", "LCS a b IDX MINMATCHLEN 3");
    }

    @Test
    void ttlKeptOrClearedLikeRedis() throws Exception {
        DifferentialHarness d = diff();
        for (String cmd : new String[] {"APPEND k x", "SETRANGE k 0 y", "INCR n", "INCRBYFLOAT n 1", "GETSET k v",
            "SET k v", "SET k v KEEPTTL", "GETEX k"}) {
            d.same("SET k 1 EX 1000", "SET n 1 EX 1000", cmd);
            // TTL exists in both? compare "has a TTL" through EXISTS on a PERSIST-free probe: Redis PTTL differs by ms
            String a = d.redis().call("PTTL " + cmd.split(" ")[1]);
            String b = d.basalt().call("PTTL " + cmd.split(" ")[1]);
            assertThat(b.startsWith(":-")).as("TTL cleared after %s", cmd).isEqualTo(a.startsWith(":-"));
        }
    }

    @Test
    void lettuceAndJedisClients() {
        assertThat(redis.set("k", "v")).isEqualTo("OK");
        assertThat(redis.get("k")).isEqualTo("v");
        assertThat(redis.set("k", "1", SetArgs.Builder.xx())).isEqualTo("OK");
        assertThat(redis.incrby("k", 41)).isEqualTo(42);
        assertThat(redis.mget("k", "nope").get(1).hasValue()).isFalse();
        assertThat(redis.append("k", "x")).isEqualTo(3);
        assertThatThrownBy(() -> redis.incr("k")).isInstanceOf(RedisCommandExecutionException.class)
                .hasMessage("ERR value is not an integer or out of range");
        try (var j = server.jedis()) {
            assertThat(j.incrByFloat("f", 0.5)).isEqualTo(0.5);
            assertThat(j.getrange("k", 0, 0)).isEqualTo("4");
            assertThatThrownBy(() -> j.sendCommand(Protocol.Command.SET, "k", "v", "NX", "XX")).hasMessageContaining("ERR syntax error");
        }
    }

    @Test
    void pipelinedWriteThenReadSeesTheWrite() throws Exception {
        try (TestServer.RawClient c = server.raw()) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                sb.append("*3\r\n$3\r\nSET\r\n$1\r\nk\r\n$").append(Integer.toString(i).length()).append("\r\n").append(i).append("\r\n");
                sb.append("*2\r\n$3\r\nGET\r\n$1\r\nk\r\n");
            }
            c.send(sb.toString());
            for (int i = 0; i < 200; i++) {
                assertThat(c.readLine()).isEqualTo("+OK");
                assertThat(c.readLine()).isEqualTo("$" + Integer.toString(i).length());
                assertThat(c.readLine()).isEqualTo(Integer.toString(i));
            }
        }
    }
}
