package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.encoding.Metadata;
import io.basalt.server.storage.encoding.RedisType;
import io.basalt.server.storage.types.Entry;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.util.Glob;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Generic key commands: existence, type, rename/copy, iteration, expiry, OBJECT. */
public final class KeyCommands {
    private KeyCommands() {}

    public static void register(CommandRegistry r) {
        r.write("del", KeyCommands::del);
        r.write("unlink", KeyCommands::del);
        r.read("exists", ctx -> count(ctx));
        r.read("touch", ctx -> count(ctx));
        r.read("type", ctx -> {
            RedisType t = ctx.keyspace().entry(ctx.args().bytes(1)).type();
            return Reply.simple(t == null ? "none" : t.typeName());
        });
        r.write("rename", ctx -> rename(ctx, false));
        r.write("renamenx", ctx -> rename(ctx, true));
        r.write("copy", KeyCommands::copy, (a, c) -> CopyOptions.parse(a));
        r.read("keys", KeyCommands::keys);
        r.read("scan", KeyCommands::scan);
        r.read("randomkey", KeyCommands::randomKey);
        r.write("expire", ctx -> expire(ctx, 1000, false), (a, c) -> ExpireOptions.parse(a));
        r.write("pexpire", ctx -> expire(ctx, 1, false), (a, c) -> ExpireOptions.parse(a));
        r.write("expireat", ctx -> expire(ctx, 1000, true), (a, c) -> ExpireOptions.parse(a));
        r.write("pexpireat", ctx -> expire(ctx, 1, true), (a, c) -> ExpireOptions.parse(a));
        r.read("ttl", ctx -> ttl(ctx, false, true));
        r.read("pttl", ctx -> ttl(ctx, false, false));
        r.read("expiretime", ctx -> ttl(ctx, true, true));
        r.read("pexpiretime", ctx -> ttl(ctx, true, false));
        r.write("persist", KeyCommands::persist);
        r.read("object|encoding", KeyCommands::objectEncoding);
        r.read("object|freq", ctx -> {
            if (!ctx.keyspace().exists(ctx.args().bytes(2))) {
                return Reply.NULL;
            }
            throw new RedisException("ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note "
                    + "that when switching between policies at runtime LRU and LFU data will take some time to adjust.");
        });
        // A disk store does not track per-key access time (it would turn every read into a write): 0.
        r.read("object|idletime", ctx -> ctx.keyspace().exists(ctx.args().bytes(2)) ? Reply.ZERO : Reply.NULL);
        r.read("object|refcount", ctx -> ctx.keyspace().exists(ctx.args().bytes(2)) ? Reply.ONE : Reply.NULL);
        r.read("object|help", ctx -> help("OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "ENCODING <key>", "    Return the kind of internal representation used in order to store the value",
                "    associated with a <key>.",
                "FREQ <key>", "    Return the access frequency index of the <key>. The returned integer is",
                "    proportional to the logarithm of the recent access frequency of the key.",
                "IDLETIME <key>", "    Return the idle time of the <key>, that is the approximated number of",
                "    seconds elapsed since the last access to the key.",
                "REFCOUNT <key>", "    Return the number of references of the value associated with the specified",
                "    <key>.",
                "HELP", "    Print this help."));
    }

    /** A HELP reply: status lines, as Redis's addReplyHelp formats them. */
    static Reply help(String... lines) {
        List<Reply> out = new ArrayList<>();
        for (String l : lines) {
            out.add(Reply.simple(l));
        }
        return Reply.array(out);
    }

    static Reply del(ApplyContext ctx) {
        KeyspaceTxn ks = ctx.keyspace();
        Args a = ctx.args();
        long n = 0;
        for (int i = 1; i < a.size(); i++) {
            if (ks.delete(ks.entry(a.bytes(i)))) {
                n++;
            }
        }
        return Reply.integer(n);
    }

    static Reply count(CommandContext ctx) {
        Keyspace ks = ctx.keyspace();
        Args a = ctx.args();
        long n = 0;
        for (int i = 1; i < a.size(); i++) {
            if (ks.exists(a.bytes(i))) {
                n++;
            }
        }
        return Reply.integer(n);
    }

