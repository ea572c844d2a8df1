package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the generic key commands. */
final class KeyCommandSpecs {
    private KeyCommandSpecs() {}

    private static CommandSpec.Builder read(String name, int arity, String since, String summary) {
        return CommandSpec.builder(name, arity).flags(READONLY).acl("keyspace", "read").group("generic").since(since).summary(summary);
    }

    private static CommandSpec.Builder write(String name, int arity, String since, String summary) {
        return CommandSpec.builder(name, arity).flags(WRITE).acl("keyspace", "write").group("generic").since(since).summary(summary);
    }

    private static CommandSpec expire(String name, String since, String summary) {
        return write(name, -3, since, summary).flags(FAST).acl("fast").key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build();
    }

    private static CommandSpec ttl(String name, String since, String summary, String... tips) {
        return read(name, 2, since, summary).flags(FAST).acl("fast").key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).tips(tips).build();
    }

    private static CommandSpec object(String sub, String summary) {
        return CommandSpec.builder("object|" + sub, 3).flags(READONLY).acl("keyspace", "read", "slow").group("generic")
                .since(sub.equals("freq") ? "4.0.0" : "2.2.3").summary(summary).key(KeySpec.range(2, 0, 1, "RO"))
                .tips("nondeterministic_output").build();
    }

    static List<CommandSpec> all() {
        return List.of(
                write("del", -2, "1.0.0", "Deletes one or more keys.").tips("request_policy:multi_shard", "response_policy:agg_sum").acl("slow")
                        .complexity("O(N) where N is the number of keys that will be removed.")
                        .key(KeySpec.range(1, -1, 1, "RM", "DELETE")).build(),
                write("unlink", -2, "4.0.0", "Asynchronously deletes one or more keys.").tips("request_policy:multi_shard", "response_policy:agg_sum").flags(FAST).acl("fast")
                        .complexity("O(1) for each key removed regardless of its size.")
                        .key(KeySpec.range(1, -1, 1, "RM", "DELETE")).build(),
                read("exists", -2, "1.0.0", "Determines whether one or more keys exist.").tips("request_policy:multi_shard", "response_policy:agg_sum").flags(FAST).acl("fast")
                        .complexity("O(N) where N is the number of keys to check.").key(KeySpec.range(1, -1, 1, "RO")).build(),
                read("type", 2, "1.0.0", "Determines the type of value stored at a key.").flags(FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                write("rename", 3, "1.0.0", "Renames a key and overwrites the destination.").acl("slow")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).key(KeySpec.range(2, 0, 1, "OW", "UPDATE")).build(),
                write("renamenx", 3, "1.0.0", "Renames a key only when the target key name doesn't exist.").flags(FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).key(KeySpec.range(2, 0, 1, "OW", "INSERT")).build(),
                write("copy", -3, "6.2.0", "Copies the value of a key to a new key.").acl("slow")
                        .complexity("O(N) worst case for collections, where N is the number of nested items. O(1) for string values.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).key(KeySpec.range(2, 0, 1, "OW", "UPDATE")).build(),
                read("keys", 2, "1.0.0", "Returns all key names that match a pattern.").tips("request_policy:all_shards", "nondeterministic_output_order").acl("slow", "dangerous")
                        .complexity("O(N) with N being the number of keys in the database").build(),
                read("scan", -2, "2.8.0", "Iterates over the key names in the database.").tips("nondeterministic_output", "request_policy:special").acl("slow")
                        .complexity("O(1) for every call. O(N) for a complete iteration.").build(),
                read("randomkey", 1, "1.0.0", "Returns a random key name from the database.").tips("request_policy:all_shards", "nondeterministic_output").acl("slow").build(),
                read("touch", -2, "3.2.1", "Returns the number of existing keys out of those specified after updating the time they were last accessed.").tips("request_policy:multi_shard", "response_policy:agg_sum")
                        .flags(FAST).acl("fast").complexity("O(N) where N is the number of keys that will be touched.")
                        .key(KeySpec.range(1, -1, 1, "RO")).build(),
                expire("expire", "1.0.0", "Sets the expiration time of a key in seconds."),
                expire("pexpire", "2.6.0", "Sets the expiration time of a key in milliseconds."),
                expire("expireat", "1.2.0", "Sets the expiration time of a key to a Unix timestamp."),
                expire("pexpireat", "2.6.0", "Sets the expiration time of a key to a Unix milliseconds timestamp."),
                ttl("ttl", "1.0.0", "Returns the expiration time in seconds of a key.", "nondeterministic_output"),
                ttl("pttl", "2.6.0", "Returns the expiration time in milliseconds of a key.", "nondeterministic_output"),
                ttl("expiretime", "7.0.0", "Returns the expiration time of a key as a Unix timestamp."),
                ttl("pexpiretime", "7.0.0", "Returns the expiration time of a key as a Unix milliseconds timestamp."),
                write("persist", 2, "2.2.0", "Removes the expiration time of a key.").flags(FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("object", -2).acl("slow").group("generic").since("2.2.3")
                        .summary("A container for object introspection commands.").complexity("Depends on subcommand.")
                        .sub(object("encoding", "Returns the internal encoding of a Redis object."))
                        .sub(object("freq", "Returns the logarithmic access frequency counter of a Redis object."))
                        .sub(object("idletime", "Returns the time since the last access to a Redis object."))
                        .sub(object("refcount", "Returns the reference count of a value of a key."))
                        .sub(CommandSpec.builder("object|help", 2).flags(CommandFlag.LOADING, CommandFlag.STALE)
                                .acl("keyspace", "slow").group("generic").since("6.2.0").summary("Returns helpful text about the different subcommands.").build())
                        .build());
    }
}
