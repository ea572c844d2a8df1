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
            DumpCommandSpecs.all(),
            HashCommandSpecs.all(),
            ListCommandSpecs.all(),
            SetCommandSpecs.all(),
            ZSetCommandSpecs.all(),
            GeoCommandSpecs.all(),
            SortCommandSpecs.all(),
            HllCommandSpecs.all(),
            TransactionCommandSpecs.all(),
            ScriptingCommandSpecs.all(),
            ScriptingCommandSpecs.functions(),
            PubSubCommandSpecs.all(),
            ClusterCommandSpecs.all(),
            BasaltCommandSpecs.all(),
            StreamCommandSpecs.all(),
            List.of()));

    private final Map<String, CommandSpec> byName;
    private byte[][] wireNames;
    private CommandSpec[] wireSpecs;

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
        index();
    }

    public static CommandTable get() {
        return INSTANCE;
    }

    /** Looks a top-level command up by name, any case. */
    public CommandSpec lookup(String name) {
        CommandSpec s = byName.get(name);
        return s != null ? s : byName.get(name.toLowerCase(Locale.ROOT));
    }

    /**
     * Looks a command up by its name as sent on the wire, any case, without allocating: an
     * open-addressing table keyed by the lower-cased name bytes (this runs once per request).
     */
    public CommandSpec lookup(byte[] name) {
        int h = 0;
        for (byte b : name) {
            h = 31 * h + lower(b);
        }
        int mask = wireNames.length - 1;
        for (int i = mix(h) & mask; wireNames[i] != null; i = (i + 1) & mask) {
            byte[] cand = wireNames[i];
            if (cand.length == name.length && equalsLower(cand, name)) {
                return wireSpecs[i];
            }
        }
        return null;
    }

    private static int lower(byte b) {
        return b >= 'A' && b <= 'Z' ? b + 32 : b;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    private static boolean equalsLower(byte[] lowerName, byte[] wire) {
        for (int i = 0; i < wire.length; i++) {
            if (lowerName[i] != lower(wire[i])) {
                return false;
            }
        }
        return true;
    }

    private void index() {
        int cap = Integer.highestOneBit(Math.max(16, byName.size() * 4));
        wireNames = new byte[cap][];
        wireSpecs = new CommandSpec[cap];
        for (CommandSpec spec : byName.values()) {
            byte[] n = spec.name().getBytes(java.nio.charset.StandardCharsets.UTF_8);
            int h = 0;
            for (byte b : n) {
                h = 31 * h + lower(b);
            }
            int i = mix(h) & (cap - 1);
            while (wireNames[i] != null) {
                i = (i + 1) & (cap - 1);
            }
            wireNames[i] = n;
            wireSpecs[i] = spec;
        }
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