    static Reply rename(ApplyContext ctx, boolean nx) {
        KeyspaceTxn ks = ctx.keyspace();
        Entry src = ks.entry(ctx.args().bytes(1));
        if (!src.exists()) {
            throw new RedisException(Errors.NO_SUCH_KEY);
        }
        byte[] to = ctx.args().bytes(2);
        if (java.util.Arrays.equals(src.userKey(), to)) {
            return nx ? Reply.ZERO : Reply.OK;
        }
        Entry dst = ks.entry(to);
        if (nx && dst.exists()) {
            return Reply.ZERO;
        }
        ks.copyValue(src, dst, src.expireAt());
        ks.delete(src);
        return nx ? Reply.ONE : Reply.OK;
    }

    record CopyOptions(boolean replace) {
        static CopyOptions parse(Args a) {
            boolean replace = false;
            for (int i = 3; i < a.size(); i++) {
                if (a.is(i, "REPLACE")) {
                    replace = true;
                } else if (a.is(i, "DB") && i + 1 < a.size()) {
                    long db = a.longValue(++i);
                    if (db != 0) {
                        throw new RedisException("ERR DB index is out of range");
                    }
                } else {
                    throw Errors.syntax();
                }
            }
            if (java.util.Arrays.equals(a.bytes(1), a.bytes(2))) {
                throw new RedisException("ERR source and destination objects are the same");
            }
            return new CopyOptions(replace);
        }
    }

    static Reply copy(ApplyContext ctx) {
        CopyOptions o = CopyOptions.parse(ctx.args());
        KeyspaceTxn ks = ctx.keyspace();
        Entry src = ks.entry(ctx.args().bytes(1));
        if (!src.exists()) {
            return Reply.ZERO;
        }
        Entry dst = ks.entry(ctx.args().bytes(2));
        if (dst.exists() && !o.replace()) {
            return Reply.ZERO;
        }
        ks.copyValue(src, dst, src.expireAt());
        return Reply.ONE;
    }

    static Reply keys(CommandContext ctx) {
        byte[] pattern = ctx.args().bytes(1);
        List<Reply> out = new ArrayList<>();
        Keyspace ks = ctx.keyspace();
        if (Glob.isLiteral(pattern)) {
            if (ks.exists(pattern)) {
                out.add(Reply.bulk(pattern));
            }
            return Reply.array(out);
        }
        ks.scan(KeyCodec.slotStart(0), null, e -> {
            if (Glob.matches(pattern, e.userKey(), false)) {
                out.add(Reply.bulk(e.userKey()));
            }
            return true;
        });
        return Reply.array(out);
    }

    static Reply scan(CommandContext ctx) {
        Args a = ctx.args();
        long cursor;
        Long parsed = Args.parseUnsigned(a.bytes(1));
        if (parsed == null) {
            throw new RedisException("ERR invalid cursor");
        }
        cursor = parsed;
        byte[] pattern = null;
        long count = 10;
        RedisType type = null;
        boolean typeGiven = false;
        for (int i = 2; i < a.size(); i++) {
            if (a.is(i, "MATCH") && i + 1 < a.size()) {
                pattern = a.bytes(++i);
                if (pattern.length == 1 && pattern[0] == '*') {
                    pattern = null;
                }
            } else if (a.is(i, "COUNT") && i + 1 < a.size()) {
                count = a.longValue(++i);
                if (count < 1) {
                    throw Errors.syntax();
                }
            } else if (a.is(i, "TYPE") && i + 1 < a.size()) {
                type = RedisType.ofName(a.string(++i));
                typeGiven = true;
            } else {
                throw Errors.syntax();
            }
        }
        ScanCursors cursors = ScanCursors.of(ctx.node());
        byte[] from = cursors.resume(cursor);
        final byte[] pat = pattern;
        final RedisType want = type;
        final boolean filterType = typeGiven;
        final long budget = Math.min(count, 100_000);
        List<Reply> out = new ArrayList<>();
        long[] seen = {0};
        byte[] next = ctx.keyspace().scan(from, null, e -> {
            seen[0]++;
            if ((pat == null || Glob.matches(pat, e.userKey(), false)) && (!filterType || e.type() == want)) {
                out.add(Reply.bulk(e.userKey()));
            }
            return seen[0] < budget;
        });
        long nextCursor = next == null ? 0 : cursors.save(next);
        return Reply.array(Reply.bulk(Long.toUnsignedString(nextCursor)), Reply.array(out));
    }

    static Reply randomKey(CommandContext ctx) {
        int slot = ctx.random().nextInt(io.basalt.routing.slots.SlotHash.SLOT_COUNT);
        Keyspace ks = ctx.keyspace();
        byte[][] found = new byte[1][];
        ks.scan(KeyCodec.slotStart(slot), null, e -> {
            found[0] = e.userKey();
            return false;
        });
        if (found[0] == null && slot > 0) {
            ks.scan(KeyCodec.slotStart(0), KeyCodec.slotStart(slot), e -> {
                found[0] = e.userKey();
                return false;
            });
        }
        return Reply.bulk(found[0]);
    }

