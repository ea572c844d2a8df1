package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.FieldMap;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.storage.types.SortedSet;
import io.basalt.server.storage.types.SortedSet.Item;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

/** Sorted-set commands over {@link SortedSet}. */
public final class ZSetCommands {
    private ZSetCommands() {}

    public static void register(CommandRegistry r) {
        r.write("zadd", ZSetCommands::zadd, (a, c) -> ZAddOptions.parse(a));
        r.write("zincrby", ZSetCommands::zincrby, (a, c) -> score(a.bytes(2)));
        r.write("zrem", ZSetCommands::zrem);
        r.read("zcard", ctx -> Reply.integer(zset(ctx.keyspace(), ctx.args().bytes(1)).size()));
        r.read("zscore", ctx -> {
            Double s = zset(ctx.keyspace(), ctx.args().bytes(1)).score(ctx.args().bytes(2));
            return s == null ? Reply.NULL : new Reply.DoubleReply(s);
        });
        r.read("zmscore", ctx -> {
            SortedSet z = zset(ctx.keyspace(), ctx.args().bytes(1));
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.args().size(); i++) {
                Double s = z.score(ctx.args().bytes(i));
                out.add(s == null ? Reply.NULL : new Reply.DoubleReply(s));
            }
            return Reply.array(out);
        });
        r.read("zrank", ctx -> rank(ctx, false));
        r.read("zrevrank", ctx -> rank(ctx, true));
        r.read("zcount", ctx -> {
            Range range = Range.parse(ctx.args(), 2, 3, Kind.SCORE, false);
            return Reply.integer(select(zset(ctx.keyspace(), ctx.args().bytes(1)), range, false, 0, -1).size());
        });
        r.read("zlexcount", ctx -> {
            Range range = Range.parse(ctx.args(), 2, 3, Kind.LEX, false);
            return Reply.integer(select(zset(ctx.keyspace(), ctx.args().bytes(1)), range, false, 0, -1).size());
        });
        r.read("zrange", ctx -> zrange(ctx, RangeQuery.parseZrange(ctx.args(), 2, false)));
        r.read("zrevrange", ctx -> zrange(ctx, RangeQuery.parseLegacy(ctx.args(), Kind.RANK, true)));
        r.read("zrangebyscore", ctx -> zrange(ctx, RangeQuery.parseLegacy(ctx.args(), Kind.SCORE, false)));
        r.read("zrevrangebyscore", ctx -> zrange(ctx, RangeQuery.parseLegacy(ctx.args(), Kind.SCORE, true)));
        r.read("zrangebylex", ctx -> zrange(ctx, RangeQuery.parseLegacy(ctx.args(), Kind.LEX, false)));
        r.read("zrevrangebylex", ctx -> zrange(ctx, RangeQuery.parseLegacy(ctx.args(), Kind.LEX, true)));
        r.write("zrangestore", ZSetCommands::zrangestore, (a, c) -> RangeQuery.parseZrange(a, 3, true));
        r.write("zremrangebyrank", ctx -> zremrange(ctx, Kind.RANK), (a, c) -> Range.parse(a, 2, 3, Kind.RANK, false));
        r.write("zremrangebyscore", ctx -> zremrange(ctx, Kind.SCORE), (a, c) -> Range.parse(a, 2, 3, Kind.SCORE, false));
        r.write("zremrangebylex", ctx -> zremrange(ctx, Kind.LEX), (a, c) -> Range.parse(a, 2, 3, Kind.LEX, false));
        r.write("zpopmin", ctx -> zpop(ctx, false), (a, c) -> popCount(a));
        r.write("zpopmax", ctx -> zpop(ctx, true), (a, c) -> popCount(a));
        r.write("zmpop", ctx -> zmpop(ctx, 1), (a, c) -> MultiKeyArgs.Pop.parse(a, 1, "MAX", "MIN"));
        r.read("zrandmember", ZSetCommands::zrandmember);
        r.read("zunion", ctx -> combineReply(ctx, Op.UNION));
        r.read("zinter", ctx -> combineReply(ctx, Op.INTER));
        r.read("zdiff", ctx -> combineReply(ctx, Op.DIFF));
        r.write("zunionstore", ctx -> combineStore(ctx, Op.UNION));
        r.write("zinterstore", ctx -> combineStore(ctx, Op.INTER));
        r.write("zdiffstore", ctx -> combineStore(ctx, Op.DIFF));
        r.read("zintercard", ZSetCommands::zintercard);
        r.read("zscan", ZSetCommands::zscan);
        r.write("bzpopmin", ctx -> bzpop(ctx, false), (a, c) -> ListCommands.timeout(a, a.size() - 1));
        r.write("bzpopmax", ctx -> bzpop(ctx, true), (a, c) -> ListCommands.timeout(a, a.size() - 1));
        r.write("bzmpop", ctx -> {
            Reply r2 = zmpop(ctx, 2);
            return r2 instanceof Reply.NullArray ? Reply.BLOCKED : r2;
        }, (a, c) -> {
            ListCommands.timeout(a, 1);
            MultiKeyArgs.Pop.parse(a, 2, "MAX", "MIN");
        });
    }

    static SortedSet zset(Keyspace ks, byte[] key) {
        return SortedSet.of(ks, key);
    }

    static double score(byte[] b) {
        Double d = Args.parseDouble(b);
        if (d == null) {
            throw Errors.notFloat();
        }
        return d;
    }

    // ---- ZADD / ZINCRBY / ZREM ----

    record ZAddOptions(boolean nx, boolean xx, boolean gt, boolean lt, boolean ch, boolean incr, int first, double[] scores) {
        static ZAddOptions parse(Args a) {
            boolean nx = false;
            boolean xx = false;
            boolean gt = false;
            boolean lt = false;
            boolean ch = false;
            boolean incr = false;
            int i = 2;
            for (; i < a.size(); i++) {
                if (a.is(i, "NX")) {
                    nx = true;
                } else if (a.is(i, "XX")) {
                    xx = true;
                } else if (a.is(i, "GT")) {
                    gt = true;
                } else if (a.is(i, "LT")) {
                    lt = true;
                } else if (a.is(i, "CH")) {
                    ch = true;
                } else if (a.is(i, "INCR")) {
                    incr = true;
                } else {
                    break;
                }
            }
            int elements = a.size() - i;
            if (elements % 2 != 0 || elements == 0) {
                throw Errors.syntax();
            }
            if (nx && xx) {
                throw new RedisException("ERR XX and NX options at the same time are not compatible");
            }
            if ((gt && nx) || (lt && nx) || (gt && lt)) {
                throw new RedisException("ERR GT, LT, and/or NX options at the same time are not compatible");
            }
            if (incr && elements > 2) {
                throw new RedisException("ERR INCR option supports a single increment-element pair");
            }
            double[] scores = new double[elements / 2];
            for (int j = 0; j < scores.length; j++) {
                scores[j] = score(a.bytes(i + 2 * j));
            }
            return new ZAddOptions(nx, xx, gt, lt, ch, incr, i, scores);
        }
    }

    static Reply zadd(ApplyContext ctx) {
        Args a = ctx.args();
        ZAddOptions o = ZAddOptions.parse(a);
        SortedSet z = zset(ctx.keyspace(), a.bytes(1));
        long added = 0;
        long changed = 0;
        Double incrResult = null;
        for (int j = 0; j < o.scores().length; j++) {
            double s = o.scores()[j];
            byte[] member = a.bytes(o.first() + 2 * j + 1);
            Double cur = z.score(member);
            if (cur != null) {
                if (o.nx()) {
                    continue;
                }
                double next = s;
                if (o.incr()) {
                    next = cur + s;
                    if (Double.isNaN(next)) {
                        throw new RedisException("ERR resulting score is not a number (NaN)");
                    }
                }
                if ((o.gt() && next <= cur) || (o.lt() && next >= cur)) {
                    continue;
                }
                incrResult = next;
                if (next != cur) {
                    z.put(member, next);
                    changed++;
                }
            } else {
                if (o.xx()) {
                    continue;
                }
                z.put(member, s);
                added++;
                incrResult = s;
            }
        }
        z.save();
        if (o.incr()) {
            return incrResult == null ? Reply.NULL : new Reply.DoubleReply(incrResult);
        }
        return Reply.integer(o.ch() ? added + changed : added);
    }

    static Reply zincrby(ApplyContext ctx) {
        Args a = ctx.args();
        double by = score(a.bytes(2));
        SortedSet z = zset(ctx.keyspace(), a.bytes(1));
        Double cur = z.score(a.bytes(3));
        double next = cur == null ? by : cur + by;
        if (Double.isNaN(next)) {
            throw new RedisException("ERR resulting score is not a number (NaN)");
        }
        z.put(a.bytes(3), next);
        z.save();
        return new Reply.DoubleReply(next);
    }

    static Reply zrem(ApplyContext ctx) {
        Args a = ctx.args();
        SortedSet z = zset(ctx.keyspace(), a.bytes(1));
        long n = 0;
        for (int i = 2; i < a.size(); i++) {
            if (z.remove(a.bytes(i))) {
                n++;
            }
        }
        z.save();
        return Reply.integer(n);
    }

    static Reply rank(CommandContext ctx, boolean reverse) {
        Args a = ctx.args();
        boolean withScore = false;
        if (a.size() == 4 && a.is(3, "WITHSCORE")) {
            withScore = true;
        } else if (a.size() > 3) {
            throw Errors.syntax();
        }
        SortedSet z = zset(ctx.keyspace(), a.bytes(1));
        long r = z.rank(a.bytes(2));
        if (r < 0) {
            return withScore ? new Reply.NullArray() : Reply.NULL;
        }
        long rank = reverse ? z.size() - 1 - r : r;
        if (withScore) {
            return Reply.array(Reply.integer(rank), new Reply.DoubleReply(z.score(a.bytes(2))));
        }
        return Reply.integer(rank);
    }

    // ---- ranges ----

    enum Kind { RANK, SCORE, LEX }

    /** A range by rank (start, stop), score (min, max, exclusivity) or lex (bounds as bytes, null = infinite). */
    record Range(Kind kind, long start, long stop, double min, boolean minEx, double max, boolean maxEx,
            byte[] lexMin, byte[] lexMax, boolean lexMinInf, boolean lexMaxInf, boolean lexMinNegInf, boolean lexMaxPosInf) {

        /** Parses bounds at args[i] (low) and args[j] (high). */
        static Range parse(Args a, int i, int j, Kind kind, boolean unused) {
            switch (kind) {
                case RANK -> {
                    return new Range(kind, a.longValue(i), a.longValue(j), 0, false, 0, false, null, null, false, false, false, false);
                }
                case SCORE -> {
                    double[] lo = scoreBound(a.bytes(i));
                    double[] hi = scoreBound(a.bytes(j));
                    return new Range(kind, 0, 0, lo[0], lo[1] != 0, hi[0], hi[1] != 0, null, null, false, false, false, false);
                }
                default -> {
                    byte[] lo = a.bytes(i);
                    byte[] hi = a.bytes(j);
                    checkLex(lo);
                    checkLex(hi);
                    return new Range(kind, 0, 0, 0, lo[0] == '(', 0, hi[0] == '(',
                            lo.length > 0 && (lo[0] == '(' || lo[0] == '[') ? Arrays.copyOfRange(lo, 1, lo.length) : null,
                            hi.length > 0 && (hi[0] == '(' || hi[0] == '[') ? Arrays.copyOfRange(hi, 1, hi.length) : null,
                            lo[0] == '+', hi[0] == '-', lo[0] == '-', hi[0] == '+');
                }
            }
        }

        static void checkLex(byte[] b) {
            boolean ok = b.length > 0 && ((b[0] == '(' || b[0] == '[') || ((b[0] == '-' || b[0] == '+') && b.length == 1));
            if (!ok) {
                throw new RedisException("ERR min or max not valid string range item");
            }
        }

        static double[] scoreBound(byte[] b) {
            boolean ex = b.length > 0 && b[0] == '(';
            Double d = Args.parseDouble(ex ? Arrays.copyOfRange(b, 1, b.length) : b);
            if (d == null) {
                throw new RedisException("ERR min or max is not a float");
            }
            return new double[] {d, ex ? 1 : 0};
        }

        Range swapped() {
            return new Range(kind, start, stop, max, maxEx, min, minEx, lexMax, lexMin, lexMaxInf, lexMinInf, lexMaxPosInf, lexMinNegInf);
        }

        boolean scoreAboveMin(double s) {
            return minEx ? s > min : s >= min;
        }

        boolean scoreBelowMax(double s) {
            return maxEx ? s < max : s <= max;
        }

        boolean lexAboveMin(byte[] m) {
            if (lexMinNegInf) {
                return true;
            }
            if (lexMinInf) {
                return false; // min is "+"
            }
            int c = Arrays.compareUnsigned(m, lexMin);
            return minEx ? c > 0 : c >= 0;
        }

        boolean lexBelowMax(byte[] m) {
            if (lexMaxPosInf) {
                return true;
            }
            if (lexMaxInf) {
                return false; // max is "-"
            }
            int c = Arrays.compareUnsigned(m, lexMax);
            return maxEx ? c < 0 : c <= 0;
        }
    }

    /**
     * The elements of {@code range} in walk order (descending if {@code reverse}, in which case the
     * range is still given as min..max), after skipping {@code offset}, at most {@code limit} (-1 = all).
     */
    static List<Item> select(SortedSet z, Range range, boolean reverse, long offset, long limit) {
        List<Item> out = new ArrayList<>();
        if (!z.exists() || offset < 0 || limit == 0) {
            return out;
        }
        long size = z.size();
        switch (range.kind()) {
            case RANK -> {
                long start = range.start();
                long stop = range.stop();
                if (start < 0) {
                    start += size;
                }
                if (stop < 0) {
                    stop += size;
                }
                if (start < 0) {
                    start = 0;
                }
                if (start > stop || start >= size) {
                    return out;
                }
                if (stop >= size) {
                    stop = size - 1;
                }
                long n = stop - start + 1;
                z.walk(reverse, null, null, start, (m, s) -> {
                    out.add(new Item(m, s));
                    return out.size() < n;
                });
            }
            case SCORE -> {
                if (range.min() > range.max() || (range.min() == range.max() && (range.minEx() || range.maxEx()))) {
                    return out;
                }
                long[] skipped = {0};
                z.walk(reverse, reverse ? range.max() : range.min(), null, 0, (m, s) -> {
                    if (!reverse) {
                        if (!range.scoreAboveMin(s)) {
                            return true;
                        }
                        if (!range.scoreBelowMax(s)) {
                            return false;
                        }
                    } else {
                        if (!range.scoreBelowMax(s)) {
                            return true;
                        }
                        if (!range.scoreAboveMin(s)) {
                            return false;
                        }
                    }
                    if (skipped[0] < offset) {
                        skipped[0]++;
                        return true;
                    }
                    out.add(new Item(m, s));
                    return limit < 0 || out.size() < limit;
                });
            }
            default -> {
                Item edge = z.first(reverse);
                byte[] from = reverse ? (range.lexMaxPosInf() ? null : range.lexMax()) : (range.lexMinNegInf() ? null : range.lexMin());
                long[] skipped = {0};
                z.walk(reverse, from == null ? null : edge.score(), from, 0, (m, s) -> {
                    boolean in = reverse ? range.lexBelowMax(m) : range.lexAboveMin(m);
                    if (!in) {
                        return true;
                    }
                    boolean inOther = reverse ? range.lexAboveMin(m) : range.lexBelowMax(m);
                    if (!inOther) {
                        return false;
                    }
                    if (skipped[0] < offset) {
                        skipped[0]++;
                        return true;
                    }
                    out.add(new Item(m, s));
                    return limit < 0 || out.size() < limit;
                });
            }
        }
        return out;
    }

    /** A parsed ZRANGE-family query. */
    record RangeQuery(Range range, boolean reverse, long offset, long limit, boolean withScores) {
        /** ZRANGE / ZRANGESTORE syntax: key start stop [BYSCORE|BYLEX] [REV] [LIMIT o c] [WITHSCORES]. */
        static RangeQuery parseZrange(Args a, int startIdx, boolean store) {
            Kind kind = Kind.RANK;
            boolean rev = false;
            boolean withScores = false;
            long offset = 0;
            long limit = -1;
            boolean hasLimit = false;
            for (int i = startIdx + 2; i < a.size(); i++) {
                if (!store && a.is(i, "WITHSCORES")) {
                    withScores = true;
                } else if (a.is(i, "LIMIT") && i + 2 < a.size()) {
                    offset = a.longValue(i + 1);
                    limit = a.longValue(i + 2);
                    hasLimit = true;
                    i += 2;
                } else if (a.is(i, "BYSCORE") && kind == Kind.RANK) {
                    kind = Kind.SCORE;
                } else if (a.is(i, "BYLEX") && kind == Kind.RANK) {
                    kind = Kind.LEX;
                } else if (a.is(i, "REV")) {
                    rev = true;
                } else {
                    throw Errors.syntax();
                }
            }
            if (hasLimit && kind == Kind.RANK) {
                throw new RedisException("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            }
            if (withScores && kind == Kind.LEX) {
                throw new RedisException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            }
            Range range;
            if (rev && kind != Kind.RANK) {
                range = Range.parse(a, startIdx + 1, startIdx, kind, false);
            } else {
                range = Range.parse(a, startIdx, startIdx + 1, kind, false);
            }
            return new RangeQuery(range, rev, offset, limit, withScores);
        }

        /** ZREVRANGE, ZRANGEBYSCORE, ZREVRANGEBYSCORE, ZRANGEBYLEX, ZREVRANGEBYLEX. */
        static RangeQuery parseLegacy(Args a, Kind kind, boolean rev) {
            boolean withScores = false;
            long offset = 0;
            long limit = -1;
            boolean hasLimit = false;
            for (int i = 4; i < a.size(); i++) {
                if (a.is(i, "WITHSCORES")) {
                    withScores = true;
                } else if (a.is(i, "LIMIT") && i + 2 < a.size()) {
                    offset = a.longValue(i + 1);
                    limit = a.longValue(i + 2);
                    hasLimit = true;
                    i += 2;
                } else {
                    throw Errors.syntax();
                }
            }
            if (hasLimit && kind == Kind.RANK) {
                throw new RedisException("ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX");
            }
            if (withScores && kind == Kind.LEX) {
                throw new RedisException("ERR syntax error, WITHSCORES not supported in combination with BYLEX");
            }
            Range range = rev && kind != Kind.RANK ? Range.parse(a, 3, 2, kind, false) : Range.parse(a, 2, 3, kind, false);
            return new RangeQuery(range, rev, offset, limit, withScores);
        }
    }

    static Reply items(List<Item> items, boolean withScores, boolean resp3Pairs) {
        List<Reply> out = new ArrayList<>(items.size() * (withScores ? 2 : 1));
        for (Item it : items) {
            if (withScores && resp3Pairs) {
                out.add(Reply.array(Reply.bulk(it.member()), new Reply.DoubleReply(it.score())));
            } else {
                out.add(Reply.bulk(it.member()));
                if (withScores) {
                    out.add(new Reply.DoubleReply(it.score()));
                }
            }
        }
        return Reply.array(out);
    }

    /** Member, score pairs shaped by the client's protocol when the reply is written. */
    static Reply pairs(List<Item> items) {
        List<Reply> flat = new ArrayList<>(items.size() * 2);
        for (Item it : items) {
            flat.add(Reply.bulk(it.member()));
            flat.add(new Reply.DoubleReply(it.score()));
        }
        return new Reply.Pairs(flat);
    }

    static Reply zrange(CommandContext ctx, RangeQuery q) {
        SortedSet z = zset(ctx.keyspace(), ctx.args().bytes(1));
        List<Item> items = select(z, q.range(), q.reverse(), q.offset(), q.limit());
        return items(items, q.withScores(), ctx.session().proto() >= 3);
    }

    static Reply zrangestore(ApplyContext ctx) {
        Args a = ctx.args();
        RangeQuery q = RangeQuery.parseZrange(a, 3, true);
        KeyspaceTxn ks = ctx.keyspace();
        SortedSet src = zset(ks, a.bytes(2));
        List<Item> items = select(src, q.range(), q.reverse(), q.offset(), q.limit());
        return Reply.integer(storeItems(ks, a.bytes(1), items));
    }

    /** Replaces {@code dest} with a sorted set of {@code items} (deleting it when empty). */
    static long storeItems(KeyspaceTxn ks, byte[] dest, List<Item> items) {
        Entry old = ks.entry(dest);
        ks.delete(old);
        SortedSet d = zset(ks, dest);
        for (Item it : items) {
            d.put(it.member(), it.score());
        }
        d.save();
        return items.size();
    }

    static Reply zremrange(ApplyContext ctx, Kind kind) {
        Args a = ctx.args();
        Range range = Range.parse(a, 2, 3, kind, false);
        SortedSet z = zset(ctx.keyspace(), a.bytes(1));
        List<Item> items = select(z, range, false, 0, -1);
        for (Item it : items) {
            z.remove(it.member());
        }
        z.save();
        return Reply.integer(items.size());
    }

    // ---- pops ----

    private static Long popCount(Args a) {
        if (a.size() > 3) {
            throw Errors.syntax();
        }
        if (a.size() == 3) {
            long c = a.longValue(2);
            if (c < 0) {
                throw new RedisException("ERR value is out of range, must be positive");
            }
            return c;
        }
        return null;
    }

    /** Pops up to {@code count} elements from the low (or high) end. */
    static List<Item> pop(SortedSet z, boolean max, long count) {
        List<Item> out = new ArrayList<>();
        if (count <= 0) {
            return out;
        }
        z.walk(max, null, null, 0, (m, s) -> {
            out.add(new Item(m, s));
            return out.size() < count;
        });
        for (Item it : out) {
            z.remove(it.member());
        }
        z.save();
        return out;
    }

    static Reply zpop(ApplyContext ctx, boolean max) {
        Args a = ctx.args();
        Long count = popCount(a);
        SortedSet z = zset(ctx.keyspace(), a.bytes(1));
        List<Item> items = pop(z, max, count == null ? 1 : count);
        return count == null ? items(items, true, false) : pairs(items);
    }

    /** ZMPOP: the first non-empty sorted set's popped elements as [key, [[member, score]…]], or a null array. */
    static Reply zmpop(ApplyContext ctx, int at) {
        MultiKeyArgs.Pop m = MultiKeyArgs.Pop.parse(ctx.args(), at, "MAX", "MIN");
        KeyspaceTxn ks = ctx.keyspace();
        for (int i = 0; i < m.numKeys(); i++) {
            byte[] key = ctx.args().bytes(m.firstKey() + i);
            SortedSet z = zset(ks, key);
            if (z.exists()) {
                List<Item> items = pop(z, m.first(), m.count());
                return Reply.array(Reply.bulk(key), items(items, true, true));
            }
        }
        return new Reply.NullArray();
    }

    /** BZPOPMIN / BZPOPMAX: [key, member, score] from the first non-empty key, else block. */
    static Reply bzpop(ApplyContext ctx, boolean max) {
        Args a = ctx.args();
        for (int i = 1; i < a.size() - 1; i++) {
            SortedSet z = zset(ctx.keyspace(), a.bytes(i));
            if (z.exists()) {
                Item it = pop(z, max, 1).get(0);
                return Reply.array(Reply.bulk(a.bytes(i)), Reply.bulk(it.member()), new Reply.DoubleReply(it.score()));
            }
        }
        return Reply.BLOCKED;
    }

    static Reply zrandmember(CommandContext ctx) {
        Args a = ctx.args();
        SortedSet z = zset(ctx.keyspace(), a.bytes(1));
        SplittableRandom random = ctx.random();
        if (a.size() == 2) {
            if (!z.exists()) {
                return Reply.NULL;
            }
            long i = random.nextLong(z.size());
            Item[] hit = new Item[1];
            z.walk(false, null, null, i, (m, s) -> {
                hit[0] = new Item(m, s);
                return false;
            });
            return Reply.bulk(hit[0].member());
        }
        if (a.size() > 4 || (a.size() == 4 && !a.is(3, "WITHSCORES"))) {
            throw Errors.syntax();
        }
        long count = a.longValue(2);
        boolean withScores = a.size() == 4;
        if (count == Long.MIN_VALUE || (withScores && count < -Long.MAX_VALUE / 2)) {
            throw new RedisException("ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807");
        }
        List<Item> all = z.exists() && count != 0 ? z.all() : List.of();
        List<Item> picked = new ArrayList<>();
        if (!all.isEmpty()) {
            if (count < 0) {
                for (long i = 0; i < -count; i++) {
                    picked.add(all.get(random.nextInt(all.size())));
                }
            } else if (count >= all.size()) {
                picked.addAll(all);
            } else {
                List<Item> copy = new ArrayList<>(all);
                for (int i = 0; i < count; i++) {
                    int j = i + random.nextInt(copy.size() - i);
                    Item t = copy.get(i);
                    copy.set(i, copy.get(j));
                    copy.set(j, t);
                }
                picked.addAll(copy.subList(0, (int) count));
            }
        }
        return items(picked, withScores, ctx.session().proto() >= 3);
    }

    // ---- ZUNION / ZINTER / ZDIFF ----

    enum Op { UNION, INTER, DIFF }

    enum Aggregate { SUM, MIN, MAX }

    /** The combined result in (score, member) order, and whether WITHSCORES was given. */
    record Combined(List<Item> items, boolean withScores) {}

    static Combined combine(Keyspace ks, Args a, Op op, int numkeysIdx, boolean store) {
        long numkeys = a.longValue(numkeysIdx);
        if (numkeys < 1) {
            throw new RedisException("ERR at least 1 input key is needed for '" + a.name() + "' command");
        }
        if (numkeys > a.size() - numkeysIdx - 1) {
            throw Errors.syntax();
        }
        int n = (int) numkeys;
        double[] weights = new double[n];
        Arrays.fill(weights, 1);
        Aggregate agg = Aggregate.SUM;
        boolean withScores = false;
        for (int i = numkeysIdx + 1 + n; i < a.size(); i++) {
            int left = a.size() - i - 1;
            if (op != Op.DIFF && a.is(i, "WEIGHTS") && left >= n) {
                for (int j = 0; j < n; j++) {
                    Double w = Args.parseDouble(a.bytes(i + 1 + j));
                    if (w == null) {
                        throw new RedisException("ERR weight value is not a float");
                    }
                    weights[j] = w;
                }
                i += n;
            } else if (op != Op.DIFF && a.is(i, "AGGREGATE") && left >= 1) {
                i++;
                if (a.is(i, "SUM")) {
                    agg = Aggregate.SUM;
                } else if (a.is(i, "MIN")) {
                    agg = Aggregate.MIN;
                } else if (a.is(i, "MAX")) {
                    agg = Aggregate.MAX;
                } else {
                    throw Errors.syntax();
                }
            } else if (!store && a.is(i, "WITHSCORES")) {
                withScores = true;
            } else {
                throw Errors.syntax();
            }
        }
        // inputs: sorted sets, or sets (every member scores 1)
        List<Map<byteKey, Double>> inputs = new ArrayList<>();
        List<List<Item>> ordered = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            byte[] key = a.bytes(numkeysIdx + 1 + j);
            Entry e = ks.entry(key);
            List<Item> items = new ArrayList<>();
            if (e.exists()) {
                if (e.type() == RedisType.ZSET) {
                    items = SortedSet.of(ks, e).all();
                } else if (e.type() == RedisType.SET) {
                    List<Item> fromSet = new ArrayList<>();
                    FieldMap.of(ks, e, RedisType.SET).forEach((m, v) -> fromSet.add(new Item(m, 1.0)));
                    items = fromSet;
                } else {
                    throw Errors.wrongType();
                }
            }
            ordered.add(items);
            Map<byteKey, Double> map = new LinkedHashMap<>();
            for (Item it : items) {
                map.put(new byteKey(it.member()), it.score());
            }
            inputs.add(map);
        }
        Map<byteKey, Double> result = new LinkedHashMap<>();
        final Aggregate aggregate = agg;
        switch (op) {
            case UNION -> {
                for (int j = 0; j < n; j++) {
                    for (Item it : ordered.get(j)) {
                        double s = weighted(it.score(), weights[j]);
                        result.merge(new byteKey(it.member()), s, (x, y) -> aggregate(aggregate, x, y));
                    }
                }
            }
            case INTER -> {
                int smallest = 0;
                for (int j = 1; j < n; j++) {
                    if (inputs.get(j).size() < inputs.get(smallest).size()) {
                        smallest = j;
                    }
                }
                outer:
                for (Item it : ordered.get(smallest)) {
                    byteKey k = new byteKey(it.member());
                    double s = weighted(it.score(), weights[smallest]);
                    for (int j = 0; j < n; j++) {
                        if (j == smallest) {
                            continue;
                        }
                        Double other = inputs.get(j).get(k);
                        if (other == null) {
                            continue outer;
                        }
                        s = aggregate(agg, s, weighted(other, weights[j]));
                    }
                    result.put(k, s);
                }
            }
            default -> {
                for (Item it : ordered.get(0)) {
                    byteKey k = new byteKey(it.member());
                    boolean found = false;
                    for (int j = 1; j < n && !found; j++) {
                        found = inputs.get(j).containsKey(k);
                    }
                    if (!found) {
                        result.put(k, it.score());
                    }
                }
            }
        }
        TreeMap<Item, Boolean> sorted = new TreeMap<>((x, y) -> {
            int c = Double.compare(x.score() == 0 ? 0.0 : x.score(), y.score() == 0 ? 0.0 : y.score());
            return c != 0 ? c : Arrays.compareUnsigned(x.member(), y.member());
        });
        for (Map.Entry<byteKey, Double> e : result.entrySet()) {
            sorted.put(new Item(e.getKey().b(), e.getValue()), Boolean.TRUE);
        }
        return new Combined(new ArrayList<>(sorted.keySet()), withScores);
    }

    /** Hashable wrapper of a member's bytes. */
    record byteKey(byte[] b) {
        @Override
        public boolean equals(Object o) {
            return o instanceof byteKey k && Arrays.equals(b, k.b);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(b);
        }
    }

    private static double weighted(double score, double weight) {
        double s = score * weight;
        return Double.isNaN(s) ? 0 : s;
    }

    private static double aggregate(Aggregate agg, double x, double y) {
        return switch (agg) {
            case SUM -> {
                double s = x + y;
                yield Double.isNaN(s) ? 0 : s;
            }
            case MIN -> Math.min(x, y);
            case MAX -> Math.max(x, y);
        };
    }

    static Reply combineReply(CommandContext ctx, Op op) {
        Combined c = combine(ctx.keyspace(), ctx.args(), op, 1, false);
        return items(c.items(), c.withScores(), ctx.session().proto() >= 3);
    }

    static Reply combineStore(ApplyContext ctx, Op op) {
        Combined c = combine(ctx.keyspace(), ctx.args(), op, 2, true);
        return Reply.integer(storeItems(ctx.keyspace(), ctx.args().bytes(1), c.items()));
    }

    static Reply zintercard(CommandContext ctx) {
        Args a = ctx.args();
        MultiKeyArgs.Card c0 = MultiKeyArgs.Card.parse(a, "ERR at least 1 input key is needed for 'zintercard' command");
        int numkeys = c0.numKeys();
        long limit = c0.limit();
        List<byte[]> argv = new ArrayList<>(a.list().subList(0, 2 + (int) numkeys));
        Combined c = combine(ctx.keyspace(), new Args(argv), Op.INTER, 1, true);
        long n = c.items().size();
        return Reply.integer(limit > 0 ? Math.min(limit, n) : n);
    }

    static Reply zscan(CommandContext ctx) {
        MemberScan s = MemberScan.parse(ctx.args());
        SortedSet z = zset(ctx.keyspace(), ctx.args().bytes(1));
        List<Reply> page = new ArrayList<>();
        if (z.isPacked() || !z.exists()) {
            for (Item it : z.exists() ? z.all() : List.<Item>of()) {
                if (s.matches(it.member())) {
                    page.add(Reply.bulk(it.member()));
                    page.add(new Reply.DoubleReply(it.score()));
                }
            }
            return MemberScan.reply(null, page);
        }
        // member layout: walk the score index from the saved position (score bytes + member)
        byte[][] next = {null};
        long[] n = {0};
        Double fromScore = s.from == null ? null : io.basalt.server.storage.encoding.KeyCodec.unsortableDouble(
                io.basalt.server.storage.encoding.KeyCodec.getLong(s.from, 0));
        byte[] fromMember = s.from == null ? null : Arrays.copyOfRange(s.from, 8, s.from.length);
        z.walk(false, fromScore, fromMember, 0, (m, sc) -> {
            if (n[0]++ >= s.count) {
                byte[] resume = new byte[8 + m.length];
                io.basalt.server.storage.encoding.KeyCodec.putLong(resume, 0, io.basalt.server.storage.encoding.KeyCodec.sortableDouble(sc));
                System.arraycopy(m, 0, resume, 8, m.length);
                next[0] = resume;
                return false;
            }
            if (s.matches(m)) {
                page.add(Reply.bulk(m));
                page.add(new Reply.DoubleReply(sc));
            }
            return true;
        });
        return MemberScan.reply(next[0], page);
    }
}
