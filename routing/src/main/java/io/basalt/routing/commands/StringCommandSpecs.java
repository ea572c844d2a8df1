package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the string commands. */
final class StringCommandSpecs {
    private StringCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("get", 2).flags(READONLY, FAST).acl("read", "string", "fast")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .group("string").since("1.0.0").summary("Returns the string value of a key.").build(),
                CommandSpec.builder("set", -3).flags(WRITE, DENYOOM).acl("write", "string", "slow")
                        .key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE", "VARIABLE_FLAGS"))
                        .group("string").since("1.0.0")
                        .summary("Sets the string value of a key, ignoring its type. The key is created if it doesn't exist.")
                        .build());
    }
}
