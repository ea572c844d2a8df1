package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.BLOCKING;
import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** streams (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class StreamCommandSpecs {
    private StreamCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("xadd", -5).flags(WRITE, DENYOOM, FAST).acl("write", "stream", "fast")
                        .group("stream").since("5.0.0")
                        .summary("Appends a new entry to a stream")
                        .complexity("O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("xlen", 2).flags(READONLY, FAST).acl("read", "stream", "fast")
                        .group("stream").since("5.0.0")
                        .summary("Return the number of entries in a stream")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RO")).build(),
                CommandSpec.builder("xrange", -4).flags(READONLY).acl("read", "stream", "slow")
                        .group("stream").since("5.0.0")
                        .summary("Return a range of elements in a stream, with IDs matching the specified IDs interval")
                        .complexity("O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("xrevrange", -4).flags(READONLY).acl("read", "stream", "slow")
                        .group("stream").since("5.0.0")
                        .summary("Return a range of elements in a stream, with IDs matching the specified IDs interval, in reverse order (from greater to smaller IDs) compared to XRANGE")
                        .complexity("O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("xdel", -3).flags(WRITE, FAST).acl("write", "stream", "fast")
                        .group("stream").since("5.0.0")
                        .summary("Removes the specified entries from the stream. Returns the number of items actually deleted, that may be different from the number of IDs passed in case certain IDs do not exist.")
                        .complexity("O(1) for each single item to delete in the stream, regardless of the stream size.")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("xtrim", -4).flags(WRITE).acl("write", "stream", "slow")
                        .group("stream").since("5.0.0")
                        .summary("Trims the stream to (approximately if '~' is passed) a certain size")
                        .complexity("O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("xread", -4).flags(READONLY, BLOCKING).acl("read", "stream", "slow", "blocking")
                        .group("stream").since("5.0.0")
                        .summary("Return never seen elements in multiple streams, with IDs greater than the ones reported by the caller for each stream. Can block.")
                        .complexity("For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.")
                        .key(KeySpec.keyword("STREAMS", 1, -1, 1, 2, "RO", "ACCESS")).build(),
                CommandSpec.builder("xgroup", -2).acl("slow")
                        .group("stream").since("5.0.0")
                        .summary("A container for consumer groups commands")
                        .complexity("Depends on subcommand.")
                        .sub(sub("xgroup|destroy", 4, "5.0.0", "Destroy a consumer group.",
                                "O(N) where N is the number of entries in the group's pending entries list (PEL).", true, "RW", "DELETE").flags(WRITE).build())
                        .sub(sub("xgroup|create", -5, "5.0.0", "Create a consumer group.", "O(1)", true, "RW", "INSERT").flags(WRITE, DENYOOM).build())
                        .sub(help("xgroup|help"))
                        .sub(sub("xgroup|setid", -5, "5.0.0", "Set a consumer group to an arbitrary last delivered ID value.", "O(1)", true, "RW", "UPDATE").flags(WRITE).build())
                        .sub(sub("xgroup|createconsumer", 5, "6.2.0", "Create a consumer in a consumer group.", "O(1)", true, "RW", "INSERT")
                                .flags(WRITE, DENYOOM).build())
                        .sub(sub("xgroup|delconsumer", 5, "5.0.0", "Delete a consumer from a consumer group.", "O(1)", true, "RW", "DELETE").flags(WRITE).build())
                        .build(),
                CommandSpec.builder("xreadgroup", -7).flags(WRITE, BLOCKING).acl("write", "stream", "slow", "blocking")
                        .group("stream").since("5.0.0")
                        .summary("Return new entries from a stream using a consumer group, or access the history of the pending entries for a given consumer. Can block.")
                        .complexity("For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.")
                        .key(KeySpec.keyword("STREAMS", 4, -1, 1, 2, "RO", "ACCESS")).build(),
                CommandSpec.builder("xack", -4).flags(WRITE, FAST).acl("write", "stream", "fast")
                        .group("stream").since("5.0.0")
                        .summary("Marks a pending message as correctly processed, effectively removing it from the pending entries list of the consumer group. Return value of the command is the number of messages successfully acknowledged, that is, the IDs we were actually able to resolve in the PEL.")
                        .complexity("O(1) for each message ID processed.")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("xpending", -3).flags(READONLY).acl("read", "stream", "slow")
                        .group("stream").since("5.0.0")
                        .summary("Return information and entries from a stream consumer group pending entries list, that are messages fetched but never acknowledged.")
                        .complexity("O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("xclaim", -6).flags(WRITE, FAST).acl("write", "stream", "fast")
                        .group("stream").since("5.0.0")
                        .summary("Changes (or acquires) ownership of a message in a consumer group, as if the message was delivered to the specified consumer.")
                        .complexity("O(log N) with N being the number of messages in the PEL of the consumer group.").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build(),
                CommandSpec.builder("xautoclaim", -6).flags(WRITE, FAST).acl("write", "stream", "fast")
                        .group("stream").since("6.2.0")
                        .summary("Changes (or acquires) ownership of messages in a consumer group, as if the messages were delivered to the specified consumer.")
                        .complexity("O(1) if COUNT is small.").tips("nondeterministic_output")
                        .key(KeySpec.range(1, 0, 1, "RW", "DELETE")).build(),
                CommandSpec.builder("xinfo", -2).acl("slow")
                        .group("stream").since("5.0.0")
                        .summary("A container for stream introspection commands")
                        .complexity("Depends on subcommand.")
                        .sub(sub("xinfo|stream", -3, "5.0.0", "Get information about a stream", "O(1)", false, "RO", "ACCESS").flags(READONLY).build())
                        .sub(sub("xinfo|groups", 3, "5.0.0", "List the consumer groups of a stream", "O(1)", false, "RO", "ACCESS").flags(READONLY).build())
                        .sub(sub("xinfo|consumers", 4, "5.0.0", "List the consumers in a consumer group", "O(1)", false, "RO", "ACCESS")
                                .flags(READONLY).tips("nondeterministic_output").build())
                        .sub(help("xinfo|help"))
                        .build(),
                CommandSpec.builder("xsetid", -3).flags(WRITE, DENYOOM, FAST).acl("write", "stream", "fast")
                        .group("stream").since("5.0.0")
                        .summary("An internal command for replicating stream values")
                        .complexity("O(1)")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE")).build());
    }

    /** A subcommand whose key is argument 2 (XGROUP CREATE key …, XINFO STREAM key …). */
    private static CommandSpec.Builder sub(String name, int arity, String since, String summary, String complexity, boolean write,
            String... keyFlags) {
        return CommandSpec.builder(name, arity).acl(write ? "write" : "read", "stream", "slow").group("stream").since(since)
                .summary(summary).complexity(complexity).key(KeySpec.range(2, 0, 1, keyFlags));
    }

    private static CommandSpec help(String name) {
        return CommandSpec.builder(name, 2).flags(CommandFlag.LOADING, CommandFlag.STALE).acl("stream", "slow").group("stream")
                .since("5.0.0").summary("Show helpful text about the different subcommands").complexity("O(1)").build();
    }
}
