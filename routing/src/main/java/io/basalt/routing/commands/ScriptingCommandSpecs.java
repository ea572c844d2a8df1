package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.ALLOW_BUSY;
import static io.basalt.routing.commands.CommandFlag.DENYOOM;
import static io.basalt.routing.commands.CommandFlag.LOADING;
import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.NO_MANDATORY_KEYS;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.SKIP_MONITOR;
import static io.basalt.routing.commands.CommandFlag.STALE;
import static io.basalt.routing.commands.CommandFlag.WRITE;

import java.util.List;

/** Lua scripts and functions (generated from Redis 7.0's COMMAND INFO/DOCS by bench/tools/gen_specs.py). */
final class ScriptingCommandSpecs {
    private ScriptingCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of(
                CommandSpec.builder("eval", -3).flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS).acl("slow", "scripting")
                        .group("scripting").since("2.6.0")
                        .summary("Execute a Lua script server side")
                        .complexity("Depends on the script that is executed.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE")).build(),
                CommandSpec.builder("evalsha", -3).flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS).acl("slow", "scripting")
                        .group("scripting").since("2.6.0")
                        .summary("Execute a Lua script server side")
                        .complexity("Depends on the script that is executed.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE")).build(),
                CommandSpec.builder("eval_ro", -3).flags(READONLY, NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS).acl("slow", "scripting")
                        .group("scripting").since("7.0.0")
                        .summary("Execute a read-only Lua script server side")
                        .complexity("Depends on the script that is executed.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("evalsha_ro", -3).flags(READONLY, NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS).acl("slow", "scripting")
                        .group("scripting").since("7.0.0")
                        .summary("Execute a read-only Lua script server side")
                        .complexity("Depends on the script that is executed.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RO", "ACCESS")).build(),
                CommandSpec.builder("script", -2).acl("slow")
                        .group("scripting").since("2.6.0")
                        .summary("A container for Lua scripts management commands")
                        .complexity("Depends on subcommand.")
                        .sub(sub("script|exists", -3, "Check existence of scripts in the script cache.", NOSCRIPT))
                        .sub(sub("script|flush", -2, "Remove all the scripts from the script cache.", NOSCRIPT))
                        .sub(sub("script|kill", 2, "Kill the script currently in execution.", NOSCRIPT, ALLOW_BUSY))
                        .sub(sub("script|load", 3, "Load the specified Lua script into the script cache.", NOSCRIPT, STALE))
                        .sub(sub("script|help", 2, "Show helpful text about the different subcommands", LOADING, STALE))
                        .build());
    }

    private static CommandSpec sub(String name, int arity, String summary, CommandFlag... flags) {
        return CommandSpec.builder(name, arity).flags(flags).acl("slow", "scripting").group("scripting").since("2.6.0")
                .summary(summary).build();
    }

    private static CommandSpec fn(String name, int arity, String summary, CommandFlag... flags) {
        return CommandSpec.builder(name, arity).flags(flags).acl("slow", "scripting").group("scripting").since("7.0.0")
                .summary(summary).build();
    }

    /** FUNCTION and FCALL. */
    static List<CommandSpec> functions() {
        return List.of(
                CommandSpec.builder("function", -2).acl("slow")
                        .group("scripting").since("7.0.0")
                        .summary("A container for function commands")
                        .complexity("Depends on subcommand.")
                        .sub(fn("function|load", -3, "Create a function with the given arguments (name, code, description)", WRITE, DENYOOM, NOSCRIPT))
                        .sub(fn("function|delete", 3, "Delete a function by name", WRITE, NOSCRIPT))
                        .sub(fn("function|flush", -2, "Deleting all functions", WRITE, NOSCRIPT))
                        .sub(fn("function|restore", -3, "Restore all the functions on the given payload", WRITE, DENYOOM, NOSCRIPT))
                        .sub(fn("function|list", -2, "List information about all the functions", NOSCRIPT))
                        .sub(fn("function|dump", 2, "Dump all functions into a serialized binary payload", NOSCRIPT))
                        .sub(fn("function|stats", 2, "Return information about the function currently running (name, description, duration)", NOSCRIPT, ALLOW_BUSY))
                        .sub(fn("function|kill", 2, "Kill the function currently in execution.", NOSCRIPT, ALLOW_BUSY))
                        .sub(fn("function|help", 2, "Show helpful text about the different subcommands", LOADING, STALE))
                        .build(),
                CommandSpec.builder("fcall", -3).flags(NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS).acl("slow", "scripting")
                        .group("scripting").since("7.0.0")
                        .summary("Invoke a function")
                        .complexity("Depends on the function that is executed.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RW", "ACCESS", "UPDATE")).build(),
                CommandSpec.builder("fcall_ro", -3).flags(READONLY, NOSCRIPT, STALE, SKIP_MONITOR, NO_MANDATORY_KEYS).acl("slow", "scripting")
                        .group("scripting").since("7.0.0")
                        .summary("Invoke a read-only function")
                        .complexity("Depends on the function that is executed.")
                        .key(KeySpec.keyNum(2, 0, 1, 1, "RO", "ACCESS")).build());
    }
}
