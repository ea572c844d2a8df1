package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.ADMIN;
import static io.basalt.routing.commands.CommandFlag.ALLOW_BUSY;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.LOADING;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.NO_AUTH;
import static io.basalt.routing.commands.CommandFlag.STALE;

import java.util.List;

/** Declarations of the connection commands (and MONITOR). */
final class ConnectionCommandSpecs {
    private ConnectionCommandSpecs() {}

    private static CommandSpec.Builder conn(String name, int arity, String since, String summary) {
        return CommandSpec.builder(name, arity).acl("connection").group("connection").since(since).summary(summary);
    }

    private static CommandSpec client(String sub, int arity, String since, String summary, CommandFlag... flags) {
        return conn("client|" + sub, arity, since, summary).flags(NOSCRIPT, LOADING, STALE).flags(flags).acl("slow").build();
    }

    static List<CommandSpec> all() {
        return List.of(
                conn("ping", -1, "1.0.0", "Returns the server's liveliness response.").tips("request_policy:all_shards", "response_policy:all_succeeded").flags(FAST).acl("fast").build(),
                conn("echo", 2, "1.0.0", "Returns the given string.").flags(FAST).acl("fast").build(),
                conn("quit", -1, "1.0.0", "Closes the connection.")
                        .flags(ALLOW_BUSY, NOSCRIPT, LOADING, STALE, FAST, NO_AUTH).acl("fast").build(),
                conn("reset", 1, "6.2.0", "Resets the connection.")
                        .flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl("fast").build(),
                conn("select", 2, "1.0.0", "Changes the selected database.").flags(LOADING, STALE, FAST).acl("fast").build(),
                conn("auth", -2, "1.0.0", "Authenticates the connection.")
                        .flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl("fast")
                        .complexity("O(N) where N is the number of passwords defined for the user").build(),
                conn("hello", -1, "6.0.0", "Handshakes with the Redis server.")
                        .flags(NOSCRIPT, LOADING, STALE, FAST, NO_AUTH, ALLOW_BUSY).acl("fast").build(),
                CommandSpec.builder("monitor", 1).flags(ADMIN, NOSCRIPT, LOADING, STALE).acl("admin", "slow", "dangerous")
                        .group("server").since("1.0.0").summary("Listens for all requests received by the server in real-time.").build(),
                conn("client", -2, "2.4.0", "A container for client connection commands.").acl("slow").complexity("Depends on subcommand.")
                        .sub(client("id", 2, "5.0.0", "Returns the unique client ID of the connection."))
                        .sub(client("setname", 3, "2.6.9", "Sets the connection name."))
                        .sub(client("getname", 2, "2.6.9", "Returns the name of the connection."))
                        .sub(conn("client|list", -2, "2.4.0", "Lists open connections.").flags(ADMIN, NOSCRIPT, LOADING, STALE)
                                .tips("nondeterministic_output")
                                .acl("admin", "slow", "dangerous").complexity("O(N) where N is the number of client connections").build())
                        .sub(conn("client|info", 2, "6.2.0", "Returns information about the connection.")
                                .flags(NOSCRIPT, LOADING, STALE).acl("slow").tips("nondeterministic_output").build())
                        .sub(conn("client|kill", -3, "2.4.0", "Terminates open connections.").flags(ADMIN, NOSCRIPT, LOADING, STALE)
                                .acl("admin", "slow", "dangerous").complexity("O(N) where N is the number of client connections").build())
                        .sub(client("setinfo", 4, "7.2.0", "Sets information specific to the client or connection."))
                        .sub(client("reply", 3, "3.2.0", "Instructs the server whether to reply to commands."))
                        .sub(client("no-evict", 3, "7.0.0", "Sets the client eviction mode of the connection.", ADMIN))
                        .sub(client("no-touch", 3, "7.2.0", "Controls whether commands sent by the client affect the LRU/LFU of accessed keys."))
                        .sub(client("help", 2, "5.0.0", "Returns helpful text about the different subcommands."))
                        .build());
    }
}