    /** EXPIRE's NX|XX|GT|LT, with Redis's compatibility errors. */
    record ExpireOptions(boolean nx, boolean xx, boolean gt, boolean lt) {
        static ExpireOptions parse(Args a) {
            a.longValue(2);
            boolean nx = false;
            boolean xx = false;
            boolean gt = false;
            boolean lt = false;
            for (int i = 3; i < a.size(); i++) {
                if (a.is(i, "NX")) {
                    nx = true;
                } else if (a.is(i, "XX")) {
                    xx = true;
                } else if (a.is(i, "GT")) {
                    gt = true;
                } else if (a.is(i, "LT")) {
                    lt = true;
                } else {
                    throw new RedisException("ERR Unsupported option " + a.string(i));
                }
            }
            if (nx && (xx || gt || lt)) {
                throw new RedisException("ERR NX and XX, GT or LT options at the same time are not compatible");
            }
            if (gt && lt) {
                throw new RedisException("ERR GT and LT options at the same time are not compatible");
            }
            return new ExpireOptions(nx, xx, gt, lt);
        }
    }

    static Reply expire(ApplyContext ctx, long unitMs, boolean absolute) {
        Args a = ctx.args();
        ExpireOptions o = ExpireOptions.parse(a);
        long amount = a.longValue(2);
        String name = a.name();
        long at;
        try {
            long ms = Math.multiplyExact(amount, unitMs);
            at = absolute ? ms : Math.addExact(ctx.nowMs(), ms);
        } catch (ArithmeticException ex) {
            throw Errors.invalidExpire(name);
        }
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(a.bytes(1));
        if (!e.exists()) {
            return Reply.ZERO;
        }
        long cur = e.expireAt(); // 0 = persistent, i.e. an infinite TTL for GT/LT
        if ((o.nx() && cur != 0) || (o.xx() && cur == 0) || (o.gt() && (cur == 0 || at <= cur)) || (o.lt() && cur != 0 && at >= cur)) {
            return Reply.ZERO;
        }
        if (at <= ctx.nowMs()) {
            ks.delete(e);
        } else {
            ks.setExpire(e, at);
        }
        return Reply.ONE;
    }

    static Reply ttl(CommandContext ctx, boolean absolute, boolean seconds) {
        Entry e = ctx.keyspace().entry(ctx.args().bytes(1));
        if (!e.exists()) {
            return Reply.integer(-2);
        }
        long at = e.expireAt();
        if (at == 0) {
            return Reply.integer(-1);
        }
        if (absolute) {
            return Reply.integer(seconds ? at / 1000 : at);
        }
        long left = Math.max(0, at - ctx.nowMs());
        return Reply.integer(seconds ? (left + 500) / 1000 : left);
    }

    static Reply persist(ApplyContext ctx) {
        KeyspaceTxn ks = ctx.keyspace();
        Entry e = ks.entry(ctx.args().bytes(1));
        if (!e.exists() || e.expireAt() == 0) {
            return Reply.ZERO;
        }
        ks.setExpire(e, 0);
        return Reply.ONE;
    }

    static Reply objectEncoding(CommandContext ctx) {
        Entry e = ctx.keyspace().entry(ctx.args().bytes(2));
        if (!e.exists()) {
            return Reply.NULL;
        }
        if (e.type() == RedisType.STRING) {
            byte[] v = e.stringValue();
            if (v.length <= 20 && Args.parseLong(v) != null) {
                return Reply.bulk("int");
            }
            return Reply.bulk(v.length <= 44 ? "embstr" : "raw");
        }
        return Reply.bulk(encoding(ctx.keyspace(), e));
    }

    /** What OBJECT ENCODING reports for a composite, as Redis 7.0 would. */
    static String encoding(Keyspace ks, Entry e) {
        return switch (e.type()) {
            case HASH -> io.basalt.server.storage.types.FieldMap.of(ks, e, RedisType.HASH).encoding();
            case SET -> io.basalt.server.storage.types.FieldMap.of(ks, e, RedisType.SET).encoding();
            case ZSET -> io.basalt.server.storage.types.SortedSet.of(ks, e).encoding();
            case LIST -> io.basalt.server.storage.types.ListValue.of(ks, e).encoding();
            default -> "stream";
        };
    }
}
