package io.basalt.server.commands;

import io.basalt.server.Node;
import io.basalt.server.Version;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.ClientSession;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/** Connection commands: PING, ECHO, QUIT, RESET, SELECT, AUTH, HELLO, CLIENT …, MONITOR. */
public final class ConnectionCommands {
    private ConnectionCommands() {}

    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    public static void register(CommandRegistry r) {
        r.read("ping", ConnectionCommands::ping);
        r.read("echo", ctx -> Reply.bulk(ctx.args().bytes(1)));
        r.read("quit", ctx -> {
            ctx.session().closeAfterReply();
            return Reply.OK;
        });
        r.read("reset", ConnectionCommands::reset);
        // READONLY: this connection accepts reads from a follower replica (possibly behind the leader)
        r.read("readonly", ctx -> {
            if (!ClusterCommands.clusterProtocol(ctx)) {
                throw new RedisException(ClusterCommands.DISABLED);
            }
            ctx.session().readonly(true);
            return Reply.OK;
        });
        r.read("readwrite", ctx -> {
            if (!ClusterCommands.clusterProtocol(ctx)) {
                throw new RedisException(ClusterCommands.DISABLED);
            }
            ctx.session().readonly(false);
            return Reply.OK;
        });
        r.read("select", ctx -> {
            long db = ctx.args().longValue(1);
            if (db != 0 && ctx.node().cluster().enabled()) {
                throw new RedisException("ERR SELECT is not allowed in cluster mode");
            }
            if (db != 0) {
                throw new RedisException("ERR DB index is out of range");
            }
            return Reply.OK;
        });
        r.read("auth", ConnectionCommands::auth);
        r.read("hello", ConnectionCommands::hello);
        r.read("monitor", ctx -> {
            if (ctx.nested()) {
                throw new RedisException("ERR MONITOR isn't allowed for DENY BLOCKING client");
            }
            ctx.node().clients().addMonitor(ctx.session());
            return Reply.OK;
        });
        r.read("client|id", ctx -> Reply.integer(ctx.session().id()));
        r.read("client|setname", ctx -> {
            ctx.session().name(checkName(ctx.args().string(2), "Client names"));
            return Reply.OK;
        });
        r.read("client|getname", ctx -> ctx.session().name().isEmpty() ? Reply.NULL : Reply.bulk(ctx.session().name()));
        r.read("client|list", ConnectionCommands::clientList);
        r.read("client|info", ctx -> new Reply.Verbatim("txt", utf8(ClientInfo.line(ctx.session(), ctx.nowMs()) + "\n")));
        r.read("client|kill", ClientKill::run);
        r.read("client|setinfo", ConnectionCommands::setinfo);
        r.read("client|reply", ConnectionCommands::reply);
        r.read("client|no-evict", ctx -> {
            ctx.session().noEvict(onOff(ctx.args(), 2));
            return Reply.OK;
        });
        r.read("client|no-touch", ctx -> {
            ctx.session().noTouch(onOff(ctx.args(), 2));
            return Reply.OK;
        });
        r.read("client|help", ctx -> KeyCommands.help(
                "CLIENT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "GETNAME", "    Return the name of the current connection.",
                "ID", "    Return the ID of the current connection.",
                "INFO", "    Return information about the current client connection.",
                "KILL <ip:port>", "    Kill connection made from <ip:port>.",
                "KILL <option> <value> [<option> <value> [...]]", "    Kill connections. Options are:",
                "    * ADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made from the specified address",
                "    * LADDR (<ip:port>|<unixsocket>:0)", "      Kill connections made to specified local address",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Kill connections by type.",
                "    * USER <username>", "      Kill connections authenticated by <username>.",
                "    * SKIPME (YES|NO)", "      Skip killing current connection (default: yes).",
                "    * ID <client-id>", "      Kill connections by client id.",
                "    * MAXAGE <maxage>", "      Kill connections older than the specified age.",
                "LIST [options ...]", "    Return information about client connections. Options:",
                "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)", "      Return clients of specified type.",
                "    * ID <client-id> [<client-id> ...]", "      Return clients of specified IDs only.",
                "NO-EVICT (ON|OFF)", "    Protect current client connection from eviction.",
                "NO-TOUCH (ON|OFF)", "    Will not touch LRU/LFU stats when this mode is on.",
                "REPLY (ON|OFF|SKIP)", "    Control the replies sent to the current connection.",
                "SETNAME <name>", "    Assign the name <name> to the current connection.",
                "SETINFO <option> <value>", "    Set client meta attr. Options are:",
                "    * LIB-NAME: the client lib name.", "    * LIB-VER: the client lib version.",
                "HELP", "    Print this help."));
    }

