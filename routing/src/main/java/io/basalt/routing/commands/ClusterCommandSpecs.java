package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.LOADING;
import static io.basalt.routing.commands.CommandFlag.STALE;

import java.util.List;

/**
 * Redis Cluster protocol (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py).
 * CLUSTER has only the subcommands a cluster client reads (the topology, the key/slot helpers);
 * the ones that change a Redis Cluster's configuration (ADDSLOTS, MEET, SETSLOT, FAILOVER, …) have
 * no place here: the cluster map is the coordinator's, kept in ZooKeeper.
 */
final class ClusterCommandSpecs {
    private ClusterCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("asking", 1).flags(FAST).acl("fast", "connection")
                        .group("cluster").since("3.0.0")
                        .summary("Sent by cluster clients after an -ASK redirect")
                        .complexity("O(1)").build(),
                CommandSpec.builder("cluster", -2).acl("slow")
                        .group("cluster").since("3.0.0")
                        .summary("A container for cluster commands")
                        .complexity("Depends on subcommand.")
                        .sub(CommandSpec.builder("cluster|slots", 2).flags(STALE).acl("slow")
                                .group("cluster").since("3.0.0")
                                .summary("Get array of Cluster slot to node mappings")
                                .complexity("O(N) where N is the total number of Cluster nodes").tips("nondeterministic_output").build())
                        .sub(CommandSpec.builder("cluster|shards", 2).flags(STALE).acl("slow")
                                .group("cluster").since("7.0.0")
                                .summary("Get array of cluster slots to node mappings")
                                .complexity("O(N) where N is the total number of cluster nodes").tips("nondeterministic_output").build())
                        .sub(CommandSpec.builder("cluster|nodes", 2).flags(STALE).acl("slow")
                                .group("cluster").since("3.0.0")
                                .summary("Get Cluster config for the node")
                                .complexity("O(N) where N is the total number of Cluster nodes").tips("nondeterministic_output").build())
                        .sub(CommandSpec.builder("cluster|myid", 2).flags(STALE).acl("slow")
                                .group("cluster").since("3.0.0")
                                .summary("Return the node id")
                                .complexity("O(1)").build())
                        .sub(CommandSpec.builder("cluster|info", 2).flags(STALE).acl("slow")
                                .group("cluster").since("3.0.0")
                                .summary("Provides info about Redis Cluster node state")
                                .complexity("O(1)").tips("nondeterministic_output").build())
                        .sub(CommandSpec.builder("cluster|keyslot", 3).flags(STALE).acl("slow")
                                .group("cluster").since("3.0.0")
                                .summary("Returns the hash slot of the specified key")
                                .complexity("O(N) where N is the number of bytes in the key").build())
                        .sub(CommandSpec.builder("cluster|countkeysinslot", 3).flags(STALE).acl("slow")
                                .group("cluster").since("3.0.0")
                                .summary("Return the number of local keys in the specified hash slot")
                                .complexity("O(1)").build())
                        .sub(CommandSpec.builder("cluster|getkeysinslot", 4).flags(STALE).acl("slow")
                                .group("cluster").since("3.0.0")
                                .summary("Return local key names in the specified hash slot")
                                .complexity("O(log(N)) where N is the number of requested keys").tips("nondeterministic_output").build())
                        .sub(CommandSpec.builder("cluster|help", 2).flags(LOADING, STALE).acl("slow")
                                .group("cluster").since("5.0.0")
                                .summary("Show helpful text about the different subcommands")
                                .complexity("O(1)").build())
                        .build(),
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
