package io.basalt.server.commands;

import io.basalt.routing.commands.CommandFlag;
import io.basalt.routing.commands.CommandSpec;
import io.basalt.routing.commands.CommandTable;
import io.basalt.routing.commands.KeySpec;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.util.Glob;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** COMMAND and its subcommands, answered from the command table in Redis 7's reply shapes. */
final class CommandInfo {
    private CommandInfo() {}

    static void register(CommandRegistry r) {
        r.read("command", ctx -> {
            List<Reply> out = new ArrayList<>();
            for (CommandSpec s : CommandTable.get().all()) {
                out.add(info(s));
            }
            return Reply.array(out);
        });
        r.read("command|count", ctx -> Reply.integer(CommandTable.get().size()));
        r.read("command|info", ctx -> {
            Args a = ctx.args();
            List<Reply> out = new ArrayList<>();
            if (a.size() == 2) {
                for (CommandSpec s : CommandTable.get().all()) {
                    out.add(info(s));
                }
            }
            for (int i = 2; i < a.size(); i++) {
                CommandSpec s = find(a.string(i));
                out.add(s == null ? Reply.NULL : info(s));
            }
            return Reply.array(out);
        });
        r.read("command|docs", ctx -> {
            Args a = ctx.args();
            List<Reply> out = new ArrayList<>();
            if (a.size() == 2) {
                for (CommandSpec s : CommandTable.get().all()) {
                    out.add(Reply.bulk(s.name()));
                    out.add(docs(s));
                }
            }
            for (int i = 2; i < a.size(); i++) {
                CommandSpec s = find(a.string(i));
                if (s != null) {
                    out.add(Reply.bulk(s.name()));
                    out.add(docs(s));
                }
            }
            return new Reply.MapReply(out);
        });
        r.read("command|getkeys", ctx -> getkeys(ctx, false));
        r.read("command|getkeysandflags", ctx -> getkeys(ctx, true));
        r.read("command|list", CommandInfo::list);
        r.read("command|help", ctx -> KeyCommands.help("COMMAND <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "(no subcommand)", "    Return details about all Redis commands.",
                "COUNT", "    Return the total number of commands in this Redis server.",
                "LIST", "    Return a list of all commands in this Redis server.",
                "INFO [<command-name> ...]", "    Return details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "DOCS [<command-name> ...]", "    Return documentation details about multiple Redis commands.",
                "    If no command names are given, documentation details for all",
                "    commands are returned.",
                "GETKEYS <full-command>", "    Return the keys from a full Redis command.",
                "GETKEYSANDFLAGS <full-command>", "    Return the keys and the access flags from a full Redis command.",
                "LIST [FILTERBY (MODULE <module-name>|ACLCAT <category>|PATTERN <pattern>)]",
                "    Return a list of all commands in this Redis server.",
                "HELP", "    Print this help."));
    }

    /** A command or "container|sub" by name, any case. */
    static CommandSpec find(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        int bar = n.indexOf('|');
        if (bar < 0) {
            return CommandTable.get().lookup(n);
        }
        CommandSpec c = CommandTable.get().lookup(n.substring(0, bar));
        return c == null ? null : CommandTable.get().lookupSub(c, n.substring(bar + 1));
    }

    private static Reply status(String s) {
        return Reply.simple(s);
    }

    static Reply info(CommandSpec s) {
        List<Reply> flags = new ArrayList<>();
        for (CommandFlag f : CommandFlag.values()) {
            if (s.has(f)) {
                flags.add(status(f.wireName()));
            }
        }
        List<Reply> acl = new ArrayList<>();
        for (String c : s.aclCategories()) {
            acl.add(status(c));
        }
        int[] legacy = s.legacyKeyRange();
        List<Reply> keySpecs = new ArrayList<>();
        for (KeySpec k : s.keySpecs()) {
            keySpecs.add(keySpec(k));
        }
        List<Reply> subs = new ArrayList<>();
        for (CommandSpec sub : s.subcommands()) {
            subs.add(info(sub));
        }
        return Reply.array(Reply.bulk(s.name()), Reply.integer(s.arity()), new Reply.SetReply(flags),
                Reply.integer(legacy[0]), Reply.integer(legacy[1]), Reply.integer(legacy[2]), new Reply.SetReply(acl),
                Reply.array(s.tips().stream().map(Reply::bulk).toList()), Reply.array(keySpecs), Reply.array(subs));
    }