    static Reply ping(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() > 2) {
            throw Errors.wrongArgs("ping");
        }
        if (ctx.session().proto() == 2 && ctx.session().subscribed()) {
            // RESP2 subscribed mode: PING answers in the shape of a pushed message
            return Reply.array(Reply.bulk("pong"), Reply.bulk(a.size() == 1 ? new byte[0] : a.bytes(1)));
        }
        return a.size() == 1 ? Reply.PONG : Reply.bulk(a.bytes(1));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    static Reply reset(CommandContext ctx) {
        ClientSession s = ctx.session();
        s.name("");
        s.proto(2);
        s.replyMode(ClientSession.ReplyMode.ON);
        s.noEvict(false);
        s.noTouch(false);
        s.readonly(false);
        if (s.inMulti()) {
            s.endMulti();
        }
        s.unwatch(ctx.node().watches());
        ctx.node().pubsub().leave(s);
        if (s.monitor()) {
            s.monitor(false);
            ctx.node().clients().removeMonitor(s);
        }
        if (!ctx.node().config().get("requirepass").isEmpty()) {
            s.authenticated(false);
        }
        return Reply.simple("RESET");
    }

    /** Checks a password for a user against requirepass (only the "default" user exists). */
    static boolean passwordMatches(Node node, String user, byte[] password) {
        String required = node.config().get("requirepass");
        if (!"default".equals(user)) {
            return false;
        }
        if (required.isEmpty()) {
            return true; // the default user is "nopass": any password works
        }
        return MessageDigest.isEqual(utf8(required), password);
    }

    static Reply auth(CommandContext ctx) {
        Args a = ctx.args();
        if (a.size() > 3) {
            throw Errors.syntax();
        }
        if (a.size() == 2 && ctx.node().config().get("requirepass").isEmpty()) {
            throw new RedisException("ERR AUTH <password> called without any password configured for the default user. "
                    + "Are you sure your configuration is correct?");
        }
        String user = a.size() == 3 ? a.string(1) : "default";
        byte[] pass = a.bytes(a.size() - 1);
        if (!passwordMatches(ctx.node(), user, pass)) {
            throw new RedisException(WRONGPASS);
        }
        ctx.session().authenticated(true);
        ctx.session().user(user);
        return Reply.OK;
    }

