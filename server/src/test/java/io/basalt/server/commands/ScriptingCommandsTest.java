package io.basalt.server.commands;

import static org.assertj.core.api.Assertions.assertThat;

import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.RespConnection;
import io.basalt.server.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Lua scripting against a real Redis 7: conversions, libraries, errors, sandbox, BUSY and SCRIPT KILL. */
class ScriptingCommandsTest {
    static DifferentialHarness diff;
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        diff = DifferentialHarness.start(Map.of("busy-reply-threshold", "200"));
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

    private static String eval(String script, String... rest) {
        StringBuilder sb = new StringBuilder("EVAL \"").append(script.replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
        if (rest.length == 0) {
            sb.append(" 0");
        }
        for (String r : rest) {
            sb.append(' ').append(r);
        }
        return sb.toString();
    }

    @Test
    void luaToRespConversions() throws Exception {
        diff.same(eval("return 1"), eval("return 3.99"), eval("return -3.99"), eval("return 'str'"), eval("return true"),
                eval("return false"), eval("return nil"), eval("return {1,2,{3,'x'},nil,5}"), eval("return {}"),
                eval("return {err='My Error'}"), eval("return {ok='fine'}"), eval("return redis.error_reply('MY custom')"),
                eval("return redis.error_reply('-ERR x')"), eval("return redis.status_reply('GOOD')"),
                eval("return {1, 'a', {ok='x'}, {err='E bad'}, true, false}"), eval("return KEYS", "2", "k1", "k2", "a1"),
                eval("return ARGV", "1", "k1", "a1", "a2"), eval("return #KEYS + #ARGV", "0"));
    }

    @Test
    void respToLuaConversions() throws Exception {
        diff.same("SET s abc", "RPUSH l a b c", "HSET h f v", "SADD st m", "ZADD z 1.5 m",
                eval("return redis.call('get','s')"), eval("return type(redis.call('get','nope'))"),
                eval("return redis.call('incr','n')"), eval("return type(redis.call('incr','n'))"),
                eval("return redis.call('lrange','l',0,-1)"), eval("return redis.call('ping')"),
                eval("return redis.call('ping')['ok']"), eval("return redis.call('set','x','y')['ok']"),
                eval("return redis.call('hgetall','h')"), eval("return redis.call('zscore','z','m')"),
                eval("return redis.call('zrange','z',0,-1,'withscores')"), eval("return redis.pcall('incr','s')['err']"),
                eval("return redis.pcall('incr','s')"), eval("return redis.call('set','a',1.5)"), "GET a",
                eval("return redis.call('set','a',1e20)"), "GET a", eval("return redis.call('set','a',12345)"), "GET a",
                eval("return redis.call('exists','nope','s')"), "XADD st2 1-1 f v",
                eval("return redis.call('xread','streams','st2','0')"), eval("return redis.call('xrange','st2','-','+')"),
                eval("return redis.call('xread','block','0','streams','st2','$')"),
                eval("return redis.call('xreadgroup','group','g','c','block','0','streams','st2','>')"));
    }

    @Test
    void resp3InsideScripts() throws Exception {
        diff.same("HSET h f v", "SADD st m", "ZADD z 1.5 m",
                eval("redis.setresp(3) return type(redis.call('get','nope'))"),
                eval("redis.setresp(3) local m = redis.call('hgetall','h') return m['map']['f']"),
                eval("redis.setresp(3) local s = redis.call('smembers','st') return tostring(s['set']['m'])"),
                eval("redis.setresp(3) return redis.call('zscore','z','m')['double']"),
                eval("redis.setresp(4)"), eval("redis.setresp()"));
    }

    @Test
    void errorsMatchRedis() throws Exception {
        diff.same("SET s abc", eval("return redis.call('incr','s')"), eval("x = 5"), eval("return y"),
                eval("return redis.call('nosuch')"), eval("return redis.call('get')"), eval("return redis.call('multi')"),
                "EVAL_RO \"return redis.call('set','a','b')\" 0", eval("return redis.call('set', {}, 'x')"),
                eval("return redis.call()"), eval("error('boom')"), eval("error({err='tbl'})"),
                eval("local ok, e = pcall(function() redis.call('incr','s') end) return e"),
                eval("return 1", "-1"), eval("return 1", "2", "a"), eval("return 1", "x"),
                "EVALSHA 0000000000000000000000000000000000000000 0", "EVALSHA abc 0",
                eval("redis.call('set','kept','1') error('after a write')"), "GET kept");
    }

    @Test
    void scriptCacheCommands() throws Exception {
        diff.same("SCRIPT LOAD \"return 'loaded'\"", "EVALSHA 1c4fdfdbf05e1d7a0cd9cc17aa2d1af4f76cdc2d 0",
                "EVALSHA 1C4FDFDBF05E1D7A0CD9CC17AA2D1AF4F76CDC2D 0",
                "SCRIPT EXISTS 1c4fdfdbf05e1d7a0cd9cc17aa2d1af4f76cdc2d ffff", "SCRIPT FLUSH", "SCRIPT FLUSH bad",
                "SCRIPT EXISTS 1c4fdfdbf05e1d7a0cd9cc17aa2d1af4f76cdc2d", "SCRIPT KILL", "SCRIPT HELP",
                "EVALSHA_RO 1c4fdfdbf05e1d7a0cd9cc17aa2d1af4f76cdc2d 0");
    }

    @Test
    void librariesMatchRedis() throws Exception {
        diff.same(eval("return redis.sha1hex('abc')"), eval("return redis.sha1hex('')"),
                eval("return cjson.encode({a=1})"), eval("return cjson.encode({1,2,{3}})"), eval("return cjson.encode({})"),
                eval("return cjson.encode({1.5, 'x', true, false})"), eval("return cjson.encode(1/3)"),
                eval("return cjson.encode('a/\\\"\\n\\1')"), eval("return cjson.encode({[1]=1,[3]=3})"),
                eval("return cjson.encode({[1]=1,[2]=2,[20]=3})"),
                eval("return cjson.decode('[1,2,{\\\"a\\\":null}]')[3].a == cjson.null"),
                eval("local t = cjson.decode('{\\\"k\\\":[1,\\\"two\\\",3.5,true]}') return {t.k[1], t.k[2], tostring(t.k[3]), tostring(t.k[4])}"),
                eval("return cjson.decode('[1,2')"),
                eval("return cmsgpack.pack({1,2,'x'})"), eval("return cmsgpack.pack(1.5, 3.14159, 2^40, -2^40, 300, -300, 70000)"),
                eval("return {cmsgpack.unpack(cmsgpack.pack(1, -1, 300, -300, 70000, 'abc', {1,2}, true))}"),
                eval("return cmsgpack.pack(string.rep('x', 40))"),
                eval("return bit.tohex(65535)"), eval("return bit.tohex(-1, -4)"), eval("return bit.band(0xff, 0x0f)"),
                eval("return bit.bor(1, 2, 4)"), eval("return bit.bxor(5, 3)"), eval("return bit.lshift(1, 31)"),
                eval("return bit.rshift(-1, 28)"), eval("return bit.arshift(-256, 4)"), eval("return bit.bnot(0)"),
                eval("return bit.tobit(2^32 + 5)"), eval("return bit.rol(1, 33)"), eval("return bit.bswap(0x12345678)"),
                eval("return struct.pack('>I2', 258)"), eval("return struct.pack('<i4d', -2, 1.5)"),
                eval("return {struct.unpack('>I2', struct.pack('>I2', 258))}"), eval("return struct.size('>iIhd')"),
                eval("return {struct.unpack('<hs', struct.pack('<hs', -3, 'abc'))}"),
                eval("math.randomseed(42) return math.random(1000000)"), eval("math.randomseed(7) return math.random()"),
                eval("return tostring(1e15)..' '..tostring(0.1)..' '..tostring(1/3)"),
                eval("return string.format('%s %d %.3f %g %5.1f|%-4d|%x %q', 1/3, 3, 1/3, 1e20, 2.25, 7, 255, 'a\\\"b')"),
                eval("return string.format('%05d %+d %e %g %g', 42, 5, 12345.678, 0.0001, 123456789)"),
                eval("return table.concat({'a','b'}, ',')"), eval("return unpack({1,2,3})"), eval("return table.getn({1,2,3})"),
                eval("return {string.find('hello world', 'o w')}"), eval("return string.upper(string.sub('hello', 2, 4))"),
                eval("return string.rep('ab', 3)"), eval("return math.floor(3.7)"), eval("return tonumber('0x10')"),
                eval("return select('#', 1, 2, 3)"), eval("return type(loadstring('return 1'))"),
                eval("return loadstring('return 7')()"), eval("return redis.LOG_WARNING"), eval("return redis.REPL_ALL"));
    }

    @Test
    void mathRandomStaysInRange() throws Exception {
        RespConnection b = diff.basalt();
        for (int i = 0; i < 20; i++) {
            String r = b.call(eval("local t = {} for i=1,50 do local a, b, c = math.random(6), math.random(3, 4), math.random()"
                    + " if a < 1 or a > 6 or b < 3 or b > 4 or c < 0 or c >= 1 then return 'bad' end end return 'ok'"));
            assertThat(r).isEqualTo("$2\r\nok\r\n");
        }
    }

    @Test
    void sandboxEscapesFail() throws Exception {
        diff.same(eval("return os.time()"), eval("return io.open('/etc/passwd')"), eval("return require('os')"),
                eval("return package.loaded"), eval("return dofile('/etc/passwd')"), eval("return loadfile('/etc/passwd')"),
                eval("return print('x')"), eval("return type(debug)"), eval("return type(setfenv)"),
                eval("return loadstring(string.dump(function() return 1 end))"), eval("return luajava"),
                eval("return java"), eval("newglobal = 1"), eval("_G.x = 1"), eval("redis.call = nil"),
                eval("string.evil = 1"), eval("cjson.encode = nil"), eval("return setmetatable(_G, nil)"));
        // rawset on the globals of one run does not leak into the next script
        diff.same(eval("rawset(_G, 'leak', 1) return leak"), eval("return leak"));
        // a chunk of bytecode is refused by loadstring and by EVAL itself
        RespConnection b = diff.basalt();
        assertThat(b.call(java.util.List.of("EVAL".getBytes(), new byte[] {27, 'L', 'u', 'a', 'Q', 0, 1}, "0".getBytes())))
                .startsWith("-ERR Error compiling script");
        // the string metatable cannot be reached to change every string's methods
        diff.same(eval("local mt = getmetatable('') mt.__index = nil return ('x'):upper()"));
    }

    @Test
    void scriptsAreAtomicAndSeeTheirOwnWrites() throws Exception {
        diff.same(eval("redis.call('set','a','1') redis.call('incr','a') return redis.call('get','a')"),
                eval("for i=1,100 do redis.call('rpush','l',i) end return redis.call('llen','l')"),
                eval("return redis.call('lrange','l',0,4)"), "MULTI", eval("return redis.call('incr','a')"), "EXEC");
    }

    @Test
    void busyScriptKillAndUnkillable() throws Exception {
        RespConnection runner = new RespConnection(server.port());
        RespConnection other = diff.basalt();
        CompletableFuture<String> looping = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.call(eval("while true do end"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(600);
        assertThat(other.call("GET x")).startsWith("-BUSY Redis is busy running a script.");
        assertThat(other.call("PING")).startsWith("-BUSY");
        assertThat(other.call("SCRIPT KILL")).isEqualTo("+OK\r\n");
        assertThat(looping.get()).startsWith("-ERR Script killed by user with SCRIPT KILL... script: ");
        assertThat(other.call("PING")).isEqualTo("+PONG\r\n");
        assertThat(other.call("SCRIPT KILL")).isEqualTo("-NOTBUSY No scripts in execution right now.\r\n");

        // a script that wrote cannot be killed
        CompletableFuture<String> writer = CompletableFuture.supplyAsync(() -> {
            try {
                return runner.call(eval("redis.call('set','w','1') local i = 0 while i < 5e7 do i = i + 1 end return 'done'"));
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        Thread.sleep(600);
        assertThat(other.call("SCRIPT KILL")).startsWith("-UNKILLABLE Sorry the script already executed write commands");
        assertThat(writer.get()).isEqualTo("$4\r\ndone\r\n");
        assertThat(other.call("GET w")).isEqualTo("$1\r\n1\r\n");
        runner.close();
    }

    private static String lib(String name, String body) {
        return "FUNCTION LOAD \"#!lua name=" + name + "\\n" + body.replace("\"", "\\\"") + "\"";
    }

    @Test
    void functionsMatchRedis() throws Exception {
        diff.both("FUNCTION FLUSH");
        String mylib = lib("mylib", "redis.register_function('myfunc', function(keys, args) return redis.call('set', keys[1], args[1]) end)"
                + " redis.register_function{function_name='ro', callback=function(keys, args) return 'ro:'..#keys end,"
                + " flags={'no-writes'}, description='read only'}");
        diff.same(mylib, "FCALL myfunc 1 k v", "GET k", "FCALL ro 0", "FCALL_RO ro 0", "FCALL_RO myfunc 1 k v",
                "FCALL nosuch 0", "FCALL myfunc 5 k", "FUNCTION LIST LIBRARYNAME nomatch", mylib,
                lib("two", "redis.register_function('myfunc', function() end)"),
                lib("bad", "redis.register_function('bad name', function() end)"),
                lib("x", "redis.call('ping')"), lib("x", "local a = 1"), "FUNCTION LOAD \"return 1\"",
                "FUNCTION LOAD \"#!lua name=f flags=x\\nredis.register_function('ff', function() end)\"",
                lib("ro2", "redis.register_function{function_name='w', callback=function(k) return redis.call('set', k[1], 'x') end, flags={'no-writes'}}"),
                "FCALL w 1 key", "FUNCTION DELETE nolib", "FUNCTION DELETE", "FUNCTION STATS", "FUNCTION KILL",
                "FUNCTION RESTORE bad", "FUNCTION FLUSH bad", "FUNCTION DELETE ro2", "FUNCTION DELETE mylib",
                // one function per library: Redis lists a library's functions in hash order
                lib("one", "redis.register_function{function_name='solo', callback=function(keys) return 'solo:'..#keys end,"
                        + " flags={'no-writes'}, description='d'}"),
                lib("two", "redis.register_function('duo', function() return 2 end)"),
                "FUNCTION LIST LIBRARYNAME one", "FUNCTION LIST WITHCODE LIBRARYNAME tw*", "FCALL_RO solo 1 x", "FCALL duo 0");
        // FUNCTION DUMP payloads are exchangeable with Redis both ways (one library: Redis dumps in hash order)
        diff.same("FUNCTION DELETE two");
        String dumped = diff.redis().call("FUNCTION DUMP");
        assertThat(diff.basalt().call("FUNCTION DUMP")).isEqualTo(dumped);
        diff.same("FUNCTION FLUSH");
        RespConnection b = diff.basalt();
        List<byte[]> restore = new java.util.ArrayList<>(List.of("FUNCTION".getBytes(), "RESTORE".getBytes(),
                payload(dumped)));
        assertThat(b.call(restore)).isEqualTo("+OK\r\n");
        assertThat(b.call(restore)).isEqualTo("-ERR Library 'one' already exists\r\n");
        restore.add("REPLACE".getBytes());
        assertThat(b.call(restore)).isEqualTo("+OK\r\n");
        assertThat(b.call("FCALL solo 2 a b")).isEqualTo("$6\r\nsolo:2\r\n");
        // functions are data, but not keys: FLUSHALL leaves them (like Redis)
        b.call("FLUSHALL");
        assertThat(b.call("FCALL solo 0")).isEqualTo("$6\r\nsolo:0\r\n");
    }

    private static byte[] payload(String bulkReply) {
        byte[] raw = bulkReply.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int nl = bulkReply.indexOf("\r\n");
        int len = Integer.parseInt(bulkReply.substring(1, nl));
        return java.util.Arrays.copyOfRange(raw, nl + 2, nl + 2 + len);
    }
}
