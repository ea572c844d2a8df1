package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.FieldMap;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.storage.types.ListValue;
import io.basalt.server.storage.types.SortedSet;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/** SORT and SORT_RO over lists, sets and sorted sets, with BY / GET patterns (incl. hash fields) and STORE. */
public final class SortCommands {
    private SortCommands() {}

    public static void register(CommandRegistry r) {
        r.write("sort", ctx -> sort(ctx.keyspace(), ctx.args(), true), (a, c) -> Options.parse(a, true));
        r.read("sort_ro", ctx -> sort(ctx.keyspace(), ctx.args(), false));
    }

    record Options(byte[] by, boolean noSort, long offset, long count, List<byte[]> gets, boolean desc, boolean alpha, byte[] store) {
        static Options parse(Args a, boolean allowStore) {
            byte[] by = null;
            boolean noSort = false;
            long offset = 0;
            long count = -1;
            List<byte[]> gets = new ArrayList<>();
            boolean desc = false;
            boolean alpha = false;
            byte[] store = null;
            for (int i = 2; i < a.size(); i++) {
                int left = a.size() - i - 1;
                if (a.is(i, "ASC")) {
                    desc = false;
                } else if (a.is(i, "DESC")) {
                    desc = true;
                } else if (a.is(i, "ALPHA")) {
                    alpha = true;
                } else if (a.is(i, "LIMIT") && left >= 2) {
                    offset = a.longValue(i + 1);
                    count = a.longValue(i + 2);
                    i += 2;
                } else if (allowStore && a.is(i, "STORE") && left >= 1) {
                    store = a.bytes(++i);
                } else if (a.is(i, "BY") && left >= 1) {
                    by = a.bytes(++i);
                    noSort = indexOf(by, (byte) '*') < 0;
                } else if (a.is(i, "GET") && left >= 1) {
                    gets.add(a.bytes(++i));
                } else {
                    throw Errors.syntax();
                }
            }
            return new Options(by, noSort, offset, count, gets, desc, alpha, store);
        }
    }

    private static int indexOf(byte[] b, byte c) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** Redis's lookupKeyByPattern: '*' → the element; "key->field" reads a hash field; '#' is the element itself. */
    static byte[] lookup(Keyspace ks, byte[] pattern, byte[] element) {
        if (pattern.length == 1 && pattern[0] == '#') {
            return element;
        }
        int star = indexOf(pattern, (byte) '*');
        if (star < 0) {
            return null;
        }
        int arrow = -1;
        for (int i = star + 1; i + 1 < pattern.length; i++) {
            if (pattern[i] == '-' && pattern[i + 1] == '>') {
                arrow = i;
                break;
            }
        }
        if (arrow >= 0 && arrow + 2 == pattern.length) {
            arrow = -1; // "->" at the very end is part of the key name
        }
        int keyEnd = arrow >= 0 ? arrow : pattern.length;
        byte[] key = new byte[keyEnd - 1 + element.length];
        System.arraycopy(pattern, 0, key, 0, star);
        System.arraycopy(element, 0, key, star, element.length);
        System.arraycopy(pattern, star + 1, key, star + element.length, keyEnd - star - 1);
        Entry e = ks.entry(key);
        if (!e.exists()) {
            return null;
        }
        if (arrow >= 0) {
            if (e.type() != RedisType.HASH) {
                return null;
            }
            return FieldMap.of(ks, e, RedisType.HASH).get(Arrays.copyOfRange(pattern, arrow + 2, pattern.length));
        }
        return e.type() == RedisType.STRING ? e.stringValue() : null;
    }

    private record Item(byte[] element, byte[] weight, double score) {}

    static Reply sort(Keyspace ks, Args a, boolean allowStore) {
        Options o = Options.parse(a, allowStore);
        Entry e = ks.entry(a.bytes(1));
        List<byte[]> elements = new ArrayList<>();
        boolean zsetNoSort = false;
        if (e.exists()) {
            switch (e.type()) {
                case LIST -> elements = ListValue.of(ks, e).all();
                case SET -> elements = FieldMap.of(ks, e, RedisType.SET).all(false);
                case ZSET -> {
                    for (SortedSet.Item it : SortedSet.of(ks, e).all()) {
                        elements.add(it.member());
                    }
                    zsetNoSort = true;
                }
                default -> throw Errors.wrongType();
            }
        }
        boolean dontSort = o.noSort();
        boolean alpha = o.alpha();
        byte[] by = o.by();
        if (dontSort && e.exists() && e.type() == RedisType.SET) {
            // a set has no order of its own: sort it lexicographically so the result is deterministic (as Redis does for STORE)
            dontSort = false;
            alpha = true;
            by = null;
        }
        List<Item> items = new ArrayList<>(elements.size());
        for (byte[] el : elements) {
            byte[] w = null;
            double score = 0;
            if (!dontSort) {
                w = by != null ? lookup(ks, by, el) : el;
                if (!alpha && w != null) {
                    Double d = Args.parseDouble(w);
                    if (d == null) {
                        throw new RedisException("ERR One or more scores can't be converted into double");
                    }
                    score = d;
                }
            }
            items.add(new Item(el, w, score));
        }
        if (!dontSort) {
            Comparator<Item> cmp;
            if (alpha) {
                cmp = (x, y) -> {
                    if (x.weight() == null || y.weight() == null) {
                        return x.weight() == y.weight() ? 0 : x.weight() == null ? -1 : 1;
                    }
                    return Arrays.compareUnsigned(x.weight(), y.weight());
                };
            } else {
                cmp = (x, y) -> {
                    int c = Double.compare(x.score() == 0 ? 0.0 : x.score(), y.score() == 0 ? 0.0 : y.score());
                    return c != 0 ? c : Arrays.compareUnsigned(x.element(), y.element());
                };
            }
            if (o.desc()) {
                cmp = cmp.reversed();
            }
            items.sort(cmp);
        } else if (o.desc()) { // unsorted: lists and sorted sets are read from their tail
            java.util.Collections.reverse(items);
        }
        long start = o.offset() < 0 ? 0 : o.offset();
        long count = o.count() < 0 ? items.size() : o.count();
        int from = (int) Math.min(start, items.size());
        int to = (int) Math.min(items.size(), from + Math.min(count, Integer.MAX_VALUE));
        List<Item> page = items.subList(from, to);
        List<byte[]> out = new ArrayList<>();
        List<Reply> replies = new ArrayList<>();
        for (Item it : page) {
            if (o.gets().isEmpty()) {
                out.add(it.element());
                replies.add(Reply.bulk(it.element()));
            } else {
                for (byte[] g : o.gets()) {
                    byte[] v = lookup(ks, g, it.element());
                    out.add(v == null ? new byte[0] : v);
                    replies.add(Reply.bulk(v));
                }
            }
        }
        if (o.store() != null) {
            KeyspaceTxn txn = (KeyspaceTxn) ks;
            txn.delete(txn.entry(o.store()));
            ListValue dest = ListValue.of(txn, o.store());
            for (byte[] v : out) {
                dest.push(false, v);
            }
            dest.save();
            return Reply.integer(out.size());
        }
        return Reply.array(replies);
    }
}
