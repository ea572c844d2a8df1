package io.basalt.server.commands;

import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.StreamId;
import io.basalt.server.storage.types.StreamValue;
import io.basalt.server.storage.types.StreamValue.Consumer;
import io.basalt.server.storage.types.StreamValue.Group;
import io.basalt.server.storage.types.StreamValue.Node;
import io.basalt.server.storage.types.StreamValue.Pending;
import io.basalt.server.storage.types.StreamValue.StreamEntry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

/** XINFO STREAM / GROUPS / CONSUMERS, shaped as Redis 7.0 replies them. */
final class StreamInfo {
    private StreamInfo() {}

    private static StreamValue existing(CommandContext ctx) {
        StreamValue s = StreamValue.of(ctx.keyspace(), ctx.args().bytes(2));
        if (!s.exists()) {
            throw new RedisException(Errors.NO_SUCH_KEY);
        }
        return s;
    }

    private static RedisException syntax(Args a) {
        return new RedisException("ERR unknown subcommand or wrong number of arguments for '" + a.string(1) + "'. Try XINFO HELP.");
    }

    static Reply stream(CommandContext ctx) {
        Args a = ctx.args();
        StreamValue s = existing(ctx);
        int optc = a.size() - 3;
        boolean full = optc > 0;
        long count = 10;
        if (full) {
            if ((optc != 1 && optc != 3) || !a.is(3, "FULL")) {
                throw syntax(a);
            }
            if (optc == 3) {
                if (!a.is(4, "COUNT")) {
                    throw syntax(a);
                }
                count = a.longValue(5);
                if (count < 0) {
                    count = 10;
                }
            }
        }
        List<Node> nodes = s.nodes();
        List<Reply> m = new ArrayList<>();
        field(m, "length", Reply.integer(s.length()));
        field(m, "radix-tree-keys", Reply.integer(nodes.size()));
        field(m, "radix-tree-nodes", Reply.integer(raxNodes(nodes)));
        field(m, "last-generated-id", StreamCommands.idReply(s.lastId()));
        field(m, "max-deleted-entry-id", StreamCommands.idReply(s.maxDeletedId()));
        field(m, "entries-added", Reply.integer(s.entriesAdded()));
        field(m, "recorded-first-entry-id", StreamCommands.idReply(s.firstId()));
        if (!full) {
            field(m, "groups", Reply.integer(s.groupCount()));
            StreamEntry first = s.first();
            StreamEntry last = s.last();
            field(m, "first-entry", first == null ? Reply.NULL : StreamCommands.entryReply(first));
            field(m, "last-entry", last == null ? Reply.NULL : StreamCommands.entryReply(last));
            return new Reply.MapReply(m);
        }
        field(m, "entries", StreamCommands.entriesReply(s.range(StreamId.MIN, StreamId.MAX, false, count)));
        List<Reply> groups = new ArrayList<>();
        for (Group g : s.groups()) {
            List<Reply> gm = new ArrayList<>();
            field(gm, "name", Reply.bulk(g.name()));
            field(gm, "last-delivered-id", StreamCommands.idReply(g.lastId()));
            field(gm, "entries-read", g.entriesRead() == StreamValue.INVALID_READ ? Reply.NULL : Reply.integer(g.entriesRead()));
            Long lag = s.lag(g);
            field(gm, "lag", lag == null ? Reply.NULL : Reply.integer(lag));
            field(gm, "pel-count", Reply.integer(g.pelCount()));
            List<Reply> pel = new ArrayList<>();
            long limit = count;
            s.groupPending(g.name(), StreamId.MIN, StreamId.MAX, p -> {
                pel.add(Reply.array(StreamCommands.idReply(p.id()), Reply.bulk(p.consumer()), Reply.integer(p.deliveryTime()),
                        Reply.integer(p.deliveryCount())));
                return limit == 0 || pel.size() < limit;
            });
            field(gm, "pending", Reply.array(pel));
            List<Reply> consumers = new ArrayList<>();
            for (Consumer c : s.consumers(g.name())) {
                List<Reply> cm = new ArrayList<>();
                field(cm, "name", Reply.bulk(c.name()));
                field(cm, "seen-time", Reply.integer(c.seenTime()));
                field(cm, "pel-count", Reply.integer(c.pelCount()));
                List<Reply> cpel = new ArrayList<>();
                s.consumerPending(g.name(), c.name(), StreamId.MIN, StreamId.MAX, id -> {
                    Pending p = s.pending(g.name(), id);
                    cpel.add(Reply.array(StreamCommands.idReply(id), Reply.integer(p.deliveryTime()), Reply.integer(p.deliveryCount())));
                    return limit == 0 || cpel.size() < limit;
                });
                field(cm, "pending", Reply.array(cpel));
                consumers.add(new Reply.MapReply(cm));
            }
            field(gm, "consumers", Reply.array(consumers));
            groups.add(new Reply.MapReply(gm));
        }
        field(m, "groups", Reply.array(groups));
        return new Reply.MapReply(m);
    }

