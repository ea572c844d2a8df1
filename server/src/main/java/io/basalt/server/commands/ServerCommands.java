package io.basalt.server.commands;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.dispatch.SlowLog;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.util.Glob;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Server commands: INFO, CONFIG, DBSIZE, FLUSHALL/FLUSHDB, TIME, SLOWLOG, SHUTDOWN, LASTSAVE, COMMAND. */
public final class ServerCommands {
    private ServerCommands() {}

    public static void register(CommandRegistry r) {
        r.write("flushall", ServerCommands::flush, ServerCommands::validateFlush);
        r.write("flushdb", ServerCommands::flush, ServerCommands::validateFlush);
        r.read("dbsize", ctx -> Reply.integer(ctx.node().store().counts().total()));
        r.read("time", ctx -> {
            // inside a script or MULTI: the command's fixed time, so every replica sees the same
            long micros = ctx.nowMs() * 1000 + (ctx.nested() ? 0 : (System.nanoTime() / 1000) % 1000);
            return Reply.array(Reply.bulk(Long.toString(micros / 1_000_000)), Reply.bulk(Long.toString(micros % 1_000_000)));
        });
        r.read("lastsave", ctx -> Reply.integer(ctx.node().startMs() / 1000));
        r.read("info", ctx -> new Reply.Verbatim("txt", Info.render(ctx).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        r.read("shutdown", ServerCommands::shutdown);
        r.read("basalt|raft", ServerCommands::raft);
        r.read("basalt|session", ServerCommands::session);
        r.read("basalt|latency", ServerCommands::latency);
        r.read("config|get", ServerCommands::configGet);
        r.read("config|set", ServerCommands::configSet);
        r.read("config|resetstat", ctx -> {
            ctx.node().stats().reset();
            return Reply.OK;
        });
        r.read("config|rewrite", ctx -> {
            throw new RedisException("ERR The server is running without a config file");
        });
        r.read("config|help", ctx -> KeyCommands.help("CONFIG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GET <pattern>", "    Return parameters matching the glob-like <pattern> and their values.",
                "SET <directive> <value>", "    Set the configuration <directive> to <value>.",
                "RESETSTAT", "    Reset statistics reported by the INFO command.",
                "REWRITE", "    Rewrite the configuration file.",
                "HELP", "    Print this help."));
        r.read("slowlog|get", ServerCommands::slowlogGet);
        r.read("slowlog|len", ctx -> Reply.integer(ctx.node().slowLog().size()));
        r.read("slowlog|reset", ctx -> {
            ctx.node().slowLog().reset();
            return Reply.OK;
        });
        r.read("slowlog|help", ctx -> KeyCommands.help("SLOWLOG <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GET [<count>]", "    Return top <count> entries from the slowlog (default: 10, -1 mean all).",
                "    Entries are made of:", "    id, timestamp, time in microseconds, arguments array, client IP and port,",
                "    client name", "LEN", "    Return the length of the slowlog.", "RESET", "    Reset the slowlog.",
                "HELP", "    Print this help."));
        CommandInfo.register(r);
    }

    /** FLUSHALL/FLUSHDB [ASYNC|SYNC]: both are range deletes, so they are O(1) either way. */
    static void validateFlush(Args a, CommandContext ctx) {
        if (a.size() > 2 || (a.size() == 2 && !a.is(1, "ASYNC") && !a.is(1, "SYNC"))) {
            throw Errors.syntax();
        }
    }

    static Reply flush(ApplyContext ctx) {
        validateFlush(ctx.args(), null);
        ctx.keyspace().deleteEverything();
        return Reply.OK;
    }

    /** BASALT RAFT STATUS | TRANSFER id | ADD id host:raftPort:respPort [LEARNER] | REMOVE id | SNAPSHOT | LEAVE. */
    static Reply raft(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() == 3 && "LEAVE".equalsIgnoreCase(a.string(2))) {
            try {
                ctx.node().leaveGroup();
                return Reply.OK;
            } catch (IllegalStateException | java.io.IOException e) {
                throw new RedisException("ERR " + e.getMessage());
            }
        }
        io.basalt.server.raft.RaftWritePath raft = ctx.node().raft();
        if (raft == null) {
            throw new RedisException("ERR this node is not part of a Raft group (start it with --peers, or create a group with it)");
        }
        String op = a.string(2).toUpperCase(java.util.Locale.ROOT);
        try {
            switch (op) {
                case "STATUS" -> {
                    if (a.size() != 3) {
                        throw Errors.syntax();
                    }
                    StringBuilder sb = new StringBuilder(raft.replicationInfo());
                    raft.members().forEach((id, resp) -> {
                        boolean learner = resp != null && resp.endsWith(" learner");
                        sb.append(learner ? "learner:" : "member:").append(id).append(',')
                                .append(learner ? resp.substring(0, resp.length() - 8) : resp).append("\r\n");
                    });
                    return new Reply.Verbatim("txt", sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                }
                case "TRANSFER" -> {
                    if (a.size() != 4) {
                        throw Errors.syntax();
                    }
                    raft.transferLeadership(a.string(3));
                    return Reply.OK;
                }
                case "ADD" -> {
                    boolean learner = a.size() == 6 && "LEARNER".equalsIgnoreCase(a.string(5));
                    if (a.size() != 5 && !learner) {
                        throw Errors.syntax();
                    }
                    java.util.List<io.basalt.server.raft.RaftSettings.Peer> p;
                    try {
                        p = io.basalt.server.raft.RaftSettings.parsePeers(a.string(3) + "=" + a.string(4) + (learner ? ":learner" : ""));
                    } catch (IllegalArgumentException e) {
                        throw new RedisException("ERR " + e.getMessage());
                    }
                    raft.addMember(p.get(0));
                    return Reply.OK;
                }
                case "REMOVE" -> {
                    if (a.size() != 4) {
                        throw Errors.syntax();
                    }
                    raft.removeMember(a.string(3));
                    return Reply.OK;
                }
                case "SNAPSHOT" -> {
                    if (a.size() != 3) {
                        throw Errors.syntax();
                    }
                    return Reply.integer(raft.snapshot());
                }
                default -> throw new RedisException("ERR unknown BASALT RAFT operation '" + a.string(2)
                        + "'. Use STATUS, TRANSFER, ADD, REMOVE, SNAPSHOT or LEAVE.");
            }
        } catch (java.io.IOException e) {
            throw new RedisException("ERR " + String.valueOf(e.getMessage()).replace("\r", " ").replace("\n", " "));
        }
    }

    /** BASALT LATENCY [RESET]: the per-stage latency report (verbatim text), or clears it. */
    static Reply latency(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() == 3 && a.is(2, "RESET")) {
            ctx.node().latency().reset();
            return Reply.OK;
        }
        if (a.size() != 2) {
            throw Errors.syntax();
        }
        return new Reply.Verbatim("txt", ctx.node().latency().report().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static final java.util.regex.Pattern SESSION_ID = java.util.regex.Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    /**
     * BASALT SESSION id first-seq: from the next command on, this connection's commands are numbered
     * first-seq, first-seq+1, … and each write is applied at most once per (id, number) — a client
     * that reconnects re-declares the session with the number of the first command it re-sends.
     * BASALT SESSION OFF stops numbering.
     */
    static Reply session(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() == 3 && "OFF".equalsIgnoreCase(a.string(2))) {
            ctx.session().dedupSession(null, 0);
            return Reply.OK;
        }
        if (a.size() != 4) {
            throw Errors.syntax();
        }
        String id = a.string(2);
        if (!SESSION_ID.matcher(id).matches()) {
            throw new RedisException("ERR session id must be 1 to 64 characters of A-Z a-z 0-9 _ . -");
        }
        long seq;
        try {
            seq = Long.parseLong(a.string(3));
        } catch (NumberFormatException e) {
            seq = -1;
        }
        if (seq < 0) {
            throw new RedisException("ERR value is out of range, must be positive");
        }
        ctx.session().dedupSession(id, seq);
        return Reply.OK;
    }

    static Reply shutdown(CommandContext ctx) {
        Args a = ctx.args();
        for (int i = 1; i < a.size(); i++) {
            if (a.is(i, "ABORT")) {
                if (a.size() != 2) {
                    throw Errors.syntax();
                }
                throw new RedisException("ERR No shutdown in progress.");
            }
            if (!a.is(i, "NOSAVE") && !a.is(i, "SAVE") && !a.is(i, "NOW") && !a.is(i, "FORCE")) {
                throw Errors.syntax();
            }
        }
        // Like Redis: no reply, the connection just closes as the server stops (writes already
        // acknowledged are in the RocksDB WAL; close() flushes it).
        ctx.node().requestShutdown();
        ctx.session().replyMode(io.basalt.server.dispatch.ClientSession.ReplyMode.OFF);
        return Reply.OK;
    }

    static Reply configGet(CommandContext ctx) {
        Args a = ctx.args();
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 2; i < a.size(); i++) {
            byte[] pattern = a.string(i).toLowerCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8);
            found.putAll(ctx.node().config().matching(name ->
                    Glob.matches(pattern, name.getBytes(java.nio.charset.StandardCharsets.UTF_8), true)));
        }
        List<Reply> kv = new ArrayList<>();
        found.forEach((k, v) -> {
            kv.add(Reply.bulk(k));
            kv.add(Reply.bulk(v));
        });
        return new Reply.MapReply(kv);
    }

