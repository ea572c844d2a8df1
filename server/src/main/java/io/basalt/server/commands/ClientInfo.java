package io.basalt.server.commands;

import io.basalt.server.dispatch.ClientSession;

/** One CLIENT LIST / CLIENT INFO line, with Redis 7's fields (those without meaning here are 0). */
final class ClientInfo {
    private ClientInfo() {}

    static String line(ClientSession s, long nowMs) {
        int fd = -1;
        if (s.channel() instanceof io.netty.channel.unix.UnixChannel u) {
            fd = u.fd().intValue();
        }
        return "id=" + s.id()
                + " addr=" + s.remoteAddress()
                + " laddr=" + s.localAddress()
                + " fd=" + fd
                + " name=" + s.name()
                + " age=" + Math.max(0, (nowMs - s.createdMs()) / 1000)
                + " idle=" + Math.max(0, (nowMs - s.lastInteractionMs()) / 1000)
                + " flags=" + flags(s)
                + " db=0 sub=" + s.subscriptionCount(io.basalt.server.net.PubSub.Kind.CHANNEL)
                + " psub=" + s.subscriptionCount(io.basalt.server.net.PubSub.Kind.PATTERN)
                + " ssub=" + s.subscriptionCount(io.basalt.server.net.PubSub.Kind.SHARD)
                + " multi=" + s.queuedCount() + " qbuf=0 qbuf-free=0 argv-mem=0 multi-mem=0 rbs=0 rbp=0 obl=0 oll=0 omem=0"
                + " tot-mem=0 events=r cmd=" + s.lastCommand()
                + " user=" + s.user()
                + " redir=-1 resp=" + s.proto()
                + " lib-name=" + s.libName()
                + " lib-ver=" + s.libVer();
    }

    /** Redis's flag letters, in its order: O monitor, P subscriber, x in MULTI; N for none. */
    private static String flags(io.basalt.server.dispatch.ClientSession s) {
        StringBuilder f = new StringBuilder();
        if (s.monitor()) {
            f.append('O');
        }
        if (s.subscribed()) {
            f.append('P');
        }
        if (s.inMulti()) {
            f.append('x');
        }
        return f.isEmpty() ? "N" : f.toString();
    }
}
