package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.types.FieldMap;
import io.basalt.server.storage.types.Keyspace;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/** Hash commands over {@link FieldMap}. */
public final class HashCommands {
    private HashCommands() {}

    public static void register(CommandRegistry r) {
        r.write("hset", ctx -> Reply.integer(hset(ctx)), (a, c) -> pairs(a));
        r.write("hmset", ctx -> {
            hset(ctx);
            return Reply.OK;
        }, (a, c) -> pairs(a));
        r.write("hsetnx", HashCommands::hsetnx);
        r.read("hget", ctx -> Reply.bulk(hash(ctx.keyspace(), ctx.args()).get(ctx.args().bytes(2))));
        r.read("hmget", ctx -> {
            FieldMap h = hash(ctx.keyspace(), ctx.args());
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.args().size(); i++) {
                out.add(Reply.bulk(h.get(ctx.args().bytes(i))));
            }
            return Reply.array(out);
        });
        r.write("hdel", HashCommands::hdel);
        r.read("hlen", ctx -> Reply.integer(hash(ctx.keyspace(), ctx.args()).size()));
        r.read("hstrlen", ctx -> {
            byte[] v = hash(ctx.keyspace(), ctx.args()).get(ctx.args().bytes(2));
            return Reply.integer(v == null ? 0 : v.length);
        });
        r.read("hexists", ctx -> hash(ctx.keyspace(), ctx.args()).contains(ctx.args().bytes(2)) ? Reply.ONE : Reply.ZERO);
        r.read("hkeys", ctx -> bulks(hash(ctx.keyspace(), ctx.args()).all(false)));
        r.read("hvals", ctx -> {
            List<Reply> out = new ArrayList<>();
            hash(ctx.keyspace(), ctx.args()).forEach((f, v) -> out.add(Reply.bulk(v)));
            return Reply.array(out);
        });
        r.read("hgetall", ctx -> {
            List<Reply> out = new ArrayList<>();
            hash(ctx.keyspace(), ctx.args()).forEach((f, v) -> {
                out.add(Reply.bulk(f));
                out.add(Reply.bulk(v));
                return true;
            });
            return new Reply.MapReply(out);
        });
        r.write("hincrby", HashCommands::hincrby, (a, c) -> a.longValue(3));
        r.write("hincrbyfloat", HashCommands::hincrbyfloat, (a, c) -> increment(a.bytes(3)));
        r.read("hrandfield", HashCommands::hrandfield);
        r.read("hscan", HashCommands::hscan);
    }

    static FieldMap hash(Keyspace ks, Args a) {
        return FieldMap.of(ks, a.bytes(1), RedisType.HASH);
    }

    static Reply bulks(List<byte[]> items) {
        List<Reply> out = new ArrayList<>(items.size());
        for (byte[] b : items) {
            out.add(Reply.bulk(b));
        }
        return Reply.array(out);
    }

    private static Object pairs(Args a) {
        if (a.size() % 2 != 0) {
            throw Errors.wrongArgs(a.name());
        }
        return null;
    }

    static long hset(ApplyContext ctx) {
        Args a = ctx.args();
        pairs(a);
        FieldMap h = hash(ctx.keyspace(), a);
        long created = 0;
        for (int i = 2; i < a.size(); i += 2) {
            if (h.put(a.bytes(i), a.bytes(i + 1))) {
                created++;
            }
        }
        h.save();
        return created;
    }

    static Reply hsetnx(ApplyContext ctx) {
        Args a = ctx.args();
        FieldMap h = hash(ctx.keyspace(), a);
        if (h.contains(a.bytes(2))) {
            return Reply.ZERO;
        }
        h.put(a.bytes(2), a.bytes(3));
        h.save();
        return Reply.ONE;
    }

    static Reply hdel(ApplyContext ctx) {
        Args a = ctx.args();
        FieldMap h = hash(ctx.keyspace(), a);
        long n = 0;
        for (int i = 2; i < a.size(); i++) {
            if (h.remove(a.bytes(i))) {
                n++;
            }
        }
        h.save();
        return Reply.integer(n);
    }

    static Reply hincrby(ApplyContext ctx) {
        Args a = ctx.args();
        long by = a.longValue(3);
        FieldMap h = hash(ctx.keyspace(), a);
        byte[] old = h.get(a.bytes(2));
        long cur = 0;
        if (old != null) {
            Long v = Args.parseLong(old);
            if (v == null) {
                throw new RedisException("ERR hash value is not an integer");
            }
            cur = v;
        }
        long next;
        try {
            next = Math.addExact(cur, by);
        } catch (ArithmeticException e) {
            throw new RedisException(Errors.OVERFLOW);
        }
        h.put(a.bytes(2), Long.toString(next).getBytes(StandardCharsets.US_ASCII));
        h.save();
        return Reply.integer(next);
    }

    static Reply hincrbyfloat(ApplyContext ctx) {
        Args a = ctx.args();
        BigDecimal by = increment(a.bytes(3));
        FieldMap h = hash(ctx.keyspace(), a);
        byte[] old = h.get(a.bytes(2));
        BigDecimal cur = BigDecimal.ZERO;
        if (old != null) {
            try {
                cur = StringCommands.parseDecimal(old);
            } catch (RedisException e) {
                throw new RedisException("ERR hash value is not a float");
            }
        }
        byte[] text = StringCommands.addDecimals(cur, by);
        h.put(a.bytes(2), text);
        h.save();
        return Reply.bulk(text);
    }

    private static BigDecimal increment(byte[] b) {
        try {
            return StringCommands.parseDecimal(b);
        } catch (RedisException e) {
            if (e.getMessage() != null && e.getMessage().contains("NaN or Infinity")) {
                throw new RedisException("ERR value is NaN or Infinity");
            }
            throw e;
        }
    }

    static Reply hrandfield(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() > 4 || (a.size() == 4 && !a.is(3, "WITHVALUES"))) {
            throw Errors.syntax();
        }
        FieldMap h = hash(ctx.keyspace(), a);
        SplittableRandom random = ctx.random();
        if (a.size() == 2) {
            byte[][] fv = h.random(random);
            return Reply.bulk(fv == null ? null : fv[0]);
        }
        long count = a.longValue(2);
        boolean withValues = a.size() == 4;
        return randomFields(h, count, withValues, random, ctx.session().proto() >= 3);
    }

    /** HRANDFIELD / SRANDMEMBER with a count: distinct when positive, repeats allowed when negative. */
    static Reply randomFields(FieldMap h, long count, boolean withValues, SplittableRandom random, boolean resp3) {
        if (count == Long.MIN_VALUE || (withValues && count < -Long.MAX_VALUE / 2)) {
            throw new RedisException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        List<byte[][]> picked = pick(h, count, random);
        List<Reply> out = new ArrayList<>();
        for (byte[][] fv : picked) {
            if (withValues && resp3) {
                out.add(Reply.array(Reply.bulk(fv[0]), Reply.bulk(fv[1])));
            } else {
                out.add(Reply.bulk(fv[0]));
                if (withValues) {
                    out.add(Reply.bulk(fv[1]));
                }
            }
        }
        return Reply.array(out);
    }

    /** {@code count} random entries: distinct if positive (at most the size), with repeats if negative. */
    static List<byte[][]> pick(FieldMap h, long count, SplittableRandom random) {
        List<byte[][]> out = new ArrayList<>();
        long size = h.size();
        if (size == 0 || count == 0) {
            return out;
        }
        if (count < 0) {
            for (long i = 0; i < -count; i++) {
                out.add(h.random(random));
            }
            return out;
        }
        if (count >= size || count * 3 > size) {
            return walkAndPick(h, count, random);
        }
        java.util.TreeSet<byte[]> seen = new java.util.TreeSet<>(Arrays::compareUnsigned);
        int misses = 0;
        while (out.size() < count) {
            byte[][] fv = h.random(random);
            if (seen.add(fv[0])) {
                out.add(fv);
                misses = 0;
            } else if (++misses > 64) {
                // the seek sampler keeps landing on the same fields: fall back to a full walk
                return walkAndPick(h, count, random);
            }
        }
        return out;
    }

    /** Reads every entry and keeps a uniform random {@code count} of them (partial Fisher-Yates). */
    private static List<byte[][]> walkAndPick(FieldMap h, long count, SplittableRandom random) {
        List<byte[][]> all = new ArrayList<>();
        h.forEach((f, v) -> all.add(new byte[][] {f, v}));
        if (count >= all.size()) {
            return all; // the whole collection, in its order (as Redis does)
        }
        int n = (int) count;
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(all.size() - i);
            byte[][] t = all.get(i);
            all.set(i, all.get(j));
            all.set(j, t);
        }
        return new ArrayList<>(all.subList(0, n));
    }

    static Reply hscan(CommandContext ctx) {
        MemberScan s = MemberScan.parse(ctx.args());
        FieldMap h = hash(ctx.keyspace(), ctx.args());
        List<Reply> page = new ArrayList<>();
        byte[] next = h.scan(s.from, s.count, (f, v) -> {
            if (s.matches(f)) {
                page.add(Reply.bulk(f));
                page.add(Reply.bulk(v));
            }
            return true;
        });
        return MemberScan.reply(next, page);
    }
}
