package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.KeyspaceTxn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Bitmap commands over string values; bit 0 is the most significant bit of the first byte, as in Redis. */
public final class BitmapCommands {
    private BitmapCommands() {}

    static final long MAX_BIT_OFFSET = (1L << 32) - 1;

    public static void register(CommandRegistry r) {
        r.write("setbit", BitmapCommands::setbit, (a, c) -> {
            bitOffset(a.bytes(2), c.node().config().getLong("proto-max-bulk-len"));
            bitValue(a);
        });
        r.read("getbit", BitmapCommands::getbit);
        r.read("bitcount", BitmapCommands::bitcount);
        r.read("bitpos", BitmapCommands::bitpos);
        r.write("bitop", BitmapCommands::bitop, (a, c) -> BitOp.parse(a));
        r.write("bitfield", ctx -> Bitfield.apply(ctx), (a, c) -> Bitfield.parse(a, false, c.node().config().getLong("proto-max-bulk-len")));
        r.read("bitfield_ro", Bitfield::readOnly);
    }

    /** A bit offset: 0 ≤ offset < 2^32 and within proto-max-bulk-len bytes. */
    static long bitOffset(byte[] arg, long maxBulkLen) {
        Long v = Args.parseLong(arg);
        if (v == null || v < 0 || v > MAX_BIT_OFFSET || (v >> 3) >= maxBulkLen) {
            throw new RedisException(Errors.BIT_OFFSET);
        }
        return v;
    }

    private static int bitValue(Args a) {
        Long v = Args.parseLong(a.bytes(3));
        if (v == null || (v != 0 && v != 1)) {
            throw new RedisException(Errors.BIT_VALUE);
        }
        return v.intValue();
    }

    static Reply setbit(ApplyContext ctx) {
        Args a = ctx.args();
        long off = bitOffset(a.bytes(2), ctx.maxBulkLen());
        int bit = bitValue(a);
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(a.bytes(1));
        byte[] v = e.stringValue();
        int byteIdx = (int) (off >>> 3);
        if (v == null || v.length <= byteIdx) {
            v = v == null ? new byte[byteIdx + 1] : Arrays.copyOf(v, byteIdx + 1);
        }
        int mask = 0x80 >>> (off & 7);
        int old = (v[byteIdx] & mask) != 0 ? 1 : 0;
        v[byteIdx] = (byte) (bit == 1 ? v[byteIdx] | mask : v[byteIdx] & ~mask);
        ks.putString(e, v, e.expireAt());
        return Reply.integer(old);
    }

    static Reply getbit(CommandContext ctx) {
        long off = bitOffset(ctx.args().bytes(2), ctx.node().config().getLong("proto-max-bulk-len"));
        byte[] v = ctx.keyspace().entry(ctx.args().bytes(1)).stringValue();
        int byteIdx = (int) (off >>> 3);
        if (v == null || byteIdx >= v.length) {
            return Reply.ZERO;
        }
        return Reply.integer((v[byteIdx] >> (7 - (off & 7))) & 1);
    }

    /** Resolves a [start, end] range (bytes or bits) over {@code lenUnits} units like GETRANGE; null if empty. */
    static long[] range(long start, long end, long lenUnits) {
        if (start < 0) {
            start = lenUnits + start;
        }
        if (end < 0) {
            end = lenUnits + end;
        }
        if (start < 0) {
            start = 0;
        }
        if (end < 0) {
            end = 0;
        }
        if (end >= lenUnits) {
            end = lenUnits - 1;
        }
        if (start > end || lenUnits == 0) {
            return null;
        }
        return new long[] {start, end};
    }

    /** BYTE|BIT argument at i (defaults to BYTE when absent). */
    private static boolean bitUnit(Args a, int i) {
        if (i >= a.size()) {
            return false;
        }
        if (a.is(i, "BIT")) {
            return true;
        }
        if (a.is(i, "BYTE")) {
            return false;
        }
        throw Errors.syntax();
    }

