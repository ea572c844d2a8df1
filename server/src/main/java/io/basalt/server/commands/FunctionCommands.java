package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.rdb.RdbReader;
import io.basalt.server.rdb.RdbWriter;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.scripting.LuaScripts;
import io.basalt.server.storage.types.Keyspace;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * FUNCTION and FCALL. Libraries are data: their code is stored (SYSTEM column family, under
 * {@code fnlib:<name>}) by FUNCTION LOAD/DELETE/FLUSH/RESTORE, which are writes like any other, so
 * every replica holds the same libraries; FCALL finds its function in what storage holds at apply
 * time, and loaded libraries are cached by code.
 */
public final class FunctionCommands {
    private FunctionCommands() {}

    private static final String PREFIX = "fnlib:";

    public static void register(CommandRegistry r) {
        r.write("function|load", FunctionCommands::load, (a, ctx) -> {
            int codeAt = a.size() == 4 ? 3 : 2;
            if (a.size() == 4 && !a.is(2, "REPLACE")) {
                throw new RedisException("ERR Unknown option given: " + a.string(2));
            }
            if (a.size() > 4) {
                throw io.basalt.server.resp.Errors.wrongArgs("function|load");
            }
            LuaScripts.libraryName(a.bytes(codeAt)); // header errors before anything is proposed
        });
        r.write("function|delete", ctx -> {
            String name = ctx.args().string(2);
            if (!ctx.keyspace().records(PREFIX).containsKey(name)) {
                throw new RedisException("ERR Library not found");
            }
            ctx.keyspace().record(PREFIX, name, null);
            return Reply.OK;
        });
        r.write("function|flush", ctx -> {
            flushMode(ctx.args());
            for (String name : ctx.keyspace().records(PREFIX).keySet()) {
                ctx.keyspace().record(PREFIX, name, null);
            }
            return Reply.OK;
        }, (a, ctx) -> flushMode(a));
        r.write("function|restore", FunctionCommands::restore, (a, ctx) -> restorePolicy(a));
        r.read("function|list", FunctionCommands::list);
        r.read("function|dump", ctx -> Reply.bulk(RdbWriter.dumpFunctions(ctx.keyspace().records(PREFIX).values())));
        r.read("function|stats", FunctionCommands::stats);
        r.read("function|kill", ctx -> ctx.node().scripts().kill());
        r.read("function|help", ctx -> KeyCommands.help("FUNCTION <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "LOAD [REPLACE] <FUNCTION CODE>",
                "    Create a new library with the given library name and code.",
                "DELETE <LIBRARY NAME>",
                "    Delete the given library.",
                "LIST [LIBRARYNAME PATTERN] [WITHCODE]",
                "    Return general information on all the libraries:",
                "    * Library name",
                "    * The engine used to run the Library",
                "    * Library description",
                "    * Functions list",
                "    * Library code (if WITHCODE is given)",
                "    It also possible to get only function that matches a pattern using LIBRARYNAME argument.",
                "STATS",
                "    Return information about the current function running:",
                "    * Function name",
                "    * Command used to run the function",
                "    * Duration in MS that the function is running",
                "    If no function is running, return nil",
                "    In addition, returns a list of available engines.",
                "KILL",
                "    Kill the current running function.",
                "FLUSH [ASYNC|SYNC]",
                "    Delete all the libraries.",
                "    When called without the optional mode argument, the behavior is determined by the",
                "    lazyfree-lazy-user-flush configuration directive. Valid modes are:",
                "    * ASYNC: Asynchronously flush the libraries.",
                "    * SYNC: Synchronously flush the libraries.",
                "DUMP",
                "    Return a serialized payload representing the current libraries, can be restored using FUNCTION RESTORE command",
                "RESTORE <PAYLOAD> [FLUSH|APPEND|REPLACE]",
                "    Restore the libraries represented by the given payload, it is possible to give a restore policy to",
                "    control how to handle existing libraries (default APPEND):",
                "    * FLUSH: delete all existing libraries.",
                "    * APPEND: appends the restored libraries to the existing libraries. On collision, abort.",
                "    * REPLACE: appends the restored libraries to the existing libraries, On collision, replace the old",
                "      libraries with the new libraries (notice that even on this option there is a chance of failure",
                "      in case of functions name collision with another library).",
                "HELP",
                "    Prints this help."));
        r.write("fcall", ctx -> fcall(ctx, false), (a, ctx) -> ScriptingCommands.numKeys(a));
        r.write("fcall_ro", ctx -> fcall(ctx, true), (a, ctx) -> ScriptingCommands.numKeys(a));
    }

