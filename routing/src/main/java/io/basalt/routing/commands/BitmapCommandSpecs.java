package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.FAST;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Declarations of the bitmap commands (bitmaps are strings). */
final class BitmapCommandSpecs {
    private BitmapCommandSpecs() {}

    private static CommandSpec.Builder bit(String name, int arity, String since, String summary) {
        return CommandSpec.builder(name, arity).acl("bitmap").group("bitmap").since(since).summary(summary);
    }

    static List<CommandSpec> all() {
        return List.of(
                bit("setbit", 4, "2.2.0", "Sets or clears the bit at offset of the string value. Creates the key if it doesn't exist.")
                        .flags(WRITE, DENYOOM).acl("write", "slow").key(KeySpec.range(1, 0, 1, "RW", "ACCESS", "UPDATE")).build(),
                bit("getbit", 3, "2.2.0", "Returns a bit value by offset.").flags(READONLY, FAST).acl("read", "fast")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                bit("bitcount", -2, "2.6.0", "Counts the number of set bits (population counting) in a string.").flags(READONLY)
                        .acl("read", "slow").complexity("O(N)").key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                bit("bitpos", -3, "2.8.7", "Finds the first set (1) or clear (0) bit in a string.").flags(READONLY)
                        .acl("read", "slow").complexity("O(N)").key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build(),
                bit("bitop", -4, "2.6.0", "Performs bitwise operations on multiple strings, and stores the result.")
                        .flags(WRITE, DENYOOM).acl("write", "slow").complexity("O(N)")
                        .key(KeySpec.range(2, 0, 1, "OW", "UPDATE")).key(KeySpec.range(3, -1, 1, "RO", "ACCESS")).build(),
                bit("bitfield", -2, "3.2.0", "Performs arbitrary bitfield integer operations on strings.")
                        .flags(WRITE, DENYOOM).acl("write", "slow").complexity("O(1) for each subcommand specified")
                        .key(KeySpec.range(1, 0, 1, "RW", "UPDATE", "ACCESS", "VARIABLE_FLAGS")).build(),
                bit("bitfield_ro", -2, "6.0.0", "Performs arbitrary read-only bitfield integer operations on strings.")
                        .flags(READONLY, FAST).acl("read", "fast").complexity("O(1) for each subcommand specified")
                        .key(KeySpec.range(1, 0, 1, "RO", "ACCESS")).build());
    }
}