    private static Reply map(Object... kv) {
        List<Reply> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(Reply.bulk((String) kv[i]));
            Object v = kv[i + 1];
            out.add(v instanceof Reply r ? r : v instanceof Integer n ? Reply.integer(n) : Reply.bulk((String) v));
        }
        return new Reply.MapReply(out);
    }

    static Reply keySpec(KeySpec k) {
        List<Reply> flags = new ArrayList<>();
        for (String f : List.of("RO", "RW", "OW", "RM", "ACCESS", "UPDATE", "INSERT", "DELETE", "NOT_KEY", "INCOMPLETE", "VARIABLE_FLAGS")) {
            if (k.flags().contains(f)) {
                // Redis prints the access kind upper-case (RW) and the qualifiers lower-case (access)
                flags.add(status(f.length() == 2 ? f : f.toLowerCase(Locale.ROOT)));
            }
        }
        Reply begin = k.begin() instanceof KeySpec.Index idx
                ? map("type", "index", "spec", map("index", idx.pos()))
                : map("type", "keyword", "spec", map("keyword", ((KeySpec.Keyword) k.begin()).keyword(),
                        "startfrom", ((KeySpec.Keyword) k.begin()).startFrom()));
        Reply find = k.find() instanceof KeySpec.Range r
                ? map("type", "range", "spec", map("lastkey", r.lastKey(), "keystep", r.step(), "limit", r.limit()))
                : map("type", "keynum", "spec", map("keynumidx", ((KeySpec.KeyNum) k.find()).keyNumIdx(),
                        "firstkey", ((KeySpec.KeyNum) k.find()).firstKey(), "keystep", ((KeySpec.KeyNum) k.find()).step()));
        return map("flags", new Reply.SetReply(flags), "begin_search", begin, "find_keys", find);
    }

    static Reply docs(CommandSpec s) {
        List<Reply> out = new ArrayList<>(List.of(Reply.bulk("summary"), Reply.bulk(s.summary()), Reply.bulk("since"),
                Reply.bulk(s.since()), Reply.bulk("group"), Reply.bulk(s.group()), Reply.bulk("complexity"),
                Reply.bulk(s.complexity())));
        if (!s.subcommands().isEmpty()) {
            List<Reply> subs = new ArrayList<>();
            for (CommandSpec sub : s.subcommands()) {
                subs.add(Reply.bulk(sub.name()));
                subs.add(docs(sub));
            }
            out.add(Reply.bulk("subcommands"));
            out.add(new Reply.MapReply(subs));
        }
        return new Reply.MapReply(out);
    }

    static Reply getkeys(CommandContext ctx, boolean withFlags) {
        Args a = ctx.args();
        List<byte[]> cmd = a.list().subList(2, a.size());
        CommandSpec s = CommandTable.get().lookup(cmd.get(0));
        if (s != null && !s.subcommands().isEmpty() && cmd.size() > 1) {
            s = CommandTable.get().lookupSub(s, new String(cmd.get(1), StandardCharsets.UTF_8));
        }
        if (s == null) {
            throw new RedisException("ERR Invalid command specified");
        }
        if (!s.arityAccepts(cmd.size())) {
            throw new RedisException("ERR Invalid number of arguments specified for command");
        }
        List<Integer> pos = s.keyPositions(cmd);
        if (pos.isEmpty()) {
            throw new RedisException("ERR The command has no key arguments");
        }
        List<Reply> out = new ArrayList<>();
        int specIndex = 0;
        for (int p : pos) {
            if (!withFlags) {
                out.add(Reply.bulk(cmd.get(p)));
                continue;
            }
            KeySpec k = s.keySpecs().get(Math.min(specIndex, s.keySpecs().size() - 1));
            List<Reply> flags = new ArrayList<>();
            for (String f : k.flags()) {
                flags.add(status(f.length() == 2 ? f : f.toLowerCase(Locale.ROOT)));
            }
            out.add(Reply.array(Reply.bulk(cmd.get(p)), new Reply.SetReply(flags)));
            if (s.keySpecs().size() > 1) {
                specIndex++;
            }
        }
        return Reply.array(out);
    }

    static Reply list(CommandContext ctx) {
        Args a = ctx.args();
        String filter = null;
        String value = null;
        if (a.size() == 5 && a.is(2, "FILTERBY")) {
            filter = a.string(3).toLowerCase(Locale.ROOT);
            value = a.string(4);
            if (!filter.equals("module") && !filter.equals("aclcat") && !filter.equals("pattern")) {
                throw new RedisException("ERR syntax error");
            }
        } else if (a.size() != 2) {
            throw new RedisException("ERR syntax error");
        }
        List<Reply> out = new ArrayList<>();
        for (CommandSpec s : CommandTable.get().all()) {
            addIfMatches(out, s, filter, value);
            for (CommandSpec sub : s.subcommands()) {
                addIfMatches(out, sub, filter, value);
            }
        }
        return Reply.array(out);
    }

    private static void addIfMatches(List<Reply> out, CommandSpec s, String filter, String value) {
        boolean ok;
        if (filter == null) {
            ok = true;
        } else if (filter.equals("module")) {
            ok = false;
        } else if (filter.equals("aclcat")) {
            String cat = value.startsWith("@") ? value : "@" + value;
            ok = s.aclCategories().stream().anyMatch(c -> c.equalsIgnoreCase(cat));
        } else {
            ok = Glob.matches(value.getBytes(StandardCharsets.UTF_8), s.name().getBytes(StandardCharsets.UTF_8), true);
        }
        if (ok) {
            out.add(Reply.bulk(s.name()));
        }
    }
}