    private static void flushMode(Args a) {
        if (a.size() > 3 || (a.size() == 3 && !a.is(2, "ASYNC") && !a.is(2, "SYNC"))) {
            throw new RedisException("ERR FUNCTION FLUSH only supports SYNC|ASYNC option");
        }
    }

    private static String restorePolicy(Args a) {
        if (a.size() > 4) {
            throw io.basalt.server.resp.Errors.wrongArgs("function|restore");
        }
        if (a.size() == 4) {
            for (String p : new String[] {"FLUSH", "APPEND", "REPLACE"}) {
                if (a.is(3, p)) {
                    return p;
                }
            }
            throw new RedisException("ERR Wrong restore policy given, value should be either FLUSH, APPEND or REPLACE.");
        }
        return "APPEND";
    }

    private static Map<String, LuaScripts.Library> loaded(LuaScripts scripts, Keyspace ks) {
        Map<String, LuaScripts.Library> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : ks.records(PREFIX).entrySet()) {
            out.put(e.getKey(), scripts.stored(e.getKey(), e.getValue()));
        }
        return out;
    }

    /**
     * Adds {@code libs} to what is stored: a library of the same name is an error unless
     * {@code replace}; a function name taken by another library is always an error.
     */
    private static void install(KeyspaceTxn ks, LuaScripts scripts, List<LuaScripts.Library> libs, boolean replace) {
        Map<String, LuaScripts.Library> current = loaded(scripts, ks);
        for (LuaScripts.Library lib : libs) {
            if (current.containsKey(lib.name()) && !replace) {
                throw new RedisException("ERR Library '" + lib.name() + "' already exists");
            }
            current.remove(lib.name());
        }
        Map<String, String> owner = new java.util.HashMap<>();
        for (LuaScripts.Library other : current.values()) {
            for (String f : other.functions().keySet()) {
                owner.put(f, other.name());
            }
        }
        for (LuaScripts.Library lib : libs) {
            for (String f : lib.functions().keySet()) {
                if (owner.putIfAbsent(f, lib.name()) != null) {
                    throw new RedisException("ERR Function " + f + " already exists");
                }
            }
        }
        for (LuaScripts.Library lib : libs) {
            ks.record(PREFIX, lib.name(), lib.code());
        }
    }

    private static Reply load(ApplyContext ctx) {
        Args a = ctx.args();
        boolean replace = a.size() == 4;
        LuaScripts scripts = ctx.runner().node().scripts();
        LuaScripts.Library lib = scripts.library(a.bytes(replace ? 3 : 2));
        install(ctx.keyspace(), scripts, List.of(lib), replace);
        return Reply.bulk(lib.name());
    }

    private static Reply restore(ApplyContext ctx) {
        Args a = ctx.args();
        String policy = restorePolicy(a);
        byte[] payload = a.bytes(2);
        List<byte[]> codes;
        try {
            if (!RdbReader.verify(payload)) {
                throw new RedisException("ERR DUMP payload version or checksum are wrong");
            }
            codes = RdbReader.readFunctions(payload);
        } catch (RdbReader.BadFormat e) {
            throw new RedisException("ERR given type is not a function");
        }
        LuaScripts scripts = ctx.runner().node().scripts();
        List<LuaScripts.Library> libs = new ArrayList<>();
        for (byte[] code : codes) {
            libs.add(scripts.library(code));
        }
        if (policy.equals("FLUSH")) {
            for (String name : ctx.keyspace().records(PREFIX).keySet()) {
                ctx.keyspace().record(PREFIX, name, null);
            }
        }
        install(ctx.keyspace(), scripts, libs, policy.equals("REPLACE"));
        return Reply.OK;
    }

    private static Reply fcall(ApplyContext ctx, boolean readOnly) {
        Args a = ctx.args();
        int n = ScriptingCommands.numKeys(a);
        String name = a.string(1);
        LuaScripts scripts = ctx.runner().node().scripts();
        LuaScripts.Function fn = null;
        for (LuaScripts.Library lib : loaded(scripts, ctx.keyspace()).values()) {
            fn = lib.functions().get(name);
            if (fn != null) {
                break;
            }
        }
        if (fn == null) {
            throw new RedisException("ERR Function not found");
        }
        if (readOnly && !fn.flags().contains("no-writes")) {
            throw new RedisException("ERR Can not execute a script with write flag using *_ro command.");
        }
        List<byte[]> all = a.list();
        try {
            return scripts.fcall(ctx.runner(), fn, all.subList(3, 3 + n), all.subList(3 + n, all.size()), readOnly);
        } catch (LuaScripts.Killed k) {
            throw new RedisException(k.reply().text());
        }
    }

    private static Reply list(CommandContext ctx) {
        Args a = ctx.args();
        byte[] pattern = null;
        boolean withCode = false;
        for (int i = 2; i < a.size(); i++) {
            if (a.is(i, "WITHCODE")) {
                withCode = true;
            } else if (a.is(i, "LIBRARYNAME") && i + 1 < a.size()) {
                pattern = a.bytes(++i);
            } else {
                throw new RedisException("ERR Unknown argument " + a.string(i));
            }
        }
        List<Reply> out = new ArrayList<>();
        for (LuaScripts.Library lib : loaded(ctx.node().scripts(), ctx.keyspace()).values()) {
            if (pattern != null && !Glob.matches(pattern, lib.name().getBytes(StandardCharsets.UTF_8), false)) {
                continue;
            }
            List<Reply> fns = new ArrayList<>();
            for (LuaScripts.Function f : lib.functions().values()) {
                List<Reply> flags = new ArrayList<>();
                for (String fl : f.flags()) {
                    flags.add(Reply.simple(fl));
                }
                fns.add(new Reply.MapReply(List.of(Reply.bulk("name"), Reply.bulk(f.name()), Reply.bulk("description"),
                        f.description() == null ? Reply.NULL : Reply.bulk(f.description()), Reply.bulk("flags"),
                        new Reply.SetReply(flags))));
            }
            List<Reply> kv = new ArrayList<>(List.of(Reply.bulk("library_name"), Reply.bulk(lib.name()), Reply.bulk("engine"),
                    Reply.bulk("LUA"), Reply.bulk("functions"), Reply.array(fns)));
            if (withCode) {
                kv.add(Reply.bulk("library_code"));
                kv.add(Reply.bulk(lib.code()));
            }
            out.add(new Reply.MapReply(kv));
        }
        return Reply.array(out);
    }

    private static Reply stats(CommandContext ctx) {
        LuaScripts scripts = ctx.node().scripts();
        SortedMap<String, byte[]> records = ctx.keyspace().records(PREFIX);
        int functions = 0;
        for (LuaScripts.Library lib : loaded(scripts, ctx.keyspace()).values()) {
            functions += lib.functions().size();
        }
        String running = scripts.runningName();
        Reply runningScript = running == null ? Reply.NULL : new Reply.MapReply(List.of(Reply.bulk("name"), Reply.bulk(running),
                Reply.bulk("command"), Reply.array(), Reply.bulk("duration_ms"), Reply.integer(scripts.runningMs())));
        return new Reply.MapReply(List.of(Reply.bulk("running_script"), runningScript, Reply.bulk("engines"),
                new Reply.MapReply(List.of(Reply.bulk("LUA"), new Reply.MapReply(List.of(Reply.bulk("libraries_count"),
                        Reply.integer(records.size()), Reply.bulk("functions_count"), Reply.integer(functions)))))));
    }
}
