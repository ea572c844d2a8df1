package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** String commands: parse and reply here; storage meaning lives in the type layer. */
public final class StringCommands {
    private StringCommands() {}

    public static void register(CommandRegistry r) {
        r.read("get", StringCommands::get);
        r.write("set", StringCommands::set, (args, ctx) -> SetOptions.parse(args, 3, "set"));
        r.write("setnx", StringCommands::setnx);
        r.write("setex", ctx -> setWithTtl(ctx, 1000, "setex"), (a, c) -> ttlArg(a, 1000, "setex"));
        r.write("psetex", ctx -> setWithTtl(ctx, 1, "psetex"), (a, c) -> ttlArg(a, 1, "psetex"));
        r.write("getex", StringCommands::getex, (a, c) -> GetExOptions.parse(a));
        r.write("getdel", StringCommands::getdel);
        r.write("getset", StringCommands::getset);
        r.write("mset", StringCommands::mset, StringCommands::validatePairs);
        r.write("msetnx", StringCommands::msetnx, StringCommands::validatePairs);
        r.read("mget", StringCommands::mget);
        r.write("append", StringCommands::append);
        r.read("strlen", ctx -> Reply.integer(len(ctx.keyspace().entry(ctx.args().bytes(1)).stringValue())));
        r.read("getrange", StringCommands::getrange);
        r.read("substr", StringCommands::getrange);
        r.write("setrange", StringCommands::setrange, (a, c) -> offsetArg(a));
        r.write("incr", ctx -> incrBy(ctx, 1));
        r.write("decr", ctx -> incrBy(ctx, -1));
        r.write("incrby", ctx -> incrBy(ctx, ctx.args().longValue(2)), (a, c) -> a.longValue(2));
        r.write("decrby", StringCommands::decrby, (a, c) -> a.longValue(2));
        r.write("incrbyfloat", StringCommands::incrbyfloat, (a, c) -> parseDecimal(a.bytes(2)));
        r.read("lcs", StringCommands::lcs);
    }

    private static int len(byte[] v) {
        return v == null ? 0 : v.length;
    }

    static Reply get(CommandContext ctx) {
        Reply r = ctx.keyspace().entry(ctx.args().bytes(1)).stringReply();
        (r == Reply.NULL ? ctx.node().stats().keyspaceMisses : ctx.node().stats().keyspaceHits).increment();
        return r;
    }

    static Reply set(ApplyContext ctx) {
        Args a = ctx.args();
        SetOptions o = SetOptions.parse(a, 3, "set");
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(a.bytes(1));
        byte[] old = null;
        if (o.get) {
            old = e.stringValue(); // WRONGTYPE if not a string, before anything changes
        }
        if ((o.nx && e.exists()) || (o.xx && !e.exists())) {
            return o.get ? Reply.bulk(old) : Reply.NULL;
        }
        long expireAt = o.keepTtl ? e.expireAt() : o.expireAt(ctx.nowMs(), "set");
        ks.putString(e, a.bytes(2), expireAt);
        return o.get ? Reply.bulk(old) : Reply.OK;
    }

    static Reply setnx(ApplyContext ctx) {
        Entry e = ctx.keyspace().entry(ctx.args().bytes(1));
        if (e.exists()) {
            return Reply.ZERO;
        }
        ctx.keyspace().putString(e, ctx.args().bytes(2), 0);
        return Reply.ONE;
    }

    private static long ttlArg(Args a, long unitMs, String command) {
        long ttl = a.longValue(2);
        if (ttl <= 0 || ttl > Long.MAX_VALUE / unitMs) {
            throw Errors.invalidExpire(command);
        }
        return ttl * unitMs;
    }

    static Reply setWithTtl(ApplyContext ctx, long unitMs, String command) {
        long ttl = ttlArg(ctx.args(), unitMs, command);
        long at = ctx.nowMs() + ttl;
        if (at < ctx.nowMs()) {
            throw Errors.invalidExpire(command);
        }
        KeyspaceTxn ks = ctx.keyspace();
        ks.putString(ks.entry(ctx.args().bytes(1)), ctx.args().bytes(3), at);
        return Reply.OK;
    }

