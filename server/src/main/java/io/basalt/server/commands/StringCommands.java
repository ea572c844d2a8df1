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

/** String commands: parse and reply here; storage meaning lives in the type layer. */
public final class StringCommands {
    private StringCommands() {}

    public static void register(CommandRegistry r) {
        r.read("get", StringCommands::get);
        r.write("set", StringCommands::set, (args, ctx) -> SetOptions.parse(args, 3, "set"));
    }

    static Reply get(CommandContext ctx) {
        return ctx.keyspace().entry(ctx.args().bytes(1)).stringReply();
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
        long expireAt = o.keepTtl ? e.expireAt() : o.expireAt(ctx.nowMs());
        ks.putString(e, a.bytes(2), expireAt);
        return o.get ? Reply.bulk(old) : Reply.OK;
    }

    /**
     * SET's options (also used by GETEX-like parsing): NX|XX, GET, EX|PX|EXAT|PXAT|KEEPTTL.
     * Relative times become absolute with the time fixed for the write, never the applier's clock.
     */
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
                } else if (o.unit == 0 && !o.keepTtl && i + 1 < a.size()
                        && (a.is(i, "EX") || a.is(i, "PX") || a.is(i, "EXAT") || a.is(i, "PXAT"))) {
                    o.unit = a.is(i, "EX") ? 's' : a.is(i, "PX") ? 'm' : a.is(i, "EXAT") ? 'S' : 'M';
                    o.amount = a.longValue(i + 1);
                    if (o.amount <= 0 || (o.unit == 's' || o.unit == 'S') && o.amount > Long.MAX_VALUE / 1000) {
                        throw Errors.invalidExpire(command);
                    }
                    i++;
                } else {
                    throw Errors.syntax();
                }
            }
            return o;
        }

        long expireAt(long nowMs) {
            long at = switch (o()) {
                case 's' -> nowMs + amount * 1000;
                case 'm' -> nowMs + amount;
                case 'S' -> amount * 1000;
                case 'M' -> amount;
                default -> 0;
            };
            if (unit != 0 && (at <= 0 || (unit == 's' || unit == 'm') && at < nowMs)) {
                // overflow of now + ttl
                throw new RedisException("ERR invalid expire time in 'set' command");
            }
            return at;
        }

        private char o() {
            return unit;
        }
    }
}
