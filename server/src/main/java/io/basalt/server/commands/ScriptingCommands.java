package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.dispatch.WriteCommand;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.scripting.LuaScripts;
import io.basalt.server.write.Proposal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * EVAL, EVALSHA, EVAL_RO, EVALSHA_RO and SCRIPT. A script is proposed like any write — its body,
 * keys and arguments, with the leader's time — and runs on the applier inside that one proposal
 * (see {@link LuaScripts}): atomic, and the same on every replica. EVALSHA is proposed as the EVAL
 * of the body it names, so applying it needs no script cache.
 */
public final class ScriptingCommands {
    private ScriptingCommands() {}

    public static void register(CommandRegistry r) {
        r.write("eval", ctx -> eval(ctx, false), ScriptingCommands::validateEval);
        r.write("eval_ro", ctx -> eval(ctx, true), ScriptingCommands::validateEval);
        r.writeCommand("evalsha", new EvalSha("eval"));
        r.writeCommand("evalsha_ro", new EvalSha("eval_ro"));
        r.read("script|load", ctx -> Reply.bulk(ctx.node().scripts().load(ctx.args().bytes(2))));
        r.read("script|exists", ctx -> {
            List<Reply> out = new ArrayList<>();
            for (int i = 2; i < ctx.args().size(); i++) {
                out.add(ctx.node().scripts().exists(ctx.args().string(i)) ? Reply.ONE : Reply.ZERO);
            }
            return Reply.array(out);
        });
        r.read("script|flush", ctx -> {
            Args a = ctx.args();
            if (a.size() > 3 || (a.size() == 3 && !a.is(2, "ASYNC") && !a.is(2, "SYNC"))) {
                throw new RedisException("ERR SCRIPT FLUSH only support SYNC|ASYNC option");
            }
            ctx.node().scripts().flush();
            return Reply.OK;
        });
        r.read("script|kill", ctx -> ctx.node().scripts().kill());
        r.read("script|help", ctx -> KeyCommands.help("SCRIPT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "DEBUG (YES|SYNC|NO)",
                "    Set the debug mode for subsequent scripts executed.",
                "EXISTS <sha1> [<sha1> ...]",
                "    Return information about the existence of the scripts in the script cache.",
                "FLUSH [ASYNC|SYNC]",
                "    Flush the Lua scripts cache. Very dangerous on replicas.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the scripts cache.",
                "    * SYNC: Synchronously flush the scripts cache.",
                "KILL",
                "    Kill the currently executing Lua script.",
                "LOAD <script>",
                "    Load a script into the scripts cache without executing it.",
                "HELP",
                "    Prints this help."));
    }

    /** numkeys as Redis checks it: an integer, not negative, not more than the arguments given. */
    static int numKeys(Args a) {
        long n = a.longValue(2);
        if (n < 0) {
            throw new RedisException("ERR Number of keys can't be negative");
        }
        if (n > a.size() - 3) {
            throw new RedisException("ERR Number of keys can't be greater than number of args");
        }
        return (int) n;
    }

    private static void validateEval(Args a, CommandContext ctx) {
        numKeys(a);
        ctx.node().scripts().load(a.bytes(1)); // compile errors are reported before anything is proposed
    }

    private static Reply eval(ApplyContext ctx, boolean readOnly) {
        return eval(ctx, readOnly, ctx.args().bytes(1));
    }

    private static Reply eval(ApplyContext ctx, boolean readOnly, byte[] body) {
        Args a = ctx.args();
        int n = numKeys(a);
        List<byte[]> all = a.list();
        List<byte[]> keys = all.subList(3, 3 + n);
        List<byte[]> argv = all.subList(3 + n, all.size());
        try {
            return ctx.runner().node().scripts().run(ctx.runner(), body, keys, argv, readOnly);
        } catch (LuaScripts.Killed k) {
            throw new RedisException(k.reply().text()); // undoes whatever the script did
        }
    }

    /** EVALSHA: validated against this node's script cache, proposed as the EVAL of the body. */
    private static final class EvalSha implements WriteCommand {
        private final String evalName;

        EvalSha(String evalName) {
            this.evalName = evalName;
        }

        @Override
        public Reply apply(ApplyContext ctx) {
            // reached only inside MULTI (a client's EVALSHA is proposed as EVAL): the cache is local
            byte[] body = ctx.runner().node().scripts().body(ctx.args().string(1));
            if (body == null) {
                throw new RedisException("NOSCRIPT No matching script. Please use EVAL.");
            }
            return eval(ctx, evalName.equals("eval_ro"), body);
        }

        @Override
        public void validate(Args a, CommandContext ctx) {
            numKeys(a);
            if (ctx.node().scripts().body(a.string(1)) == null) {
                throw new RedisException("NOSCRIPT No matching script. Please use EVAL.");
            }
        }

        @Override
        public Proposal proposal(String name, List<byte[]> argv, long nowMs, long seed, CommandContext ctx) {
            byte[] body = ctx.node().scripts().body(new String(argv.get(1), StandardCharsets.UTF_8));
            if (body == null) {
                // flushed by another connection since validate: apply replies NOSCRIPT
                return new Proposal(name, argv, nowMs, seed);
            }
            List<byte[]> args = new ArrayList<>(argv);
            args.set(0, evalName.toUpperCase(java.util.Locale.ROOT).getBytes(StandardCharsets.US_ASCII));
            args.set(1, body);
            return new Proposal(evalName, args, nowMs, seed);
        }
    }
}
