package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.KeyspaceTxn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** BITFIELD / BITFIELD_RO: GET, SET, INCRBY on i1..i64 / u1..u63 fields with WRAP, SAT or FAIL overflow. */
final class Bitfield {
    private Bitfield() {}

    enum Overflow { WRAP, SAT, FAIL }

    record Op(char kind, boolean signed, int bits, long offset, long value, Overflow overflow) {}

    static List<Op> parse(Args a, boolean readOnly, long maxBulkLen) {
        List<Op> ops = new ArrayList<>();
        Overflow overflow = Overflow.WRAP;
        for (int i = 2; i < a.size(); i++) {
            int left = a.size() - i - 1;
            if (a.is(i, "GET") && left >= 2) {
                int[] t = type(a.string(i + 1));
                ops.add(new Op('g', t[0] == 1, t[1], offset(a.string(i + 2), t[1], maxBulkLen), 0, overflow));
                i += 2;
            } else if ((a.is(i, "SET") || a.is(i, "INCRBY")) && left >= 3) {
                if (readOnly) {
                    throw new RedisException("ERR BITFIELD_RO only supports the GET subcommand");
                }
                int[] t = type(a.string(i + 1));
                long off = offset(a.string(i + 2), t[1], maxBulkLen);
                long v = a.longValue(i + 3);
                ops.add(new Op(a.is(i, "SET") ? 's' : 'i', t[0] == 1, t[1], off, v, overflow));
                i += 3;
            } else if (a.is(i, "OVERFLOW") && left >= 1) {
                if (readOnly) {
                    throw new RedisException("ERR BITFIELD_RO only supports the GET subcommand");
                }
                String o = a.string(i + 1).toUpperCase(java.util.Locale.ROOT);
                switch (o) {
                    case "WRAP" -> overflow = Overflow.WRAP;
                    case "SAT" -> overflow = Overflow.SAT;
                    case "FAIL" -> overflow = Overflow.FAIL;
                    default -> throw new RedisException("ERR Invalid OVERFLOW type specified");
                }
                i += 1;
            } else {
                throw Errors.syntax();
            }
        }
        return ops;
    }

    /** {signed?1:0, bits}. */
    private static int[] type(String t) {
        String err = "ERR Invalid bitfield type. Use something like i16 u8. Note that u64 is not supported but i64 is.";
        if (t.length() < 2 || (t.charAt(0) != 'i' && t.charAt(0) != 'I' && t.charAt(0) != 'u' && t.charAt(0) != 'U')) {
            throw new RedisException(err);
        }
        boolean signed = t.charAt(0) == 'i' || t.charAt(0) == 'I';
        Long bits = Args.parseLong(t.substring(1).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (bits == null || bits < 1 || (signed && bits > 64) || (!signed && bits > 63)) {
            throw new RedisException(err);
        }
        return new int[] {signed ? 1 : 0, bits.intValue()};
    }

    private static long offset(String s, int bits, long maxBulkLen) {
        boolean mul = s.startsWith("#");
        Long v = Args.parseLong((mul ? s.substring(1) : s).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        if (v == null || v < 0) {
            throw new RedisException(Errors.BIT_OFFSET);
        }
        long off = mul ? v * bits : v;
        if (mul && v != 0 && off / bits != v || off > BitmapCommands.MAX_BIT_OFFSET || ((off + bits - 1) >> 3) >= maxBulkLen) {
            throw new RedisException(Errors.BIT_OFFSET);
        }
        return off;
    }

    static long read(byte[] v, long off, int bits, boolean signed) {
        long x = 0;
        for (int k = 0; k < bits; k++) {
            long b = off + k;
            int byteIdx = (int) (b >>> 3);
            int bit = byteIdx < v.length ? (v[byteIdx] >> (7 - (b & 7))) & 1 : 0;
            x = (x << 1) | bit;
        }
        if (signed && bits < 64 && ((x >>> (bits - 1)) & 1) == 1) {
            x |= -1L << bits; // sign-extend
        }
        return x;
    }

    static void write(byte[] v, long off, int bits, long x) {
        for (int k = 0; k < bits; k++) {
            long b = off + k;
            int bit = (int) ((x >>> (bits - 1 - k)) & 1);
            int byteIdx = (int) (b >>> 3);
            int mask = 0x80 >>> (b & 7);
            v[byteIdx] = (byte) (bit == 1 ? v[byteIdx] | mask : v[byteIdx] & ~mask);
        }
    }

    /** Fits {@code value} (or old + incr) into the field per the overflow policy; null = FAIL. */
    static Long fit(boolean signed, int bits, long old, long incr, boolean isIncr, Overflow ov) {
        long min = signed ? (bits == 64 ? Long.MIN_VALUE : -(1L << (bits - 1))) : 0;
        long max = signed ? (bits == 64 ? Long.MAX_VALUE : (1L << (bits - 1)) - 1) : (1L << bits) - 1;
        java.math.BigInteger want = isIncr ? java.math.BigInteger.valueOf(old).add(java.math.BigInteger.valueOf(incr))
                : java.math.BigInteger.valueOf(incr);
        boolean over = want.compareTo(java.math.BigInteger.valueOf(max)) > 0;
        boolean under = want.compareTo(java.math.BigInteger.valueOf(min)) < 0;
        if (!over && !under) {
            return want.longValue();
        }
        switch (ov) {
            case FAIL -> {
                return null;
            }
            case SAT -> {
                return over ? max : min;
            }
            default -> {
                long raw = want.longValue(); // low 64 bits
                if (bits == 64) {
                    return raw;
                }
                long masked = raw & ((1L << bits) - 1);
                if (signed && ((masked >>> (bits - 1)) & 1) == 1) {
                    masked |= -1L << bits;
                }
                return masked;
            }
        }
    }

    static Reply apply(ApplyContext ctx) {
        Args a = ctx.args();
        List<Op> ops = parse(a, false, ctx.maxBulkLen());
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(a.bytes(1));
        byte[] v = e.stringValue();
        boolean existed = v != null;
        v = v == null ? new byte[0] : v;
        boolean changed = false;
        List<Reply> out = new ArrayList<>();
        for (Op op : ops) {
            if (op.kind() == 'g') {
                out.add(Reply.integer(read(v, op.offset(), op.bits(), op.signed())));
                continue;
            }
            int need = (int) ((op.offset() + op.bits() + 7) >>> 3);
            if (need > v.length) {
                v = Arrays.copyOf(v, need);
                changed = true;
            }
            long old = read(v, op.offset(), op.bits(), op.signed());
            Long next = fit(op.signed(), op.bits(), old, op.value(), op.kind() == 'i', op.overflow());
            if (next == null) {
                out.add(Reply.NULL);
                continue;
            }
            write(v, op.offset(), op.bits(), next);
            changed = true;
            out.add(Reply.integer(op.kind() == 's' ? old : next));
        }
        if (changed) {
            ks.putString(e, v, existed ? e.expireAt() : 0);
        }
        return Reply.array(out);
    }

    static Reply readOnly(CommandContext ctx) {
        List<Op> ops = parse(ctx.args(), true, ctx.node().config().getLong("proto-max-bulk-len"));
        byte[] v = ctx.keyspace().entry(ctx.args().bytes(1)).stringValue();
        v = v == null ? new byte[0] : v;
        List<Reply> out = new ArrayList<>();
        for (Op op : ops) {
            out.add(Reply.integer(read(v, op.offset(), op.bits(), op.signed())));
        }
        return Reply.array(out);
    }
}
