package io.basalt.routing.commands;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The one command table of Basalt. Each command family declares its commands in its own class
 * ({@link StringCommandSpecs}, …); this class gathers them. Server dispatch, {@code COMMAND},
 * routing in proxy and SDK, and the generated commands page all read it.
 */
public final class CommandTable {
    private static final CommandTable INSTANCE = new CommandTable(List.of(
            ConnectionCommandSpecs.all(),
            ServerCommandSpecs.all(),
            StringCommandSpecs.all(),
            BitmapCommandSpecs.all(),
            KeyCommandSpecs.all(),
            DumpCommandSpecs.all()));

    private final Map<String, CommandSpec> byName;

    private CommandTable(List<List<CommandSpec>> families) {
        Map<String, CommandSpec> m = new LinkedHashMap<>();
        for (List<CommandSpec> family : families) {
            for (CommandSpec spec : family) {
                if (m.put(spec.name(), spec) != null) {
                    throw new IllegalStateException("command declared twice: " + spec.name());
                }
            }
        }
        byName = Collections.unmodifiableMap(m);
    }

    public static CommandTable get() {
        return INSTANCE;
    }

    /** Looks a top-level command up by name, any case. */
    public CommandSpec lookup(String name) {
        CommandSpec s = byName.get(name);
        return s != null ? s : byName.get(name.toLowerCase(Locale.ROOT));
    }

    /** Looks a command up by its name as sent on the wire (any case), without decoding it twice. */
    public CommandSpec lookup(byte[] name) {
        if (name.length > 64) {
            return null;
        }
        char[] lower = new char[name.length];
        for (int i = 0; i < name.length; i++) {
            int c = name[i] & 0xFF;
            lower[i] = (char) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        return byName.get(new String(lower));
    }

    /** Finds {@code container|sub}, any case, or null. */
    public CommandSpec lookupSub(CommandSpec container, String sub) {
        String wanted = container.name() + "|" + sub.toLowerCase(Locale.ROOT);
        for (CommandSpec s : container.subcommands()) {
            if (s.name().equals(wanted)) {
                return s;
            }
        }
        return null;
    }

    public Collection<CommandSpec> all() {
        return byName.values();
    }

    public int size() {
        return byName.size();
    }
}
