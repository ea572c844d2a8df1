package io.basalt.server.commands;

import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.net.PubSub;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;

/**
 * SUBSCRIBE/PSUBSCRIBE/SSUBSCRIBE, their UNSUBSCRIBEs, PUBLISH/SPUBLISH and PUBSUB, on this node's
 * {@link PubSub}. Confirmations and messages are push replies: arrays in RESP2, {@code >} in RESP3.
 */
public final class PubSubCommands {
    private PubSubCommands() {}

    public static void register(CommandRegistry r) {
        r.read("subscribe", ctx -> subscribe(ctx, PubSub.Kind.CHANNEL));
        r.read("psubscribe", ctx -> subscribe(ctx, PubSub.Kind.PATTERN));
        r.read("ssubscribe", ctx -> subscribe(ctx, PubSub.Kind.SHARD));
        r.read("unsubscribe", ctx -> unsubscribe(ctx, PubSub.Kind.CHANNEL));
        r.read("punsubscribe", ctx -> unsubscribe(ctx, PubSub.Kind.PATTERN));
        r.read("sunsubscribe", ctx -> unsubscribe(ctx, PubSub.Kind.SHARD));
        // as Redis Cluster: the message reaches subscribers on every server; the count is this server's
        r.read("publish", ctx -> {
            int n = ctx.node().pubsub().publish(ctx.args().bytes(1), ctx.args().bytes(2));
            ctx.node().clusterBus().publish(ctx.args().bytes(1), ctx.args().bytes(2));
            return Reply.integer(n);
        });
        r.read("basalt|deliver", ctx -> Reply.integer(ctx.node().pubsub().publish(ctx.args().bytes(2), ctx.args().bytes(3))));
        r.read("spublish", ctx -> Reply.integer(ctx.node().pubsub().spublish(ctx.args().bytes(1), ctx.args().bytes(2))));
        r.read("pubsub|channels", ctx -> channels(ctx, PubSub.Kind.CHANNEL));
        r.read("pubsub|shardchannels", ctx -> channels(ctx, PubSub.Kind.SHARD));
        r.read("pubsub|numsub", ctx -> numsub(ctx, PubSub.Kind.CHANNEL));
        r.read("pubsub|shardnumsub", ctx -> numsub(ctx, PubSub.Kind.SHARD));
        r.read("pubsub|numpat", ctx -> Reply.integer(ctx.node().pubsub().patterns()));
        r.read("pubsub|help", ctx -> KeyCommands.help("PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:",
                "CHANNELS [<pattern>]",
                "    Return the currently active channels matching a <pattern> (default: '*').",
                "NUMPAT",
                "    Return number of subscriptions to patterns.",
                "NUMSUB [<channel> ...]",
                "    Return the number of subscribers for the specified channels, excluding",
                "    pattern subscriptions(default: no channels).",
                "SHARDCHANNELS [<pattern>]",
                "    Return the currently active shard level channels matching a <pattern> (default: '*').",
                "SHARDNUMSUB [<shardchannel> ...]",
                "    Return the number of subscribers for the specified shard level channel(s)",
                "HELP",
                "    Prints this help."));
    }

    private static Reply subscribe(CommandContext ctx, PubSub.Kind kind) {
        if (ctx.session().channel() == null) {
            return Reply.EMPTY_ARRAY; // a replica applying someone's EXEC: no client here to subscribe
        }
        List<Reply> out = new ArrayList<>();
        for (int i = 1; i < ctx.args().size(); i++) {
            out.add(ctx.node().pubsub().subscribe(ctx.session(), kind, ctx.args().bytes(i)));
        }
        return new Reply.Many(out);
    }

    private static Reply unsubscribe(CommandContext ctx, PubSub.Kind kind) {
        PubSub ps = ctx.node().pubsub();
        if (ctx.args().size() == 1) {
            return new Reply.Many(ps.unsubscribeAll(ctx.session(), kind));
        }
        List<Reply> out = new ArrayList<>();
        for (int i = 1; i < ctx.args().size(); i++) {
            out.add(ps.unsubscribe(ctx.session(), kind, ctx.args().bytes(i)));
        }
        return new Reply.Many(out);
    }

    private static Reply channels(CommandContext ctx, PubSub.Kind kind) {
        Args a = ctx.args();
        if (a.size() > 3) {
            throw new RedisException("ERR unknown subcommand or wrong number of arguments for '" + a.string(1)
                    + "'. Try PUBSUB HELP.");
        }
        return Reply.array(ctx.node().pubsub().active(kind, a.size() == 3 ? a.bytes(2) : null));
    }

    private static Reply numsub(CommandContext ctx, PubSub.Kind kind) {
        List<Reply> out = new ArrayList<>();
        for (int i = 2; i < ctx.args().size(); i++) {
            out.add(Reply.bulk(ctx.args().bytes(i)));
            out.add(Reply.integer(ctx.node().pubsub().subscribers(kind, ctx.args().bytes(i))));
        }
        return Reply.array(out);
    }
}