    static Reply configSet(CommandContext ctx) {
        Args a = ctx.args();
        if ((a.size() - 2) % 2 != 0) {
            throw Errors.wrongArgs("config|set");
        }
        Map<String, String> pairs = new LinkedHashMap<>();
        for (int i = 2; i < a.size(); i += 2) {
            if (pairs.put(a.string(i).toLowerCase(java.util.Locale.ROOT), a.string(i + 1)) != null) {
                throw new RedisException("ERR CONFIG SET failed (possibly related to argument '" + a.string(i)
                        + "') - duplicate parameter");
            }
        }
        ctx.node().config().set(pairs);
        ctx.node().slowLog().trim(ctx.node().config().getInt("slowlog-max-len"));
        return Reply.OK;
    }

    static Reply slowlogGet(CommandContext ctx) {
        Args a = ctx.args();
        int count = 10;
        if (a.size() == 3) {
            long c = a.longValue(2, "ERR count should be greater than or equal to -1");
            if (c < -1) {
                throw new RedisException("ERR count should be greater than or equal to -1");
            }
            count = c == -1 ? -1 : (int) Math.min(c, Integer.MAX_VALUE);
        } else if (a.size() > 3) {
            throw Errors.wrongArgs("slowlog|get");
        }
        List<Reply> out = new ArrayList<>();
        for (SlowLog.Entry e : ctx.node().slowLog().newest(count)) {
            List<Reply> args = new ArrayList<>();
            for (byte[] arg : e.args()) {
                args.add(Reply.bulk(arg));
            }
            out.add(Reply.array(Reply.integer(e.id()), Reply.integer(e.timestampSec()), Reply.integer(e.durationUs()),
                    Reply.array(args), Reply.bulk(e.client()), Reply.bulk(e.name())));
        }
        return Reply.array(out);
    }
}
