package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.LOADING;
import static io.basalt.routing.commands.CommandFlag.STALE;

import java.util.List;

/** Redis Cluster protocol (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class ClusterCommandSpecs {
    private ClusterCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("readonly", 1).flags(LOADING, STALE, FAST).acl("fast", "connection")
                        .group("cluster").since("3.0.0")
                        .summary("Enables read queries for a connection to a cluster replica node")
                        .complexity("O(1)").build(),
                CommandSpec.builder("readwrite", 1).flags(LOADING, STALE, FAST).acl("fast", "connection")
                        .group("cluster").since("3.0.0")
                        .summary("Disables read queries for a connection to a cluster replica node")
                        .complexity("O(1)").build());
    }
}
