package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the set commands (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class SetCommandSpecs {
    private SetCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("sadd", -3).flags(WRITE, DENYOOM, FAST).acl("write", "set", "fast")
                        .group("set").since("1.0.0")
                        .summary("Add one or more members to a set")
                        .complexity("O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("srem", -3).flags(WRITE, FAST).acl("write", "set", "fast")
                        .group("set").since("1.0.0")
                        .summary("Remove one or more members from a set")
                        .complexity("O(N) where N is the number of members to be removed.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("scard", 2).flags(READONLY, FAST).acl("read", "set", "fast")
                        .group("set").since("1.0.0")
                        .summary("Get the number of members in a set")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("sismember", 3).flags(READONLY, FAST).acl("read", "set", "fast")
                        .group("set").since("1.0.0")
                        .summary("Determine if a given value is a member of a set")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("smismember", -3).flags(READONLY, FAST).acl("read", "set", "fast")
                        .group("set").since("6.2.0")
                        .summary("Returns the membership associated with the given elements for a set")
                        .complexity("O(N) where N is the number of elements being checked for membership")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("smembers", 2).flags(READONLY).acl("read", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Get all the members in a set")
                        .complexity("O(N) where N is the set cardinality.").tips("nondeterministic_output_order")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("spop", -2).flags(WRITE, FAST).acl("write", "set", "fast")
                        .group("set").since("1.0.0")
                        .summary("Remove and return one or multiple random members from a set")
                        .complexity("Without the count argument O(1), otherwise O(N) where N is the value of the passed count.").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE")).build(),
                CommandSpec.builder("srandmember", -2).flags(READONLY).acl("read", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Get one or multiple random members from a set")
                        .complexity("Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("smove", 4).flags(WRITE, FAST).acl("write", "set", "fast")
                        .group("set").since("1.0.0")
                        .summary("Move a member from one set to another")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "DELETE"))
                        .key(KeySpec.range(2, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("sinter", -2).flags(READONLY).acl("read", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Intersect multiple sets")
                        .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.").tips("nondeterministic_output_order")
                        .key(KeySpec.range(1, -1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("sintercard", -3).flags(READONLY).acl("read", "set", "slow")
                        .group("set").since("7.0.0")
                        .summary("Intersect multiple sets and return the cardinality of the result")
                        .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                        .key(KeySpec.keyNum(1, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("sinterstore", -3).flags(WRITE, DENYOOM).acl("write", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Intersect multiple sets and store the resulting set in a key")
                        .complexity("O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE"))
                        .key(KeySpec.range(2, -1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("sunion", -2).flags(READONLY).acl("read", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Add multiple sets")
                        .complexity("O(N) where N is the total number of elements in all given sets.").tips("nondeterministic_output_order")
                        .key(KeySpec.range(1, -1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("sunionstore", -3).flags(WRITE, DENYOOM).acl("write", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Add multiple sets and store the resulting set in a key")
                        .complexity("O(N) where N is the total number of elements in all given sets.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.range(2, -1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("sdiff", -2).flags(READONLY).acl("read", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Subtract multiple sets")
                        .complexity("O(N) where N is the total number of elements in all given sets.").tips("nondeterministic_output_order")
                        .key(KeySpec.range(1, -1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("sdiffstore", -3).flags(WRITE, DENYOOM).acl("write", "set", "slow")
                        .group("set").since("1.0.0")
                        .summary("Subtract multiple sets and store the resulting set in a key")
                        .complexity("O(N) where N is the total number of elements in all given sets.")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE"))
                        .key(KeySpec.range(2, -1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("sscan", -3).flags(READONLY).acl("read", "set", "slow")
                        .group("set").since("2.8.0")
                        .summary("Incrementally iterate Set elements")
                        .complexity("O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build());
    }
}