    static Reply groups(CommandContext ctx) {
        StreamValue s = existing(ctx);
        List<Reply> out = new ArrayList<>();
        for (Group g : s.groups()) {
            List<Reply> gm = new ArrayList<>();
            field(gm, "name", Reply.bulk(g.name()));
            field(gm, "consumers", Reply.integer(g.consumers()));
            field(gm, "pending", Reply.integer(g.pelCount()));
            field(gm, "last-delivered-id", StreamCommands.idReply(g.lastId()));
            field(gm, "entries-read", g.entriesRead() == StreamValue.INVALID_READ ? Reply.NULL : Reply.integer(g.entriesRead()));
            Long lag = s.lag(g);
            field(gm, "lag", lag == null ? Reply.NULL : Reply.integer(lag));
            out.add(new Reply.MapReply(gm));
        }
        return Reply.array(out);
    }

    static Reply consumers(CommandContext ctx) {
        Args a = ctx.args();
        StreamValue s = existing(ctx);
        byte[] group = a.bytes(3);
        if (s.group(group) == null) {
            throw new RedisException("NOGROUP No such consumer group '" + StreamCommands.str(group) + "' for key name '"
                    + StreamCommands.str(a.bytes(2)) + "'");
        }
        long now = ctx.nowMs();
        List<Reply> out = new ArrayList<>();
        for (Consumer c : s.consumers(group)) {
            List<Reply> cm = new ArrayList<>();
            field(cm, "name", Reply.bulk(c.name()));
            field(cm, "pending", Reply.integer(c.pelCount()));
            field(cm, "idle", Reply.integer(Math.max(0, now - c.seenTime())));
            out.add(new Reply.MapReply(cm));
        }
        return Reply.array(out);
    }

    private static void field(List<Reply> m, String name, Reply v) {
        m.add(Reply.bulk(name));
        m.add(v);
    }

    /**
     * How many nodes Redis's radix tree has for these 16-byte node keys: the root, every key, every
     * branching prefix and every child of a branching prefix (chains compress into one node).
     */
    static long raxNodes(List<Node> nodes) {
        HashSet<String> set = new HashSet<>();
        set.add("");
        byte[] prev = null;
        for (Node n : nodes) {
            byte[] k = n.master().encode();
            set.add(hex(k, 16));
            if (prev != null) {
                int d = 0;
                while (d < 16 && prev[d] == k[d]) {
                    d++;
                }
                set.add(hex(prev, d));
                set.add(hex(prev, d + 1));
                set.add(hex(k, d + 1));
            }
            prev = k;
        }
        return set.size();
    }

    private static String hex(byte[] b, int len) {
        StringBuilder sb = new StringBuilder(len * 2);
        for (int i = 0; i < len; i++) {
            sb.append(String.format("%02x", b[i] & 0xFF));
        }
        return sb.toString();
    }
}