    static Reply getex(ApplyContext ctx) {
        GetExOptions o = GetExOptions.parse(ctx.args());
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        byte[] v = e.stringValue();
        if (v == null) {
            return Reply.NULL;
        }
        if (o.persist) {
            if (e.expireAt() != 0) {
                ks.setExpire(e, 0);
            }
        } else if (o.options.unit != 0) {
            long at = o.options.expireAt(ctx.nowMs(), "getex");
            if (at <= ctx.nowMs()) {
                ks.delete(e); // an expiry in the past deletes the key, as Redis does
            } else {
                ks.setExpire(e, at);
            }
        }
        return Reply.bulk(v);
    }

    static Reply getdel(ApplyContext ctx) {
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        byte[] v = e.stringValue();
        if (v != null) {
            ks.delete(e);
        }
        return Reply.bulk(v);
    }

    static Reply getset(ApplyContext ctx) {
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        byte[] old = e.stringValue();
        ks.putString(e, ctx.args().bytes(2), 0);
        return Reply.bulk(old);
    }

    static void validatePairs(Args a, CommandContext ctx) {
        if (a.size() % 2 == 0) {
            throw Errors.wrongArgs(a.name());
        }
    }

    static Reply mset(ApplyContext ctx) {
        validatePairs(ctx.args(), null);
        KeyspaceTxn ks = ctx.keyspace();
        Args a = ctx.args();
        for (int i = 1; i < a.size(); i += 2) {
            ks.putString(ks.entry(a.bytes(i)), a.bytes(i + 1), 0);
        }
        return Reply.OK;
    }

    static Reply msetnx(ApplyContext ctx) {
        validatePairs(ctx.args(), null);
        KeyspaceTxn ks = ctx.keyspace();
        Args a = ctx.args();
        for (int i = 1; i < a.size(); i += 2) {
            if (ks.exists(a.bytes(i))) {
                return Reply.ZERO;
            }
        }
        for (int i = 1; i < a.size(); i += 2) {
            ks.putString(ks.entry(a.bytes(i)), a.bytes(i + 1), 0);
        }
        return Reply.ONE;
    }

    static Reply mget(CommandContext ctx) {
        Keyspace ks = ctx.keyspace();
        Args a = ctx.args();
        List<Reply> out = new ArrayList<>(a.size() - 1);
        for (int i = 1; i < a.size(); i++) {
            Entry e = ks.entry(a.bytes(i));
            out.add(e.exists() && e.type() == io.basalt.server.storage.encoding.RedisType.STRING ? e.stringReply() : Reply.NULL);
        }
        return Reply.array(out);
    }

    static void checkSize(long size, ApplyContext ctx) {
        if (size > ctx.maxBulkLen()) {
            throw new RedisException(Errors.STRING_TOO_LONG);
        }
    }

    static Reply append(ApplyContext ctx) {
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        byte[] old = e.stringValue();
        byte[] add = ctx.args().bytes(2);
        if (old == null) {
            ks.putString(e, add, 0);
            return Reply.integer(add.length);
        }
        checkSize((long) old.length + add.length, ctx);
        byte[] v = Arrays.copyOf(old, old.length + add.length);
        System.arraycopy(add, 0, v, old.length, add.length);
        ks.putString(e, v, e.expireAt());
        return Reply.integer(v.length);
    }

    static Reply getrange(CommandContext ctx) {
        Args a = ctx.args();
        long start = a.longValue(2);
        long end = a.longValue(3);
        byte[] v = ctx.keyspace().entry(a.bytes(1)).stringValue();
        return Reply.bulk(range(v == null ? new byte[0] : v, start, end));
    }

    /** Redis's GETRANGE index rules (negative = from the end, clamped, empty when inverted). */
    static byte[] range(byte[] v, long start, long end) {
        long n = v.length;
        if (start < 0 && end < 0 && start > end) {
            return new byte[0];
        }
        if (start < 0) {
            start = n + start;
        }
        if (end < 0) {
            end = n + end;
        }
        start = Math.max(0, start);
        end = Math.max(0, end);
        if (end >= n) {
            end = n - 1;
        }
        if (start > end || n == 0) {
            return new byte[0];
        }
        return Arrays.copyOfRange(v, (int) start, (int) end + 1);
    }

    private static long offsetArg(Args a) {
        long off = a.longValue(2);
        if (off < 0) {
            throw new RedisException("ERR offset is out of range");
        }
        return off;
    }

    static Reply setrange(ApplyContext ctx) {
        long off = offsetArg(ctx.args());
        byte[] value = ctx.args().bytes(3);
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        byte[] old = e.stringValue();
        if (value.length == 0) {
            return Reply.integer(len(old)); // nothing to write: a missing key is not created
        }
        checkSize(off + value.length, ctx);
        int newLen = (int) Math.max(len(old), off + value.length);
        byte[] v = old == null ? new byte[newLen] : Arrays.copyOf(old, newLen);
        System.arraycopy(value, 0, v, (int) off, value.length);
        ks.putString(e, v, e.expireAt());
        return Reply.integer(v.length);
    }

