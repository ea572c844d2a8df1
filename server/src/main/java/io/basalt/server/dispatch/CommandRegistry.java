package io.basalt.server.dispatch;

import io.basalt.routing.commands.CommandSpec;
import io.basalt.routing.commands.CommandTable;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Binds the command table's declarations to implementations. Families register their handlers by
 * the table's names; {@link #verify} fails the server start (and a unit test) if a declared command
 * has no implementation or an implementation has no declaration.
 */
public final class CommandRegistry {
    /** Handlers the applier runs but clients cannot call (active-expiry deletes, …). */
    public static final String INTERNAL_PREFIX = "__";

    private final Map<String, Object> handlers = new HashMap<>();

    public CommandRegistry read(String name, ReadCommand handler) {
        put(name, handler);
        return this;
    }

    /** A write command without pre-validation. */
    public CommandRegistry write(String name, WriteCommand.Applying apply) {
        put(name, (WriteCommand) apply::apply);
        return this;
    }

    /** A write command with a validation step run before it enters the write path. */
    public CommandRegistry write(String name, WriteCommand.Applying apply, WriteCommand.Validating validate) {
        put(name, WriteCommand.of(apply, validate));
        return this;
    }

    /** A write command with its own validation and proposal. */
    public CommandRegistry writeCommand(String name, WriteCommand command) {
        put(name, command);
        return this;
    }

    private void put(String name, Object handler) {
        if (handlers.put(name, handler) != null) {
            throw new IllegalStateException("handler registered twice: " + name);
        }
    }

    public Object handler(String name) {
        return handlers.get(name);
    }

    public WriteCommand writeHandler(String name) {
        Object h = handlers.get(name);
        return h instanceof WriteCommand w ? w : null;
    }

    /** Every declared command (and subcommand) has a handler, and every handler is declared. */
    public void verify(CommandTable table) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> declared = new TreeSet<>();
        for (CommandSpec spec : table.all()) {
            if (spec.subcommands().isEmpty() || spec.arityAccepts(1)) {
                declared.add(spec.name()); // a leaf, or a container that also runs bare (COMMAND)
            }
            for (CommandSpec sub : spec.subcommands()) {
                declared.add(sub.name());
            }
        }
        for (String name : declared) {
            if (!handlers.containsKey(name)) {
                missing.add(name);
            }
        }
        TreeSet<String> undeclared = new TreeSet<>();
        for (String name : handlers.keySet()) {
            if (!name.startsWith(INTERNAL_PREFIX) && !declared.contains(name)) {
                undeclared.add(name);
            }
        }
        if (!missing.isEmpty() || !undeclared.isEmpty()) {
            throw new IllegalStateException("command table and handlers disagree: no handler for " + missing
                    + ", not declared: " + undeclared);
        }
    }
}
