package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.LOADING;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.PUBSUB;
import static io.basalt.routing.commands.CommandFlag.STALE;

import java.util.List;

/** publish/subscribe (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class PubSubCommandSpecs {
    private PubSubCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("subscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).acl("pubsub", "slow")
                        .group("pubsub").since("2.0.0")
                        .summary("Listen for messages published to the given channels")
                        .complexity("O(N) where N is the number of channels to subscribe to.").build(),
                CommandSpec.builder("unsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).acl("pubsub", "slow")
                        .group("pubsub").since("2.0.0")
                        .summary("Stop listening for messages posted to the given channels")
                        .complexity("O(N) where N is the number of clients already subscribed to a channel.").build(),
                CommandSpec.builder("psubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).acl("pubsub", "slow")
                        .group("pubsub").since("2.0.0")
                        .summary("Listen for messages published to channels matching the given patterns")
                        .complexity("O(N) where N is the number of patterns the client is already subscribed to.").build(),
                CommandSpec.builder("punsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).acl("pubsub", "slow")
                        .group("pubsub").since("2.0.0")
                        .summary("Stop listening for messages posted to channels matching the given patterns")
                        .complexity("O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).").build(),
                CommandSpec.builder("publish", 3).flags(PUBSUB, LOADING, STALE, FAST).acl("pubsub", "fast")
                        .group("pubsub").since("2.0.0")
                        .summary("Post a message to a channel")
                        .complexity("O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).").build(),
                CommandSpec.builder("pubsub", -2).acl("slow")
                        .group("pubsub").since("2.8.0")
                        .summary("A container for Pub/Sub commands")
                        .complexity("Depends on subcommand.")
                        .sub(sub("pubsub|channels", -2, "List active channels"))
                        .sub(sub("pubsub|numpat", 2, "Get the count of unique patterns pattern subscriptions"))
                        .sub(sub("pubsub|numsub", -2, "Get the count of subscribers for channels"))
                        .sub(sub("pubsub|shardchannels", -2, "List active shard channels"))
                        .sub(sub("pubsub|shardnumsub", -2, "Get the count of subscribers for shard channels"))
                        .sub(CommandSpec.builder("pubsub|help", 2).flags(LOADING, STALE).acl("slow").group("pubsub")
                                .since("6.2.0").summary("Show helpful text about the different subcommands").build())
                        .build(),
                CommandSpec.builder("ssubscribe", -2).flags(PUBSUB, NOSCRIPT, LOADING, STALE).acl("pubsub", "slow")
                        .group("pubsub").since("7.0.0")
                        .summary("Listen for messages published to the given shard channels")
                        .complexity("O(N) where N is the number of shard channels to subscribe to.")
                        .key(KeySpec.range(1, -1, 1, "NOT_KEY")).build(),
                CommandSpec.builder("sunsubscribe", -1).flags(PUBSUB, NOSCRIPT, LOADING, STALE).acl("pubsub", "slow")
                        .group("pubsub").since("7.0.0")
                        .summary("Stop listening for messages posted to the given shard channels")
                        .complexity("O(N) where N is the number of clients already subscribed to a shard channel.")
                        .key(KeySpec.range(1, -1, 1, "NOT_KEY")).build(),
                CommandSpec.builder("spublish", 3).flags(PUBSUB, LOADING, STALE, FAST).acl("pubsub", "fast")
                        .group("pubsub").since("7.0.0")
                        .summary("Post a message to a shard channel")
                        .complexity("O(N) where N is the number of clients subscribed to the receiving shard channel.")
                        .key(KeySpec.range(1, 0, 1, "NOT_KEY")).build());
    }

    private static CommandSpec sub(String name, int arity, String summary) {
        return CommandSpec.builder(name, arity).flags(PUBSUB, LOADING, STALE).acl("pubsub", "slow").group("pubsub")
                .since("2.8.0").summary(summary).build();
    }
}