    static Reply decrby(ApplyContext ctx) {
        long by = ctx.args().longValue(2);
        if (by == Long.MIN_VALUE) {
            throw new RedisException("ERR decrement would overflow");
        }
        return incrBy(ctx, -by);
    }

    static Reply incrBy(ApplyContext ctx, long by) {
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        byte[] old = e.stringValue();
        long cur = 0;
        if (old != null) {
            Long parsed = Args.parseLong(old);
            if (parsed == null) {
                throw Errors.notInteger();
            }
            cur = parsed;
        }
        long next;
        try {
            next = Math.addExact(cur, by);
        } catch (ArithmeticException ex) {
            throw new RedisException(Errors.OVERFLOW);
        }
        ks.putString(e, Long.toString(next).getBytes(StandardCharsets.US_ASCII), e.expireAt());
        return Reply.integer(next);
    }

    /**
     * INCRBYFLOAT. Redis computes in long double and prints with 17 decimals, trailing zeros
     * removed; {@link LongDouble} reproduces that arithmetic exactly (0.1 + 0.2 = "0.3", and
     * 0.3 + 5.0e3 = "5000.29999999999999982", digit for digit).
     */
    static Reply incrbyfloat(ApplyContext ctx) {
        BigDecimal by = parseDecimal(ctx.args().bytes(2));
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        byte[] old = e.stringValue();
        BigDecimal cur = old == null ? BigDecimal.ZERO : parseDecimal(old);
        BigDecimal sum = LongDouble.round(LongDouble.round(cur).add(LongDouble.round(by)));
        if (sum.abs().compareTo(MAX_LONG_DOUBLE) > 0) {
            throw new RedisException("ERR increment would produce NaN or Infinity");
        }
        byte[] text = formatDecimal(sum).getBytes(StandardCharsets.US_ASCII);
        ks.putString(e, text, e.expireAt());
        return Reply.bulk(text);
    }

    /** INCRBYFLOAT's arithmetic (long double precision, Redis's formatting); also HINCRBYFLOAT's. */
    static byte[] addDecimals(BigDecimal cur, BigDecimal by) {
        BigDecimal sum = LongDouble.round(LongDouble.round(cur).add(LongDouble.round(by)));
        if (sum.abs().compareTo(MAX_LONG_DOUBLE) > 0) {
            throw new RedisException("ERR increment would produce NaN or Infinity");
        }
        return formatDecimal(sum).getBytes(StandardCharsets.US_ASCII);
    }

    private static final BigDecimal MAX_LONG_DOUBLE = new BigDecimal("1.18973149535723176502e4932");

    static BigDecimal parseDecimal(byte[] b) {
        String s = new String(b, StandardCharsets.US_ASCII);
        if (s.isEmpty() || s.length() > 5000 || Character.isWhitespace(s.charAt(0))
                || Character.isWhitespace(s.charAt(s.length() - 1))) {
            throw Errors.notFloat();
        }
        String l = s.toLowerCase(java.util.Locale.ROOT);
        if (l.contains("inf") || l.contains("nan")) {
            throw new RedisException(l.contains("nan") ? Errors.NOT_FLOAT : "ERR increment would produce NaN or Infinity");
        }
        try {
            String body = l.startsWith("+") || l.startsWith("-") ? l.substring(1) : l;
            if (body.startsWith("0x")) { // strtold reads hexadecimal floats too
                double d = Double.parseDouble(l.contains("p") ? l : l + "p0");
                return new BigDecimal(d);
            }
            return new BigDecimal(s.startsWith("+") ? s.substring(1) : s);
        } catch (NumberFormatException | ArithmeticException ex) {
            throw Errors.notFloat();
        }
    }

    static String formatDecimal(BigDecimal d) {
        BigDecimal r = d.setScale(17, RoundingMode.HALF_EVEN).stripTrailingZeros();
        String s = r.toPlainString();
        if (s.equals("-0")) {
            return "0";
        }
        return s;
    }

