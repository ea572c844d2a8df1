package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the HyperLogLog commands (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class HllCommandSpecs {
    private HllCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("pfadd", -2).flags(WRITE, DENYOOM, FAST).acl("write", "hyperloglog", "fast")
                        .group("hyperloglog").since("2.8.9")
                        .summary("Adds the specified elements to the specified HyperLogLog.")
                        .complexity("O(1) to add every element.")
                        .key(KeySpec.range(1, 0, 1, "RW", "INSERT")).build(),
                CommandSpec.builder("pfcount", -2).flags(READONLY).acl("read", "hyperloglog", "slow")
                        .group("hyperloglog").since("2.8.9")
                        .summary("Return the approximated cardinality of the set(s) observed by the HyperLogLog at key(s).")
                        .complexity("O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.")
                        .key(KeySpec.range(1, -1, 1, "RW", "ACCESS")).build(),
                CommandSpec.builder("pfmerge", -2).flags(WRITE, DENYOOM).acl("write", "hyperloglog", "slow")
                        .group("hyperloglog").since("2.8.9")
                        .summary("Merge N different HyperLogLogs into a single one.")
                        .complexity("O(N) to merge N HyperLogLogs, but with high constant times.")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "INSERT"))
                        .key(KeySpec.range(2, -1, 1, "RO", "ACCESS")).build());
    }
}
