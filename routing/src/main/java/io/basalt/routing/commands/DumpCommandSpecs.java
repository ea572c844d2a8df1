package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of DUMP and RESTORE. */
final class DumpCommandSpecs {
    private DumpCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("dump", 2).flags(READONLY).acl("keyspace", "read", "slow").group("generic").since("2.6.0")
                        .summary("Returns a serialized representation of the value stored at a key.")
                        .complexity("O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).")
                        .tips("nondeterministic_output").key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("restore", -4).flags(WRITE, DENYOOM).acl("keyspace", "write", "slow", "dangerous")
                        .group("generic").since("2.6.0").summary("Creates a key from the serialized representation of a value.")
                        .complexity("O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).")
                        .key(KeySpec.range(1, 0, 1, "OW", "UPDATE")).build());
    }
}
