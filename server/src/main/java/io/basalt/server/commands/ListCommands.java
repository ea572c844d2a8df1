package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.storage.types.ListValue;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * List commands over {@link ListValue}, including the blocking ones: a blocking command applies
 * like its non-blocking form and, when there is nothing to pop, replies {@link Reply#BLOCKED}; the
 * connection then waits to be woken by a write to one of its keys (see BlockedClients).
 */
public final class ListCommands {
    private ListCommands() {}

    public static void register(CommandRegistry r) {
        r.write("lpush", ctx -> push(ctx, true, false));
        r.write("rpush", ctx -> push(ctx, false, false));
        r.write("lpushx", ctx -> push(ctx, true, true));
        r.write("rpushx", ctx -> push(ctx, false, true));
        r.write("lpop", ctx -> pop(ctx, true), (a, c) -> popCount(a));
        r.write("rpop", ctx -> pop(ctx, false), (a, c) -> popCount(a));
        r.read("llen", ctx -> Reply.integer(list(ctx, 1).size()));
        r.read("lindex", ctx -> {
            ListValue l = list(ctx, 1);
            long i = ctx.args().longValue(2);
            return Reply.bulk(l.get(i < 0 ? l.size() + i : i));
        });
        r.read("lrange", ListCommands::lrange);
        r.write("lset", ListCommands::lset, (a, c) -> a.longValue(2));
        r.write("linsert", ListCommands::linsert, (a, c) -> where(a, 2));
        r.write("lrem", ListCommands::lrem, (a, c) -> a.longValue(2));
        r.write("ltrim", ListCommands::ltrim, (a, c) -> {
            a.longValue(2);
            a.longValue(3);
        });
        r.read("lpos", ListCommands::lpos);
        r.write("lmove", ctx -> move(ctx, side(ctx.args(), 3), side(ctx.args(), 4)), (a, c) -> {
            side(a, 3);
            side(a, 4);
        });
        r.write("rpoplpush", ctx -> move(ctx, false, true));
        r.write("lmpop", ctx -> mpop(ctx, 1, false), (a, c) -> MultiKeyArgs.Pop.parse(a, 1, "LEFT", "RIGHT"));
        r.write("blpop", ctx -> bpop(ctx, true), (a, c) -> timeout(a, a.size() - 1));
        r.write("brpop", ctx -> bpop(ctx, false), (a, c) -> timeout(a, a.size() - 1));
        r.write("blmove", ctx -> blocking(move(ctx, side(ctx.args(), 3), side(ctx.args(), 4)), Reply.NULL),
                (a, c) -> {
                    side(a, 3);
                    side(a, 4);
                    timeout(a, 5);
                });
        r.write("brpoplpush", ctx -> blocking(move(ctx, false, true), Reply.NULL), (a, c) -> timeout(a, 3));
        r.write("blmpop", ctx -> mpop(ctx, 2, true), (a, c) -> {
            timeout(a, 1);
            MultiKeyArgs.Pop.parse(a, 2, "LEFT", "RIGHT");
        });
    }

    static ListValue list(CommandContext ctx, int i) {
        return ListValue.of(ctx.keyspace(), ctx.args().bytes(i));
    }

    /** Redis's blocking timeout: seconds as a double, not negative; returns milliseconds (0 = forever). */
    public static long timeout(Args a, int i) {
        Double d = Args.parseDouble(a.bytes(i));
        if (d == null || Double.isInfinite(d)) {
            throw new RedisException("ERR timeout is not a float or out of range");
        }
        if (d < 0) {
            throw new RedisException("ERR timeout is negative");
        }
        double ms = d * 1000;
        if (ms > Long.MAX_VALUE / 2) {
            throw new RedisException("ERR timeout is out of range");
        }
        return (long) Math.ceil(ms);
    }

    private static Reply blocking(Reply r, Reply empty) {
        return r == empty ? Reply.BLOCKED : r;
    }

    static boolean side(Args a, int i) {
        if (a.is(i, "LEFT")) {
            return true;
        }
        if (a.is(i, "RIGHT")) {
            return false;
        }
        throw Errors.syntax();
    }

    private static boolean where(Args a, int i) {
        if (a.is(i, "BEFORE")) {
            return true;
        }
        if (a.is(i, "AFTER")) {
            return false;
        }
        throw Errors.syntax();
    }

    static Reply push(ApplyContext ctx, boolean left, boolean onlyIfExists) {
        Args a = ctx.args();
        ListValue l = ListValue.of(ctx.keyspace(), a.bytes(1));
        if (onlyIfExists && !l.exists()) {
            return Reply.ZERO;
        }
        for (int i = 2; i < a.size(); i++) {
            l.push(left, a.bytes(i));
        }
        l.save();
        return Reply.integer(l.size());
    }

    private static Long popCount(Args a) {
        if (a.size() > 3) {
            throw Errors.wrongArgs(a.name());
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

    static Reply pop(ApplyContext ctx, boolean left) {
        Args a = ctx.args();
        Long count = popCount(a);
        ListValue l = ListValue.of(ctx.keyspace(), a.bytes(1));
        if (count == null) {
            byte[] e = l.pop(left);
            l.save();
            return Reply.bulk(e);
        }
        if (!l.exists()) {
            return new Reply.NullArray();
        }
        List<Reply> out = new ArrayList<>();
        for (long i = 0; i < count && l.size() > 0; i++) {
            out.add(Reply.bulk(l.pop(left)));
        }
        l.save();
        return Reply.array(out);
    }

    static Reply lrange(CommandContext ctx) {
        Args a = ctx.args();
        long start = a.longValue(2);
        long stop = a.longValue(3);
        ListValue l = list(ctx, 1);
        long n = l.size();
        if (start < 0) {
            start = Math.max(0, n + start);
        }
        if (stop < 0) {
            stop = n + stop;
        }
        List<Reply> out = new ArrayList<>();
        l.range(start, stop, false, (i, e) -> out.add(Reply.bulk(e)));
        return Reply.array(out);
    }

    static Reply lset(ApplyContext ctx) {
        Args a = ctx.args();
        long index = a.longValue(2);
        ListValue l = ListValue.of(ctx.keyspace(), a.bytes(1));
        if (!l.exists()) {
            throw new RedisException(Errors.NO_SUCH_KEY);
        }
        long i = index < 0 ? l.size() + index : index;
        if (i < 0 || i >= l.size()) {
            throw new RedisException(Errors.OUT_OF_RANGE);
        }
        l.set(i, a.bytes(3));
        l.save();
        return Reply.OK;
    }

    static Reply linsert(ApplyContext ctx) {
        Args a = ctx.args();
        boolean before = where(a, 2);
        ListValue l = ListValue.of(ctx.keyspace(), a.bytes(1));
        if (!l.exists()) {
            return Reply.ZERO;
        }
        byte[] pivot = a.bytes(3);
        long[] at = {-1};
        l.range(0, l.size() - 1, false, (i, e) -> {
            if (Arrays.equals(e, pivot)) {
                at[0] = i;
                return false;
            }
            return true;
        });
        if (at[0] < 0) {
            return Reply.integer(-1);
        }
        long from = before ? at[0] : at[0] + 1;
        List<byte[]> rest = new ArrayList<>();
        rest.add(a.bytes(4));
        l.range(from, l.size() - 1, false, (i, e) -> rest.add(e));
        l.replaceFrom(from, rest);
        l.save();
        return Reply.integer(l.size());
    }

    static Reply lrem(ApplyContext ctx) {
        Args a = ctx.args();
        long count = a.longValue(2);
        byte[] el = a.bytes(3);
        ListValue l = ListValue.of(ctx.keyspace(), a.bytes(1));
        if (!l.exists()) {
            return Reply.ZERO;
        }
        List<byte[]> all = l.all();
        List<byte[]> kept = new ArrayList<>(all.size());
        long removed = 0;
        long limit = count == 0 ? Long.MAX_VALUE : Math.abs(count);
        if (count >= 0) {
            for (byte[] e : all) {
                if (removed < limit && Arrays.equals(e, el)) {
                    removed++;
                } else {
                    kept.add(e);
                }
            }
        } else {
            for (int i = all.size() - 1; i >= 0; i--) {
                byte[] e = all.get(i);
                if (removed < limit && Arrays.equals(e, el)) {
                    removed++;
                } else {
                    kept.add(0, e);
                }
            }
        }
        if (removed > 0) {
            int first = 0;
            while (first < all.size() && first < kept.size() && all.get(first) == kept.get(first)) {
                first++;
            }
            l.replaceFrom(first, kept.subList(first, kept.size()));
            l.save();
        }
        return Reply.integer(removed);
    }

    static Reply ltrim(ApplyContext ctx) {
        Args a = ctx.args();
        long start = a.longValue(2);
        long stop = a.longValue(3);
        ListValue l = ListValue.of(ctx.keyspace(), a.bytes(1));
        if (!l.exists()) {
            return Reply.OK;
        }
        long n = l.size();
        if (start < 0) {
            start = Math.max(0, n + start);
        }
        if (stop < 0) {
            stop = n + stop;
        }
        if (start > stop || start >= n) {
            l.clear();
        } else {
            l.trim(start, Math.min(stop, n - 1));
        }
        l.save();
        return Reply.OK;
    }

    static Reply lpos(CommandContext ctx) {
        Args a = ctx.args();
        long rank = 1;
        long count = -1;
        long maxlen = 0;
        for (int i = 3; i < a.size(); i++) {
            if (a.is(i, "RANK") && i + 1 < a.size()) {
                rank = a.longValue(++i);
                if (rank == 0 || rank == Long.MIN_VALUE) {
                    throw new RedisException(rank == 0 ? "ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list"
                            : "ERR value is out of range");
                }
            } else if (a.is(i, "COUNT") && i + 1 < a.size()) {
                count = a.longValue(++i);
                if (count < 0) {
                    throw new RedisException("ERR COUNT can't be negative");
                }
            } else if (a.is(i, "MAXLEN") && i + 1 < a.size()) {
                maxlen = a.longValue(++i);
                if (maxlen < 0) {
                    throw new RedisException("ERR MAXLEN can't be negative");
                }
            } else {
                throw Errors.syntax();
            }
        }
        ListValue l = list(ctx, 1);
        byte[] el = a.bytes(2);
        List<Reply> found = new ArrayList<>();
        if (l.exists()) {
            boolean reverse = rank < 0;
            long skip = Math.abs(rank) - 1;
            long want = count == -1 ? 1 : count == 0 ? Long.MAX_VALUE : count;
            long[] seen = {0};
            long[] matches = {0};
            final long limit = maxlen;
            l.range(0, l.size() - 1, reverse, (i, e) -> {
                if (limit != 0 && seen[0]++ >= limit) {
                    return false;
                }
                if (Arrays.equals(e, el)) {
                    if (matches[0]++ >= skip) {
                        found.add(Reply.integer(i));
                        return found.size() < want;
                    }
                }
                return true;
            });
        }
        if (count == -1) {
            return found.isEmpty() ? Reply.NULL : found.get(0);
        }
        return Reply.array(found);
    }

    static Reply move(ApplyContext ctx, boolean fromLeft, boolean toLeft) {
        Args a = ctx.args();
        KeyspaceTxn ks = ctx.keyspace();
        ListValue src = ListValue.of(ks, a.bytes(1));
        ListValue dst = ListValue.of(ks, a.bytes(2)); // WRONGTYPE before any change
        if (!src.exists()) {
            return Reply.NULL;
        }
        if (Arrays.equals(a.bytes(1), a.bytes(2))) {
            byte[] e = src.pop(fromLeft);
            src.push(toLeft, e);
            src.save();
            return Reply.bulk(e);
        }
        byte[] e = src.pop(fromLeft);
        src.save();
        dst.push(toLeft, e);
        dst.save();
        return Reply.bulk(e);
    }

    static Reply mpop(ApplyContext ctx, int at, boolean block) {
        MultiKeyArgs.Pop m = MultiKeyArgs.Pop.parse(ctx.args(), at, "LEFT", "RIGHT");
        for (int i = 0; i < m.numKeys(); i++) {
            byte[] key = ctx.args().bytes(m.firstKey() + i);
            ListValue l = ListValue.of(ctx.keyspace(), key);
            if (l.exists()) {
                List<Reply> out = new ArrayList<>();
                for (long c = 0; c < m.count() && l.size() > 0; c++) {
                    out.add(Reply.bulk(l.pop(m.first())));
                }
                l.save();
                return Reply.array(Reply.bulk(key), Reply.array(out));
            }
        }
        return block ? Reply.BLOCKED : new Reply.NullArray();
    }

    static Reply bpop(ApplyContext ctx, boolean left) {
        Args a = ctx.args();
        for (int i = 1; i < a.size() - 1; i++) {
            ListValue l = ListValue.of(ctx.keyspace(), a.bytes(i));
            if (l.exists()) {
                byte[] e = l.pop(left);
                l.save();
                return Reply.array(Reply.bulk(a.bytes(i)), Reply.bulk(e));
            }
        }
        return Reply.BLOCKED;
    }
}
