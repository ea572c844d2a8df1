package io.basalt.server.commands;


import io.basalt.server.testing.DifferentialHarness;
import io.basalt.server.testing.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bitmap commands, reply-for-reply against a real Redis. */
class BitmapCommandsTest {
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
    void need() {
        diff.require();
    }

    @Test
    void setbitGetbit() throws Exception {
        diff.same("SETBIT b 7 1", "GET b", "SETBIT b 7 0", "SETBIT b 100 1", "STRLEN b", "GETBIT b 100", "GETBIT b 101",
                "GETBIT b 100000", "GETBIT nope 3", "SETBIT b -1 1", "SETBIT b 4294967296 1", "SETBIT b 1 2", "SETBIT b x 1",
                "SETBIT b 1 x", "GETBIT b -1", "SET s foo", "SETBIT s 1 0", "GET s", "SET t 1 EX 100", "SETBIT t 0 1", "TTL t");
    }

    @Test
    void bitcountBitpos() throws Exception {
        diff.same("SET k foobar", "BITCOUNT k", "BITCOUNT k 0 0", "BITCOUNT k 1 1", "BITCOUNT k 1 1 BYTE", "BITCOUNT k 5 30 BIT",
                "BITCOUNT k -2 -1", "BITCOUNT k 0", "BITCOUNT k 0 1 FOO", "BITCOUNT nope", "BITCOUNT k 4 2", "BITCOUNT k a b",
                "SET p \"\\xff\\xf0\\x00\"", "BITPOS p 0", "BITPOS p 1", "BITPOS p 1 2", "BITPOS p 1 0 -1 BIT", "BITPOS p 0 8 -1 BIT",
                "BITPOS p 0 0 0", "BITPOS p 2", "SET all \"\\xff\\xff\"", "BITPOS all 0", "BITPOS all 0 0 -1", "BITPOS nope 0",
                "BITPOS nope 1", "BITPOS p 1 3", "BITPOS p 0 1 1 BYTE", "BITPOS p 1 2 1", "BITPOS p x");
    }

    @Test
    void bitop() throws Exception {
        diff.same("SET a foobar", "SET b abcdef", "BITOP AND d a b", "GET d", "BITOP OR d a b", "GET d", "BITOP XOR d a b", "GET d",
                "BITOP NOT d a", "GET d", "BITOP NOT d a b", "BITOP FOO d a", "SET c x", "BITOP AND d a c", "GET d",
                "BITOP OR d nope1 nope2", "EXISTS d", "SET d 1 EX 100", "BITOP OR d a", "TTL d");
    }

    @Test
    void bitfield() throws Exception {
        diff.same("BITFIELD f SET i8 0 100 GET i8 0", "BITFIELD f INCRBY i8 0 100", "BITFIELD f OVERFLOW SAT INCRBY i8 0 100",
                "BITFIELD f OVERFLOW FAIL INCRBY i8 0 100", "BITFIELD f OVERFLOW WRAP INCRBY u4 #1 20", "BITFIELD f GET u4 #1 GET i64 0",
                "BITFIELD f SET u63 0 5", "BITFIELD f GET u64 0", "BITFIELD f GET i65 0", "BITFIELD f GET x8 0", "BITFIELD f GET i8 -1",
                "BITFIELD f OVERFLOW BAD", "BITFIELD f SET i8 0", "BITFIELD f FOO", "BITFIELD nope GET i8 0", "EXISTS nope",
                "BITFIELD g SET u8 0 256", "BITFIELD g OVERFLOW SAT SET u8 0 300 SET i8 8 -200", "BITFIELD g OVERFLOW FAIL SET u8 0 300",
                "GET g", "BITFIELD_RO g GET u8 0 GET i8 8", "BITFIELD_RO g SET u8 0 1", "BITFIELD h INCRBY i64 0 9223372036854775807",
                "BITFIELD h INCRBY i64 0 1", "BITFIELD h OVERFLOW SAT INCRBY i64 0 1", "BITFIELD h", "BITFIELD h SET u1 #7 1 GET u8 0");
    }
}
