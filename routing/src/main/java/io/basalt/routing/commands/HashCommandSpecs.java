package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the hash commands (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class HashCommandSpecs {
    private HashCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("hset", -4).flags(WRITE, DENYOOM, FAST).acl("write", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Set the string value of a hash field")
                        .complexity("O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("hsetnx", 4).flags(WRITE, DENYOOM, FAST).acl("write", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Set the value of a hash field, only if the field does not exist")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("hget", 3).flags(READONLY, FAST).acl("read", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Get the value of a hash field")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("hmget", -3).flags(READONLY, FAST).acl("read", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Get the values of all the given hash fields")
                        .complexity("O(N) where N is the number of fields being requested.")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("hmset", -4).flags(WRITE, DENYOOM, FAST).acl("write", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Set multiple hash fields to multiple values")
                        .complexity("O(N) where N is the number of fields being set.")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("hdel", -3).flags(WRITE, FAST).acl("write", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Delete one or more hash fields")
                        .complexity("O(N) where N is the number of fields to be removed.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("hlen", 2).flags(READONLY, FAST).acl("read", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Get the number of fields in a hash")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("hstrlen", 3).flags(READONLY, FAST).acl("read", "hash", "fast")
                        .group("hash").since("3.2.0")
                        .summary("Get the length of the value of a hash field")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("hexists", 3).flags(READONLY, FAST).acl("read", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Determine if a hash field exists")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("hkeys", 2).flags(READONLY).acl("read", "hash", "slow")
                        .group("hash").since("2.0.0")
                        .summary("Get all the fields in a hash")
                        .complexity("O(N) where N is the size of the hash.").tips("nondeterministic_output_order")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("hvals", 2).flags(READONLY).acl("read", "hash", "slow")
                        .group("hash").since("2.0.0")
                        .summary("Get all the values in a hash")
                        .complexity("O(N) where N is the size of the hash.").tips("nondeterministic_output_order")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("hgetall", 2).flags(READONLY).acl("read", "hash", "slow")
                        .group("hash").since("2.0.0")
                        .summary("Get all the fields and values in a hash")
                        .complexity("O(N) where N is the size of the hash.").tips("nondeterministic_output_order")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("hincrby", 4).flags(WRITE, DENYOOM, FAST).acl("write", "hash", "fast")
                        .group("hash").since("2.0.0")
                        .summary("Increment the integer value of a hash field by the given number")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                CommandSpec.builder("hincrbyfloat", 4).flags(WRITE, DENYOOM, FAST).acl("write", "hash", "fast")
                        .group("hash").since("2.6.0")
                        .summary("Increment the float value of a hash field by the given amount")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                CommandSpec.builder("hrandfield", -2).flags(READONLY).acl("read", "hash", "slow")
                        .group("hash").since("6.2.0")
                        .summary("Get one or multiple random fields from a hash")
                        .complexity("O(N) where N is the number of fields returned").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("hscan", -3).flags(READONLY).acl("read", "hash", "slow")
                        .group("hash").since("2.8.0")
                        .summary("Incrementally iterate hash fields and associated values")
                        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build());
    }
}
