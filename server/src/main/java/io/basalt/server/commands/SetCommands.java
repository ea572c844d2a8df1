package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.FieldMap;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Set commands over {@link FieldMap} (members with empty values). */
public final class SetCommands {
    private SetCommands() {}

    public static void register(CommandRegistry r) {
        r.write("sadd", SetCommands::sadd);
        r.write("srem", SetCommands::srem);
        r.read("scard", ctx -> Reply.integer(set(ctx.keyspace(), ctx.args().bytes(1)).size()));
        r.read("sismember", ctx -> set(ctx.keyspace(), ctx.args().bytes(1)).contains(ctx.args().bytes(2)) ? Reply.ONE : Reply.ZERO);
        r.read("smismember", ctx -> {
            FieldMap s = set(ctx.keyspace(), ctx.args().bytes(1));
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.args().size(); i++) {
                out.add(s.contains(ctx.args().bytes(i)) ? Reply.ONE : Reply.ZERO);
            }
            return Reply.array(out);
        });
        r.read("smembers", ctx -> setReply(set(ctx.keyspace(), ctx.args().bytes(1)).all(false)));
        r.write("spop", SetCommands::spop, (a, c) -> spopCount(a));
        r.read("srandmember", SetCommands::srandmember);
        r.write("smove", SetCommands::smove);
        r.read("sinter", ctx -> setReply(inter(ctx.keyspace(), ctx.args(), 1, ctx.args().size(), 0)));
        r.read("sintercard", SetCommands::sintercard);
        r.write("sinterstore", ctx -> store(ctx, inter(ctx.keyspace(), ctx.args(), 2, ctx.args().size(), 0)));
        r.read("sunion", ctx -> setReply(union(ctx.keyspace(), ctx.args(), 1)));
        r.write("sunionstore", ctx -> store(ctx, union(ctx.keyspace(), ctx.args(), 2)));
        r.read("sdiff", ctx -> setReply(diff(ctx.keyspace(), ctx.args(), 1)));
        r.write("sdiffstore", ctx -> store(ctx, diff(ctx.keyspace(), ctx.args(), 2)));
        r.read("sscan", SetCommands::sscan);
    }

    static FieldMap set(Keyspace ks, byte[] key) {
        return FieldMap.of(ks, key, RedisType.SET);
    }

    static Reply setReply(List<byte[]> members) {
        List<Reply> out = new ArrayList<>(members.size());
        for (byte[] m : members) {
            out.add(Reply.bulk(m));
        }
        return new Reply.SetReply(out);
    }

    static Reply sadd(ApplyContext ctx) {
        Args a = ctx.args();
        FieldMap s = set(ctx.keyspace(), a.bytes(1));
        long n = 0;
        for (int i = 2; i < a.size(); i++) {
            if (s.put(a.bytes(i), FieldMap.NO_VALUE)) {
                n++;
            }
        }
        s.save();
        return Reply.integer(n);
    }

    static Reply srem(ApplyContext ctx) {
        Args a = ctx.args();
        FieldMap s = set(ctx.keyspace(), a.bytes(1));
        long n = 0;
        for (int i = 2; i < a.size(); i++) {
            if (s.remove(a.bytes(i))) {
                n++;
            }
        }
        s.save();
        return Reply.integer(n);
    }

    private static Long spopCount(Args a) {
        if (a.size() > 3) {
            throw io.basalt.server.resp.Errors.syntax();
        }
        if (a.size() == 3) {
            long c = a.longValue(2, "ERR value is out of range, must be positive");
            if (c < 0) {
                throw new RedisException("ERR value is out of range, must be positive");
            }
            return c;
        }
        return null;
    }

    static Reply spop(ApplyContext ctx) {
        Args a = ctx.args();
        Long count = spopCount(a);
        FieldMap s = set(ctx.keyspace(), a.bytes(1));
        if (count == null) {
            byte[][] m = s.random(ctx.random());
            if (m == null) {
                return Reply.NULL;
            }
            s.remove(m[0]);
            s.save();
            return Reply.bulk(m[0]);
        }
        List<byte[][]> picked = HashCommands.pick(s, count, ctx.random());
        List<Reply> out = new ArrayList<>();
        for (byte[][] m : picked) {
            s.remove(m[0]);
            out.add(Reply.bulk(m[0]));
        }
        s.save();
        return new Reply.SetReply(out);
    }

    static Reply srandmember(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() > 3) {
            throw io.basalt.server.resp.Errors.syntax();
        }
        FieldMap s = set(ctx.keyspace(), a.bytes(1));
        SplittableRandom random = ctx.random();
        if (a.size() == 2) {
            byte[][] m = s.random(random);
            return Reply.bulk(m == null ? null : m[0]);
        }
        long count = a.longValue(2);
        if (count == Long.MIN_VALUE) {
            throw new RedisException("ERR value is out of range");
        }
        return HashCommands.randomFields(s, count, false, random, false);
    }

    static Reply smove(ApplyContext ctx) {
        Args a = ctx.args();
        KeyspaceTxn ks = ctx.keyspace();
        FieldMap src = set(ks, a.bytes(1));
        FieldMap dst = set(ks, a.bytes(2)); // WRONGTYPE for either, before any change
        byte[] member = a.bytes(3);
        if (!src.contains(member)) {
            return Reply.ZERO;
        }
        if (Arrays.equals(a.bytes(1), a.bytes(2))) {
            return Reply.ONE;
        }
        src.remove(member);
        src.save();
        dst.put(member, FieldMap.NO_VALUE);
        dst.save();
        return Reply.ONE;
    }

    /** The sets named by args[from..to), smallest first for intersection; WRONGTYPE checked for all. */
    private static List<FieldMap> sets(Keyspace ks, Args a, int from, int to) {
        List<FieldMap> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(set(ks, a.bytes(i)));
        }
        return out;
    }

    static List<byte[]> inter(Keyspace ks, Args a, int from, int to, long limit) {
        List<FieldMap> sets = sets(ks, a, from, to);
        List<byte[]> out = new ArrayList<>();
        for (FieldMap s : sets) {
            if (!s.exists()) {
                return out;
            }
        }
        sets.sort(Comparator.comparingLong(FieldMap::size));
        FieldMap smallest = sets.get(0);
        smallest.forEach((m, v) -> {
            for (int i = 1; i < sets.size(); i++) {
                if (!sets.get(i).contains(m)) {
                    return true;
                }
            }
            out.add(m);
            return limit == 0 || out.size() < limit;
        });
        return out;
    }

    static List<byte[]> union(Keyspace ks, Args a, int from) {
        TreeMap<byte[], Boolean> seen = new TreeMap<>(Arrays::compareUnsigned);
        List<byte[]> out = new ArrayList<>();
        for (FieldMap s : sets(ks, a, from, a.size())) {
            s.forEach((m, v) -> {
                if (seen.put(m, Boolean.TRUE) == null) {
                    out.add(m);
                }
                return true;
            });
        }
        return intsetOrder(out);
    }

    static List<byte[]> diff(Keyspace ks, Args a, int from) {
        List<FieldMap> sets = sets(ks, a, from, a.size());
        List<byte[]> out = new ArrayList<>();
        sets.get(0).forEach((m, v) -> {
            for (int i = 1; i < sets.size(); i++) {
                if (sets.get(i).contains(m)) {
                    return true;
                }
            }
            out.add(m);
            return true;
        });
        return intsetOrder(out);
    }

    /** A computed set of only integers is an intset in Redis, which lists its members in numeric order. */
    static List<byte[]> intsetOrder(List<byte[]> members) {
        for (byte[] m : members) {
            if (Args.parseLong(m) == null) {
                return members;
            }
        }
        members.sort(Comparator.comparingLong(m -> Args.parseLong(m)));
        return members;
    }

    static Reply store(ApplyContext ctx, List<byte[]> members) {
        KeyspaceTxn ks = ctx.keyspace();
        byte[] dest = ctx.args().bytes(1);
        Entry old = ks.entry(dest);
        ks.delete(old);
        FieldMap d = set(ks, dest);
        for (byte[] m : members) {
            d.put(m, FieldMap.NO_VALUE);
        }
        d.save();
        return Reply.integer(members.size());
    }

    static Reply sintercard(CommandContext ctx) {
        Args a = ctx.args();
        MultiKeyArgs.Card c = MultiKeyArgs.Card.parse(a, "ERR numkeys should be greater than 0");
        int numkeys = c.numKeys();
        long limit = c.limit();
        return Reply.integer(inter(ctx.keyspace(), a, 2, 2 + (int) numkeys, limit).size());
    }

    static Reply sscan(CommandContext ctx) {
        MemberScan s = MemberScan.parse(ctx.args());
        FieldMap set = set(ctx.keyspace(), ctx.args().bytes(1));
        List<Reply> page = new ArrayList<>();
        byte[] next = set.scan(s.from, s.count, (m, v) -> {
            if (s.matches(m)) {
                page.add(Reply.bulk(m));
            }
            return true;
        });
        return MemberScan.reply(next, page);
    }
}
