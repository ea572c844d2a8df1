package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.ADMIN;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.NO_MULTI;

import java.util.List;

/** Basalt's own commands (not in Redis): {@code BASALT RAFT STATUS|TRANSFER|ADD|REMOVE}. */
final class BasaltCommandSpecs {
    private BasaltCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("basalt", -2).acl("slow").group("server").since("0.1.0")
                        .summary("A container for Basalt administration commands")
                        .complexity("Depends on subcommand.")
                        .sub(CommandSpec.builder("basalt|raft", -3).flags(ADMIN, NOSCRIPT, NO_MULTI).acl("admin", "slow", "dangerous")
                                .group("server").since("0.1.0")
                                .summary("Raft group status and membership: STATUS, TRANSFER id, ADD id host:raftPort:respPort, REMOVE id")
                                .complexity("O(1) plus a Raft configuration change").build())
                        .build());
    }
}
