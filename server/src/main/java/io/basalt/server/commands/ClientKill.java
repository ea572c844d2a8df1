package io.basalt.server.commands;

import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.ClientSession;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** CLIENT KILL: the old {@code addr} form and the filter form (ID, ADDR, LADDR, USER, TYPE, SKIPME, MAXAGE). */
final class ClientKill {
    private ClientKill() {}

    static Reply run(CommandContext ctx) {
        Args a = ctx.args();
        ClientSession me = ctx.session();
        if (a.size() == 3) {
            String addr = a.string(2);
            for (ClientSession s : ctx.node().clients().all()) {
                if (s.remoteAddress().equals(addr)) {
                    kill(s, me);
                    return Reply.OK;
                }
            }
            throw new RedisException("ERR No such client");
        }
        Long id = null;
        String addr = null;
        String laddr = null;
        String user = null;
        String type = null;
        long maxAge = 0;
        boolean skipMe = true;
        for (int i = 2; i < a.size(); i += 2) {
            if (i + 1 >= a.size()) {
                throw Errors.syntax();
            }
            String v = a.string(i + 1);
            if (a.is(i, "ID")) {
                Long parsed = Args.parseLong(a.bytes(i + 1));
                if (parsed == null || parsed <= 0) {
                    throw new RedisException("ERR client-id should be greater than 0");
                }
                id = parsed;
            } else if (a.is(i, "ADDR")) {
                addr = v;
            } else if (a.is(i, "LADDR")) {
                laddr = v;
            } else if (a.is(i, "USER")) {
                user = v;
            } else if (a.is(i, "TYPE")) {
                type = v.toLowerCase(Locale.ROOT);
                if (!List.of("normal", "master", "replica", "slave", "pubsub").contains(type)) {
                    throw new RedisException("ERR Unknown client type '" + v + "'");
                }
            } else if (a.is(i, "SKIPME")) {
                if (v.equalsIgnoreCase("yes")) {
                    skipMe = true;
                } else if (v.equalsIgnoreCase("no")) {
                    skipMe = false;
                } else {
                    throw Errors.syntax();
                }
            } else if (a.is(i, "MAXAGE")) {
                maxAge = a.longValue(i + 1);
            } else {
                throw Errors.syntax();
            }
        }
        long now = ctx.nowMs();
        List<ClientSession> victims = new ArrayList<>();
        for (ClientSession s : ctx.node().clients().all()) {
            if ((id != null && s.id() != id) || (addr != null && !s.remoteAddress().equals(addr))
                    || (laddr != null && !s.localAddress().equals(laddr)) || (user != null && !s.user().equals(user))
                    || (type != null && !type.equals("normal")) || (skipMe && s == me)
                    || (maxAge > 0 && (now - s.createdMs()) / 1000 < maxAge)) {
                continue;
            }
            victims.add(s);
        }
        for (ClientSession s : victims) {
            kill(s, me);
        }
        return Reply.integer(victims.size());
    }

    private static void kill(ClientSession s, ClientSession me) {
        if (s == me) {
            me.closeAfterReply();
        } else {
            s.channel().close();
        }
    }
}
