package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.ALLOW_BUSY;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.LOADING;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.SKIP_SLOWLOG;
import static io.basalt.routing.commands.CommandFlag.STALE;

import java.util.List;

/** MULTI/EXEC/WATCH (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class TransactionCommandSpecs {
    private TransactionCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("multi", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl("fast", "transaction")
                        .group("transactions").since("1.2.0")
                        .summary("Mark the start of a transaction block")
                        .complexity("O(1)").build(),
                CommandSpec.builder("exec", 1).flags(NOSCRIPT, LOADING, STALE, SKIP_SLOWLOG).acl("slow", "transaction")
                        .group("transactions").since("1.2.0")
                        .summary("Execute all commands issued after MULTI")
                        .complexity("Depends on commands in the transaction").build(),
                CommandSpec.builder("discard", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl("fast", "transaction")
                        .group("transactions").since("2.0.0")
                        .summary("Discard all commands issued after MULTI")
                        .complexity("O(N), when N is the number of queued commands").build(),
                CommandSpec.builder("watch", -2).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl("fast", "transaction")
                        .group("transactions").since("2.2.0")
                        .summary("Watch the given keys to determine execution of the MULTI/EXEC block")
                        .complexity("O(1) for every key.")
                        .key(KeySpec.range(1, -1, 1, "RO")).build(),
                CommandSpec.builder("unwatch", 1).flags(NOSCRIPT, LOADING, STALE, FAST, ALLOW_BUSY).acl("fast", "transaction")
                        .group("transactions").since("2.2.0")
                        .summary("Forget about all watched keys")
                        .complexity("O(1)").build());
    }
}
