package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the string commands (arity, flags, key specs as Redis 7 reports them). */
final class StringCommandSpecs {
    private StringCommandSpecs() {}

    private static CommandSpec.Builder read(String name, int arity, String since, String summary) {
        return CommandSpec.builder(name, arity).flags(READONLY).acl("read", "string").group("string").since(since).summary(summary);
    }

    private static CommandSpec.Builder write(String name, int arity, String since, String summary) {
        return CommandSpec.builder(name, arity).flags(WRITE).acl("write", "string").group("string").since(since).summary(summary);
    }

    static List<CommandSpec> all() {
        return List.of(
                read("get", 2, "1.0.0", "Returns the string value of a key.").flags(FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                write("set", -3, "1.0.0", "Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
                        .flags(DENYOOM).acl("slow").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS")).build(),
                write("setnx", 3, "1.0.0", "Set the string value of a key only when the key doesn't exist.").flags(DENYOOM, FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "OW", "INSERT")).build(),
                write("setex", 4, "2.0.0", "Sets the string value and expiration time of a key. Creates the key if it doesn't exist.")
                        .flags(DENYOOM).acl("slow").key(KeySpec.range(1, 0, 1, "OW", "UPDATE")).build(),
                write("psetex", 4, "2.6.0", "Sets both string value and expiration time in milliseconds of a key. The key is created if it doesn't exist.")
                        .flags(DENYOOM).acl("slow").key(KeySpec.range(1, 0, 1, "OW", "UPDATE")).build(),
                write("getex", -2, "6.2.0", "Returns the string value of a key after setting its expiration time.").flags(FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                write("getdel", 2, "6.2.0", "Returns the string value of a key after deleting the key.").flags(FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).build(),
                write("getset", 3, "1.0.0", "Returns the previous string value of a key after setting it to a new value.").flags(DENYOOM, FAST)
                        .acl("fast").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                write("mset", -3, "1.0.1", "Atomically creates or modifies the string values of one or more keys.").tips("request_policy:multi_shard", "response_policy:all_succeeded").flags(DENYOOM)
                        .acl("slow").complexity("O(N) where N is the number of keys to set.").key(KeySpec.range(1, -1, 2, "OW", "UPDATE")).build(),
                write("msetnx", -3, "1.0.1", "Atomically modifies the string values of one or more keys only when all keys don't exist.").tips("request_policy:multi_shard", "response_policy:agg_min")
                        .flags(DENYOOM).acl("slow").complexity("O(N) where N is the number of keys to set.")
                        .key(KeySpec.range(1, -1, 2, "OW", "INSERT")).build(),
                read("mget", -2, "1.0.0", "Atomically returns the string values of one or more keys.").tips("request_policy:multi_shard").flags(FAST).acl("fast")
                        .complexity("O(N) where N is the number of keys to retrieve.").key(KeySpec.range(1, -1, 1, "RO", "ACCESS")).build(),
                write("append", 3, "2.0.0", "Appends a string to the value of a key. Creates the key if it doesn't exist.").flags(DENYOOM, FAST)
                        .acl("fast").key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                read("strlen", 2, "2.2.0", "Returns the length of a string value.").flags(FAST).acl("fast")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                read("getrange", 4, "2.4.0", "Returns a substring of the string stored at a key.").acl("slow")
                        .complexity("O(N) where N is the length of the returned string.").key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                read("substr", 4, "1.0.0", "Returns a substring from a string value.").acl("slow")
                        .complexity("O(N) where N is the length of the returned string.").key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                write("setrange", 4, "2.2.0", "Overwrites a part of a string value with another by an offset. Creates the key if it doesn't exist.")
                        .flags(DENYOOM).acl("slow").key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                write("incr", 2, "1.0.0", "Increments the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
                        .flags(DENYOOM, FAST).acl("fast").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                write("decr", 2, "1.0.0", "Decrements the integer value of a key by one. Uses 0 as initial value if the key doesn't exist.")
                        .flags(DENYOOM, FAST).acl("fast").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                write("incrby", 3, "1.0.0", "Increments the integer value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
                        .flags(DENYOOM, FAST).acl("fast").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                write("decrby", 3, "1.0.0", "Decrements a number from the integer value of a key. Uses 0 as initial value if the key doesn't exist.")
                        .flags(DENYOOM, FAST).acl("fast").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                write("incrbyfloat", 3, "2.6.0", "Increment the floating point value of a key by a number. Uses 0 as initial value if the key doesn't exist.")
                        .flags(DENYOOM, FAST).acl("fast").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                read("lcs", -3, "7.0.0", "Finds the longest common substring.").acl("slow")
                        .complexity("O(N*M) where N and M are the lengths of s1 and s2, respectively")
                        .key(KeySpec.range(1, 1, 1, "RO", "ACCESS")).build());
    }
}
