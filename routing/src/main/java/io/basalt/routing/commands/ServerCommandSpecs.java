package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the server commands. */
final class ServerCommandSpecs {
    private ServerCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("flushall", -1).flags(WRITE).acl("keyspace", "write", "slow", "dangerous")
                        .group("server").since("1.0.0").summary("Removes all keys from all databases.").complexity("O(N) where N is the total number of keys in all databases").build(),
                CommandSpec.builder("flushdb", -1).flags(WRITE).acl("keyspace", "write", "slow", "dangerous")
                        .group("server").since("1.0.0").summary("Remove all keys from the current database.").complexity("O(N) where N is the number of keys in the selected database").build());
    }
}
