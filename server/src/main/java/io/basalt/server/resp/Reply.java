package io.basalt.server.resp;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * A reply in protocol-neutral form. {@link RespWriter} renders it as RESP2 or RESP3; RESP3-only
 * shapes (map, set, double, boolean, big number, verbatim, push) degrade to RESP2 as Redis does.
 */
public sealed interface Reply {

    Reply OK = new Simple("OK");
    Reply PONG = new Simple("PONG");
    Reply QUEUED = new Simple("QUEUED");
    Reply NULL = new Null();
    /** A RESP2 null array ({@code *-1}); RESP3 renders it as {@code _}. */
    Reply NULL_ARRAY = new NullArray();
    Reply ZERO = new Int(0);
    Reply ONE = new Int(1);
    Reply EMPTY_ARRAY = new Array(List.of());

    record Simple(String text) implements Reply {}

    /** {@code text} starts with the error code ({@code ERR …}, {@code WRONGTYPE …}). */
    record Error(String text) implements Reply {
        /** The error code Redis counts in errorstats: the first word. */
        public String code() {
            int sp = text.indexOf(' ');
            return sp < 0 ? text : text.substring(0, sp);
        }
    }

    record Int(long value) implements Reply {}

    record Bulk(byte[] value) implements Reply {
        @Override
        public boolean equals(Object o) {
            return o instanceof Bulk b && Arrays.equals(value, b.value);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Bulk[" + new String(value, StandardCharsets.UTF_8) + "]";
        }
    }

    /**
     * A bulk string that is a slice of a larger array (a value inside its stored metadata), so GET
     * writes straight from what storage returned without another copy.
     */
    record BulkSlice(byte[] array, int offset, int length) implements Reply {
        public byte[] toBytes() {
            return Arrays.copyOfRange(array, offset, offset + length);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof BulkSlice b && Arrays.equals(array, offset, offset + length, b.array, b.offset, b.offset + b.length);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(toBytes());
        }
    }

    record Null() implements Reply {}

    record NullArray() implements Reply {}

    record Array(List<Reply> items) implements Reply {}

    /** Flattened key/value pairs; RESP2 renders an array of 2n elements. */
    record MapReply(List<Reply> keysAndValues) implements Reply {}

    record SetReply(List<Reply> items) implements Reply {}

    /** RESP3 double; RESP2 renders a bulk string formatted like Redis does. */
    record DoubleReply(double value) implements Reply {}

    /** A double already formatted (GEOPOS's human long double): a bulk string in RESP2, a double in RESP3. */
    record DoubleText(String text) implements Reply {}

    /**
     * A blocking command found nothing to serve: the connection waits for a write to its keys. Never
     * sent. {@code retryArgs}, when not null, replace the command's arguments for its retries (XREAD
     * resolves {@code $} to the stream's last ID at the first attempt).
     */
    record Blocked(java.util.List<byte[]> retryArgs) implements Reply {}

    Reply BLOCKED = new Blocked(null);

    /** Key/value pairs: a map in RESP3, an array of 2-element arrays in RESP2 (XREAD's reply). */
    record KeyedArrays(List<Reply> keysAndValues) implements Reply {}

    /** Member, score pairs: an array of 2-element arrays in RESP3, one flat array in RESP2 (ZPOPMIN count, …). */
    record Pairs(List<Reply> flat) implements Reply {}

    /** RESP3 boolean; RESP2 renders integer 1/0. */
    record Bool(boolean value) implements Reply {}

    /** RESP3 verbatim string ({@code txt}); RESP2 renders a bulk string. */
    record Verbatim(String format, byte[] value) implements Reply {}

    /** RESP3 push (pub/sub, monitor); RESP2 renders an array. */
    record Push(List<Reply> items) implements Reply {}

    /** Several replies to one command, written one after another (SUBSCRIBE a b → two confirmations). */
    record Many(List<Reply> replies) implements Reply {}

    static Reply bulk(byte[] v) {
        return v == null ? NULL : new Bulk(v);
    }

    static Reply bulk(String s) {
        return s == null ? NULL : new Bulk(s.getBytes(StandardCharsets.UTF_8));
    }

    static Reply integer(long v) {
        return v == 0 ? ZERO : v == 1 ? ONE : new Int(v);
    }

    static Reply error(String text) {
        return new Error(text);
    }

    static Reply simple(String s) {
        return new Simple(s);
    }

    static Reply array(List<Reply> items) {
        return new Array(items);
    }

    static Reply array(Reply... items) {
        return new Array(List.of(items));
    }
}
