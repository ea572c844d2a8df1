package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.FAST;

import java.util.List;

/** Declarations of the connection commands. */
final class ConnectionCommandSpecs {
    private ConnectionCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("ping", -1).flags(FAST).acl("fast", "connection")
                        .group("connection").since("1.0.0").summary("Returns the server's liveliness response.").build());
    }
}
