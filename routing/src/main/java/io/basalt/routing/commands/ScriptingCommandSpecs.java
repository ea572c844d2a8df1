package io.basalt.routing.commands;

import static io.basalt.routing.commands.CommandFlag.NOSCRIPT;
import static io.basalt.routing.commands.CommandFlag.NO_MANDATORY_KEYS;
import static io.basalt.routing.commands.CommandFlag.READONLY;
import static io.basalt.routing.commands.CommandFlag.SKIP_MONITOR;
import static io.basalt.routing.commands.CommandFlag.STALE;

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
                        .complexity("Depends on subcommand.").build(),
                CommandSpec.builder("function", -2).acl("slow")
                        .group("scripting").since("7.0.0")
                        .summary("A container for function commands")
                        .complexity("Depends on subcommand.").build(),
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