    static Reply lcs(CommandContext ctx) {
        Args a = ctx.args();
        boolean lenOnly = false;
        boolean idx = false;
        boolean withMatchLen = false;
        long minLen = 0;
        for (int i = 3; i < a.size(); i++) {
            if (a.is(i, "LEN")) {
                lenOnly = true;
            } else if (a.is(i, "IDX")) {
                idx = true;
            } else if (a.is(i, "WITHMATCHLEN")) {
                withMatchLen = true;
            } else if (a.is(i, "MINMATCHLEN") && i + 1 < a.size()) {
                minLen = Math.max(0, a.longValue(++i));
            } else {
                throw Errors.syntax();
            }
        }
        Keyspace ks = ctx.keyspace();
        Entry ea = ks.entry(a.bytes(1));
        Entry eb = ks.entry(a.bytes(2));
        if ((ea.exists() && ea.type() != io.basalt.server.storage.encoding.RedisType.STRING)
                || (eb.exists() && eb.type() != io.basalt.server.storage.encoding.RedisType.STRING)) {
            throw new RedisException("ERR The specified keys must contain string values");
        }
        if (lenOnly && idx) {
            throw new RedisException("ERR If you want both the length and indexes, please just use IDX.");
        }
        byte[] x = ea.exists() ? ea.stringValue() : new byte[0];
        byte[] y = eb.exists() ? eb.stringValue() : new byte[0];
        if ((long) (x.length + 1) * (y.length + 1) * 4 > ctx.node().config().getLong("proto-max-bulk-len")) {
            throw new RedisException("ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len");
        }
        return Lcs.reply(x, y, lenOnly, idx, withMatchLen, minLen);
    }

    /** Options of SET: NX|XX, GET, EX|PX|EXAT|PXAT|KEEPTTL. */
    static final class SetOptions {
        boolean nx;
        boolean xx;
        boolean get;
        boolean keepTtl;
        char unit; // 0 none, 's' EX, 'm' PX, 'S' EXAT, 'M' PXAT
        long amount;

        static SetOptions parse(Args a, int from, String command) {
            SetOptions o = new SetOptions();
            for (int i = from; i < a.size(); i++) {
                if (a.is(i, "NX") && !o.xx) {
                    o.nx = true;
                } else if (a.is(i, "XX") && !o.nx) {
                    o.xx = true;
                } else if (a.is(i, "GET")) {
                    o.get = true;
                } else if (a.is(i, "KEEPTTL") && o.unit == 0) {
                    o.keepTtl = true;
                } else if (o.unit == 0 && !o.keepTtl && i + 1 < a.size() && o.parseExpiry(a, i, command)) {
                    i++;
                } else {
                    throw Errors.syntax();
                }
            }
            return o;
        }

        /** Parses EX/PX/EXAT/PXAT at {@code i} if present; Redis checks the number right away. */
        boolean parseExpiry(Args a, int i, String command) {
            char u = a.is(i, "EX") ? 's' : a.is(i, "PX") ? 'm' : a.is(i, "EXAT") ? 'S' : a.is(i, "PXAT") ? 'M' : 0;
            if (u == 0) {
                return false;
            }
            unit = u;
            amount = a.longValue(i + 1);
            if (amount <= 0 || (unit == 's' || unit == 'S') && amount > Long.MAX_VALUE / 1000) {
                throw Errors.invalidExpire(command);
            }
            return true;
        }

        /** The absolute expiry (unix ms) using the write's fixed time, or 0 for none. */
        long expireAt(long nowMs, String command) {
            long at;
            switch (unit) {
                case 's' -> at = nowMs + amount * 1000;
                case 'm' -> at = nowMs + amount;
                case 'S' -> at = amount * 1000;
                case 'M' -> at = amount;
                default -> {
                    return 0;
                }
            }
            if ((unit == 's' || unit == 'm') && at < nowMs) {
                throw Errors.invalidExpire(command); // now + ttl overflowed
            }
            return at;
        }
    }

    /** Options of GETEX: EX|PX|EXAT|PXAT|PERSIST, at most one. */
    static final class GetExOptions {
        final SetOptions options = new SetOptions();
        boolean persist;

        static GetExOptions parse(Args a) {
            GetExOptions o = new GetExOptions();
            for (int i = 2; i < a.size(); i++) {
                boolean none = o.options.unit == 0 && !o.persist;
                if (a.is(i, "PERSIST") && none) {
                    o.persist = true;
                } else if (none && i + 1 < a.size() && o.options.parseExpiry(a, i, "getex")) {
                    i++;
                } else {
                    throw Errors.syntax();
                }
            }
            return o;
        }
    }
}