    static Reply hello(CommandContext ctx) {
        Args a = ctx.args();
        ClientSession s = ctx.session();
        int proto = s.proto();
        int i = 1;
        if (a.size() > 1) {
            Long v = Args.parseLong(a.bytes(1));
            if (v == null) {
                throw new RedisException("ERR Protocol version is not an integer or out of range");
            }
            if (v < 2 || v > 3) {
                throw new RedisException("NOPROTO unsupported protocol version");
            }
            proto = v.intValue();
            i = 2;
        }
        String authUser = null;
        byte[] authPass = null;
        String setName = null;
        for (; i < a.size(); i++) {
            int left = a.size() - i - 1;
            if (a.is(i, "AUTH") && left >= 2) {
                authUser = a.string(i + 1);
                authPass = a.bytes(i + 2);
                i += 2;
            } else if (a.is(i, "SETNAME") && left >= 1) {
                setName = checkName(a.string(i + 1), "Client names");
                i += 1;
            } else {
                throw new RedisException("ERR Syntax error in HELLO option '" + a.string(i) + "'");
            }
        }
        if (authUser != null) {
            if (!passwordMatches(ctx.node(), authUser, authPass)) {
                throw new RedisException(WRONGPASS);
            }
            s.authenticated(true);
            s.user(authUser);
        }
        if (!s.authenticated()) {
            throw new RedisException("NOAUTH HELLO must be called with the client already authenticated, otherwise the "
                    + "HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and select the RESP "
                    + "protocol version at the same time");
        }
        if (setName != null) {
            s.name(setName);
        }
        s.proto(proto);
        return new Reply.MapReply(List.of(
                Reply.bulk("server"), Reply.bulk("redis"),
                Reply.bulk("version"), Reply.bulk(Version.REDIS_VERSION),
                Reply.bulk("proto"), Reply.integer(proto),
                Reply.bulk("id"), Reply.integer(s.id()),
                Reply.bulk("mode"), Reply.bulk("standalone"),
                Reply.bulk("role"), Reply.bulk("master"),
                Reply.bulk("modules"), Reply.EMPTY_ARRAY));
    }

    /** Client names and library infos may not contain spaces, newlines or special characters. */
    static String checkName(String name, String what) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < '!' || c > '~') {
                throw new RedisException("ERR " + what + " cannot contain spaces, newlines or special characters.");
            }
        }
        return name;
    }

    static Reply clientList(CommandContext ctx) {
        Args a = ctx.args();
        List<Long> ids = null;
        String type = null;
        for (int i = 2; i < a.size(); i++) {
            if (a.is(i, "TYPE") && i + 1 < a.size()) {
                type = a.string(++i).toLowerCase(java.util.Locale.ROOT);
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    throw new RedisException("ERR Unknown client type '" + a.string(i) + "'");
                }
            } else if (a.is(i, "ID") && i + 1 < a.size()) {
                ids = new ArrayList<>();
                for (i = i + 1; i < a.size(); i++) {
                    Long id = Args.parseLong(a.bytes(i));
                    if (id == null || id <= 0) {
                        throw new RedisException("ERR Invalid client ID");
                    }
                    ids.add(id);
                }
            } else {
                throw Errors.syntax();
            }
        }
        StringBuilder sb = new StringBuilder();
        long now = ctx.nowMs();
        for (ClientSession s : ctx.node().clients().all()) {
            if (ids != null && !ids.contains(s.id())) {
                continue;
            }
            if (type != null && !type.equals("normal")) {
                continue; // no replica or pub/sub connections exist yet
            }
            sb.append(ClientInfo.line(s, now)).append('\n');
        }
        return new Reply.Verbatim("txt", utf8(sb.toString()));
    }

    static Reply setinfo(CommandContext ctx) {
        Args a = ctx.args();
        if (a.is(2, "LIB-NAME")) {
            ctx.session().libName(checkName(a.string(3), "lib-name"));
        } else if (a.is(2, "LIB-VER")) {
            ctx.session().libVer(checkName(a.string(3), "lib-ver"));
        } else {
            throw new RedisException("ERR Unrecognized option '" + a.string(2) + "'");
        }
        return Reply.OK;
    }

    static Reply reply(CommandContext ctx) {
        Args a = ctx.args();
        if (a.is(2, "ON")) {
            ctx.session().replyMode(ClientSession.ReplyMode.ON);
        } else if (a.is(2, "OFF")) {
            ctx.session().replyMode(ClientSession.ReplyMode.OFF);
        } else if (a.is(2, "SKIP")) {
            if (ctx.session().replyMode() != ClientSession.ReplyMode.OFF) {
                ctx.session().replyMode(ClientSession.ReplyMode.SKIP);
            }
        } else {
            throw Errors.syntax();
        }
        return Reply.OK;
    }

    static boolean onOff(Args a, int i) {
        if (a.is(i, "ON")) {
            return true;
        }
        if (a.is(i, "OFF")) {
            return false;
        }
        throw Errors.syntax();
    }
}
