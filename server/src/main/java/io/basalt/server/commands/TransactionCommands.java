package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.ClientSession;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.dispatch.CommandRunner;
import io.basalt.server.dispatch.Watches;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.write.Proposal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * MULTI, EXEC, DISCARD, WATCH, UNWATCH. The connection queues commands after MULTI; EXEC proposes
 * the whole block as one write ({@link #program}), which the applier runs command by command inside
 * one save point of one batch ({@link CommandRunner}): atomic without any lock, because nothing else
 * applies in between, and replicated as the commands themselves with the leader's time and seed.
 * WATCH is a guard on that proposal, checked immediately before it applies.
 */
public final class TransactionCommands {
    private TransactionCommands() {}

    public static void register(CommandRegistry r) {
        r.read("multi", ctx -> {
            ClientSession s = ctx.session();
            if (s.inMulti()) {
                throw new RedisException("ERR MULTI calls can not be nested");
            }
            s.beginMulti();
            return Reply.OK;
        });
        r.read("discard", ctx -> {
            ClientSession s = ctx.session();
            if (!s.inMulti()) {
                throw new RedisException("ERR DISCARD without MULTI");
            }
            s.endMulti();
            s.unwatch(ctx.node().watches());
            return Reply.OK;
        });
        r.read("watch", TransactionCommands::watch);
        r.read("unwatch", ctx -> {
            ctx.session().unwatch(ctx.node().watches());
            return Reply.OK;
        });
        // reached only through a proposal built by the connection (see ConnectionHandler)
        r.write("exec", TransactionCommands::exec);
    }

    private static Reply watch(CommandContext ctx) {
        ClientSession s = ctx.session();
        if (s.inMulti()) {
            throw new RedisException("ERR WATCH inside MULTI is not allowed");
        }
        Watches watches = ctx.node().watches();
        Watches.Watch w = s.watchOrCreate();
        Keyspace ks = ctx.keyspace();
        for (int i = 1; i < ctx.args().size(); i++) {
            byte[] key = ctx.args().bytes(i);
            watches.watch(w, key); // registered first: a change applied from now on marks it
            io.basalt.server.storage.types.Entry e = ks.entry(key);
            watches.observed(w, key, e.exists(), e.exists() ? e.expireAt() : 0);
        }
        return Reply.OK;
    }

    /**
     * The EXEC proposal for the queued commands: {@code EXEC argc1 arg… argc2 arg…}. The guard
     * (WATCH) travels beside it, on the accepting node only.
     */
    public static Proposal program(List<List<byte[]>> queued, long nowMs, long seed, ClientSession session,
            Watches watches, Watches.Watch watch) {
        List<byte[]> args = new ArrayList<>();
        args.add("EXEC".getBytes(StandardCharsets.US_ASCII));
        for (List<byte[]> argv : queued) {
            args.add(Integer.toString(argv.size()).getBytes(StandardCharsets.US_ASCII));
            args.addAll(argv);
        }
        java.util.function.Predicate<Keyspace> guard = null;
        if (watch != null) {
            guard = ks -> {
                boolean ok = watch.unchanged(ks);
                watches.unwatch(watch); // only now: changes up to this point had to mark it
                return ok;
            };
        }
        return new Proposal("exec", args, nowMs, seed, new Proposal.Origin(session, guard));
    }

    private static Reply exec(ApplyContext ctx) {
        List<byte[]> args = ctx.args().list();
        CommandRunner runner = ctx.runner();
        List<Reply> replies = new ArrayList<>();
        int i = 1;
        while (i < args.size()) {
            int argc = Integer.parseInt(new String(args.get(i), StandardCharsets.US_ASCII));
            List<byte[]> argv = args.subList(i + 1, i + 1 + argc);
            replies.add(runner.call(argv, CommandRunner.Mode.TRANSACTION));
            i += 1 + argc;
        }
        return Reply.array(replies);
    }
}
