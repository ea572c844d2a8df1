package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.MOVABLEKEYS;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/**
 * SORT and SORT_RO. Redis declares SORT's BY/GET patterns and STORE destination as "unknown" key
 * specs (found only by parsing); the table carries the sorted key, and STORE as a keyword spec.
 */
final class SortCommandSpecs {
    private SortCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("sort", -2).flags(WRITE, DENYOOM, MOVABLEKEYS).acl("write", "set", "sortedset", "list", "slow", "dangerous")
                        .group("generic").since("1.0.0")
                        .summary("Sort the elements in a list, set or sorted set")
                        .complexity("O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS"))
                        .key(KeySpec.keyword("STORE", 2, 0, 1, 0, "OW", "UPDATE")).build(),
                CommandSpec.builder("sort_ro", -2).flags(READONLY, MOVABLEKEYS).acl("read", "set", "sortedset", "list", "slow", "dangerous")
                        .group("generic").since("7.0.0")
                        .summary("Sort the elements in a list, set or sorted set. Read-only variant of SORT.")
                        .complexity("O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build());
    }
}
