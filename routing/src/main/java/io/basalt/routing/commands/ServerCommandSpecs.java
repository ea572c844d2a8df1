package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.ADMIN;
import static io.basalt.routing.commands.CommandFlag.ALLOW_BUSY;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.LOADING;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.NO_MULTI;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.STALE;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the server commands. */
final class ServerCommandSpecs {
    private ServerCommandSpecs() {}

    private static CommandSpec.Builder server(String name, int arity, String since, String summary) {
        return CommandSpec.builder(name, arity).group("server").since(since).summary(summary);
    }

    private static CommandSpec sub(String name, int arity, String since, String summary, String[] acl, CommandFlag... flags) {
        return server(name, arity, since, summary).flags(flags).acl(acl).tips(TIPS.getOrDefault(name, new String[0])).build();
    }

    private static final java.util.Map<String, String[]> TIPS = java.util.Map.of(
            "config|set", new String[] {"request_policy:all_nodes", "response_policy:all_succeeded"},
            "slowlog|len", new String[] {"request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"},
            "slowlog|get", new String[] {"request_policy:all_nodes", "nondeterministic_output"},
            "slowlog|reset", new String[] {"request_policy:all_nodes", "response_policy:all_succeeded"},
            "command|docs", new String[] {"nondeterministic_output_order"},
            "command|info", new String[] {"nondeterministic_output_order"},
            "command|list", new String[] {"nondeterministic_output_order"});

    private static final String[] ADMIN_ACL = {"admin", "slow", "dangerous"};
    private static final String[] CONN_ACL = {"slow", "connection"};

    static List<CommandSpec> all() {
        return List.of(
                server("flushall", -1, "1.0.0", "Removes all keys from all databases.").tips("request_policy:all_shards", "response_policy:all_succeeded").flags(WRITE)
                        .acl("keyspace", "write", "slow", "dangerous").complexity("O(N) where N is the total number of keys in all databases").build(),
                server("flushdb", -1, "1.0.0", "Remove all keys from the current database.").tips("request_policy:all_shards", "response_policy:all_succeeded").flags(WRITE)
                        .acl("keyspace", "write", "slow", "dangerous").complexity("O(N) where N is the number of keys in the selected database").build(),
                server("dbsize", 1, "1.0.0", "Returns the number of keys in the database.").tips("request_policy:all_shards", "response_policy:agg_sum").flags(READONLY, FAST)
                        .acl("keyspace", "read", "fast").build(),
                server("time", 1, "2.6.0", "Returns the server time.").tips("nondeterministic_output").flags(LOADING, STALE, FAST).acl("fast").build(),
                server("info", -1, "1.0.0", "Returns information and statistics about the server.").tips("nondeterministic_output", "request_policy:all_shards", "response_policy:special").flags(LOADING, STALE)
                        .acl("slow", "dangerous").build(),
                server("shutdown", -1, "1.0.0", "Synchronously saves the database(s) to disk and shuts down the Redis server.")
                        .flags(ADMIN, NOSCRIPT, LOADING, STALE, NO_MULTI, ALLOW_BUSY).acl(ADMIN_ACL)
                        .complexity("O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)").build(),
                server("lastsave", 1, "1.0.0", "Returns the Unix timestamp of the last successful save to disk.").tips("nondeterministic_output")
                        .flags(LOADING, STALE, FAST).acl("admin", "fast", "dangerous").build(),
                server("config", -2, "2.0.0", "A container for server configuration commands.").acl("slow").complexity("Depends on subcommand.")
                        .sub(sub("config|get", -3, "2.0.0", "Returns the effective values of configuration parameters.", ADMIN_ACL,
                                ADMIN, NOSCRIPT, LOADING, STALE))
                        .sub(sub("config|set", -4, "2.0.0", "Sets configuration parameters in-flight.", ADMIN_ACL,
                                ADMIN, NOSCRIPT, LOADING, STALE))
                        .sub(sub("config|resetstat", 2, "2.0.0", "Resets the server's statistics.", ADMIN_ACL,
                                ADMIN, NOSCRIPT, LOADING, STALE))
                        .sub(sub("config|rewrite", 2, "2.8.0", "Persists the effective configuration to file.", ADMIN_ACL,
                                ADMIN, NOSCRIPT, LOADING, STALE))
                        .sub(sub("config|help", 2, "5.0.0", "Returns helpful text about the different subcommands.",
                                new String[] {"slow"}, LOADING, STALE))
                        .build(),
                server("slowlog", -2, "2.2.12", "A container for slow log commands.").acl("slow").complexity("Depends on subcommand.")
                        .sub(sub("slowlog|get", -2, "2.2.12", "Returns the slow log's entries.", ADMIN_ACL, ADMIN, LOADING, STALE))
                        .sub(sub("slowlog|len", 2, "2.2.12", "Returns the number of entries in the slow log.", ADMIN_ACL, ADMIN, LOADING, STALE))
                        .sub(sub("slowlog|reset", 2, "2.2.12", "Clears all entries from the slow log.", ADMIN_ACL, ADMIN, LOADING, STALE))
                        .sub(sub("slowlog|help", 2, "6.2.0", "Show helpful text about the different subcommands", new String[] {"slow"}, LOADING, STALE))
                        .build(),
                server("command", -1, "2.8.13", "Returns detailed information about all commands.").tips("nondeterministic_output_order").flags(LOADING, STALE)
                        .acl(CONN_ACL).complexity("O(N) where N is the total number of Redis commands")
                        .sub(sub("command|count", 2, "2.8.13", "Returns a count of commands.", CONN_ACL, LOADING, STALE))
                        .sub(sub("command|info", -2, "2.8.13", "Returns information about one, multiple or all commands.", CONN_ACL, LOADING, STALE))
                        .sub(sub("command|docs", -2, "7.0.0", "Returns documentary information about one, multiple or all commands.", CONN_ACL, LOADING, STALE))
                        .sub(sub("command|getkeys", -4, "2.8.13", "Extracts the key names from an arbitrary command.", CONN_ACL, LOADING, STALE))
                        .sub(sub("command|getkeysandflags", -4, "7.0.0", "Extracts the key names and access flags for an arbitrary command.", CONN_ACL, LOADING, STALE))
                        .sub(sub("command|list", -2, "7.0.0", "Returns a list of command names.", CONN_ACL, LOADING, STALE))
                        .sub(sub("command|help", 2, "5.0.0", "Returns helpful text about the different subcommands.", CONN_ACL, LOADING, STALE))
                        .build());
    }
}