    static Reply bitcount(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() == 3 || a.size() > 5) {
            throw Errors.syntax();
        }
        long start = 0;
        long end = -1;
        boolean bits = false;
        if (a.size() >= 4) {
            start = a.longValue(2);
            end = a.longValue(3);
            bits = bitUnit(a, 4);
        }
        byte[] v = ctx.keyspace().entry(a.bytes(1)).stringValue();
        if (v == null) {
            return Reply.ZERO;
        }
        long[] r = range(start, end, bits ? (long) v.length * 8 : v.length);
        if (r == null) {
            return Reply.ZERO;
        }
        long firstBit = bits ? r[0] : r[0] * 8;
        long lastBit = bits ? r[1] : r[1] * 8 + 7;
        long count = 0;
        for (long b = firstBit; b <= lastBit; ) {
            if ((b & 7) == 0 && b + 7 <= lastBit) {
                count += Integer.bitCount(v[(int) (b >>> 3)] & 0xFF);
                b += 8;
            } else {
                count += (v[(int) (b >>> 3)] >> (7 - (b & 7))) & 1;
                b++;
            }
        }
        return Reply.integer(count);
    }

    static Reply bitpos(CommandContext ctx) {
        Args a = ctx.args();
        Long bitArg = Args.parseLong(a.bytes(2));
        if (bitArg == null) {
            throw Errors.notInteger();
        }
        if (bitArg != 0 && bitArg != 1) {
            throw new RedisException("ERR The bit argument must be 1 or 0.");
        }
        int bit = bitArg.intValue();
        if (a.size() > 6) {
            throw Errors.syntax();
        }
        long start = a.size() > 3 ? a.longValue(3) : 0;
        boolean endGiven = a.size() > 4;
        long end = endGiven ? a.longValue(4) : -1;
        boolean bits = bitUnit(a, 5);
        byte[] v = ctx.keyspace().entry(a.bytes(1)).stringValue();
        if (v == null) {
            return Reply.integer(bit == 1 ? -1 : 0);
        }
        long units = bits ? (long) v.length * 8 : v.length;
        long[] r = range(start, end, units);
        if (r == null) {
            return Reply.integer(-1);
        }
        long firstBit = bits ? r[0] : r[0] * 8;
        long lastBit = bits ? r[1] : r[1] * 8 + 7;
        for (long b = firstBit; b <= lastBit; b++) {
            if (((v[(int) (b >>> 3)] >> (7 - (b & 7))) & 1) == bit) {
                return Reply.integer(b);
            }
        }
        // Looking for a clear bit with no explicit end: the string is virtually padded with zeros.
        if (bit == 0 && !endGiven) {
            return Reply.integer(lastBit + 1);
        }
        return Reply.integer(-1);
    }

    /** BITOP operation parsing. */
    record BitOp(String op) {
        static BitOp parse(Args a) {
            String op;
            if (a.is(1, "AND")) {
                op = "and";
            } else if (a.is(1, "OR")) {
                op = "or";
            } else if (a.is(1, "XOR")) {
                op = "xor";
            } else if (a.is(1, "NOT")) {
                op = "not";
                if (a.size() != 4) {
                    throw new RedisException("ERR BITOP NOT must be called with a single source key.");
                }
            } else {
                throw Errors.syntax();
            }
            return new BitOp(op);
        }
    }

    static Reply bitop(ApplyContext ctx) {
        Args a = ctx.args();
        String op = BitOp.parse(a).op();
        KeyspaceTxn ks = ctx.keyspace();
        List<byte[]> srcs = new ArrayList<>();
        int maxLen = 0;
        for (int i = 3; i < a.size(); i++) {
            byte[] v = ks.entry(a.bytes(i)).stringValue();
            v = v == null ? new byte[0] : v;
            srcs.add(v);
            maxLen = Math.max(maxLen, v.length);
        }
        byte[] out = new byte[maxLen];
        if (op.equals("not")) {
            byte[] s = srcs.get(0);
            for (int i = 0; i < maxLen; i++) {
                out[i] = (byte) ~s[i];
            }
        } else {
            for (int i = 0; i < maxLen; i++) {
                int acc = i < srcs.get(0).length ? srcs.get(0)[i] & 0xFF : 0;
                for (int k = 1; k < srcs.size(); k++) {
                    byte[] s = srcs.get(k);
                    int b = i < s.length ? s[i] & 0xFF : 0;
                    acc = switch (op) {
                        case "and" -> acc & b;
                        case "or" -> acc | b;
                        default -> acc ^ b;
                    };
                }
                out[i] = (byte) acc;
            }
        }
        Entry dst = ks.entry(a.bytes(2));
        if (maxLen == 0) {
            ks.delete(dst);
        } else {
            ks.putString(dst, out, 0);
        }
        return Reply.integer(maxLen);
    }
}
