package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.ADMIN;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.NO_MULTI;

import java.util.List;

/** Basalt's own commands (not in Redis): {@code BASALT RAFT …}, {@code BASALT SESSION …}, {@code BASALT LATENCY}. */
final class BasaltCommandSpecs {
    private BasaltCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("basalt", -2).acl("slow").group("server").since("0.1.0")
                        .summary("A container for Basalt administration commands")
                        .complexity("Depends on subcommand.")
                        .sub(CommandSpec.builder("basalt|raft", -3).flags(ADMIN, NOSCRIPT, NO_MULTI).acl("admin", "slow", "dangerous")
                                .group("server").since("0.1.0")
                                .summary("Raft group status and membership: STATUS, TRANSFER id, ADD id host:raftPort:respPort, REMOVE id, SNAPSHOT")
                                .complexity("O(1) plus a Raft configuration change").build())
                        .sub(CommandSpec.builder("basalt|deliver", 4).flags(CommandFlag.PUBSUB, CommandFlag.LOADING,
                                        CommandFlag.STALE, CommandFlag.FAST, NOSCRIPT)
                                .acl("pubsub", "fast").group("pubsub").since("0.1.0")
                                .summary("Delivers a message to this server's subscribers only (the cluster bus's forwarding of PUBLISH)")
                                .complexity("O(N+M) like PUBLISH").build())
                        .sub(CommandSpec.builder("basalt|latency", -2).flags(ADMIN, NOSCRIPT, CommandFlag.LOADING, CommandFlag.STALE)
                                .acl("admin", "slow").group("server").since("0.1.0")
                                .summary("Where requests spend their time, per stage of the write and read paths (with latency-stages yes); RESET clears")
                                .complexity("O(1)").build())
                        .sub(CommandSpec.builder("basalt|session", -3).flags(CommandFlag.FAST, NOSCRIPT, NO_MULTI, CommandFlag.LOADING, CommandFlag.STALE)
                                .acl("connection", "fast").group("connection").since("0.1.0")
                                .summary("Numbers this connection's commands for at-most-once writes across reconnects: SESSION id first-seq, SESSION OFF")
                                .complexity("O(1)").build())
                        .build());
    }
}
