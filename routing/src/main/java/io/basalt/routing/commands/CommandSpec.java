package io.basalt.routing.commands;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One command's declaration: everything that dispatch, {@code COMMAND}, ACLs and routing need to
 * know, and nothing about how it executes. Subcommands (CLIENT ID, CONFIG GET, …) are specs of
 * their own, named {@code container|sub} as Redis names them.
 *
 * @param name     lower-case name ({@code "get"}, or {@code "client|id"} for a subcommand)
 * @param arity    Redis arity: positive = exactly that many arguments including the name,
 *                 negative = at least |arity|
 */
public record CommandSpec(
        String name,
        int arity,
        Set<CommandFlag> flags,
        List<String> aclCategories,
        List<KeySpec> keySpecs,
        String group,
        String since,
        String summary,
        String complexity,
        List<String> tips,
        List<CommandSpec> subcommands) {

    public CommandSpec {
        flags = flags.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(flags));
        aclCategories = List.copyOf(aclCategories);
        keySpecs = List.copyOf(keySpecs);
        tips = List.copyOf(tips);
        subcommands = List.copyOf(subcommands);
    }

    public static Builder builder(String name, int arity) {
        return new Builder(name, arity);
    }

    public boolean has(CommandFlag flag) {
        return flags.contains(flag);
    }

    public boolean isWrite() {
        return flags.contains(CommandFlag.WRITE);
    }

    /** The subcommand's own name (after the '|'), or the name itself. */
    public String shortName() {
        int bar = name.indexOf('|');
        return bar < 0 ? name : name.substring(bar + 1);
    }

    /** Whether {@code argc} arguments (name included) satisfy the arity. */
    public boolean arityAccepts(int argc) {
        return arity >= 0 ? argc == arity : argc >= -arity;
    }

    /** Argument indexes (args[0] = name) of the keys in this invocation, in key-spec order. */
    public List<Integer> keyPositions(List<byte[]> args) {
        List<Integer> out = new ArrayList<>(2);
        for (KeySpec ks : keySpecs) {
            ks.collect(args, out);
        }
        return out;
    }

    /** Legacy (first key, last key, step) triple that {@code COMMAND INFO} reports. */
    public int[] legacyKeyRange() {
        if (keySpecs.isEmpty()) {
            return new int[] {0, 0, 0};
        }
        int first = Integer.MAX_VALUE;
        int last = Integer.MIN_VALUE;
        int step = 0;
        for (KeySpec ks : keySpecs) {
            if (!(ks.begin() instanceof KeySpec.Index idx) || !(ks.find() instanceof KeySpec.Range r)) {
                return new int[] {0, 0, 0};
            }
            first = Math.min(first, idx.pos());
            int specLast = r.lastKey() >= 0 ? idx.pos() + r.lastKey() : r.lastKey();
            last = specLast < 0 ? specLast : (last < 0 && last != Integer.MIN_VALUE ? last : Math.max(last, specLast));
            step = keySpecs.size() == 1 ? r.step() : 1;
        }
        return new int[] {first, last, step};
    }

    public static final class Builder {
        private final String name;
        private final int arity;
        private final EnumSet<CommandFlag> flags = EnumSet.noneOf(CommandFlag.class);
        private final List<String> acl = new ArrayList<>();
        private final List<KeySpec> keys = new ArrayList<>();
        private final List<CommandSpec> subs = new ArrayList<>();
        private final List<String> tips = new ArrayList<>();
        private String group = "generic";
        private String since = "1.0.0";
        private String summary = "";
        private String complexity = "O(1)";

        private Builder(String name, int arity) {
            this.name = name.toLowerCase(Locale.ROOT);
            this.arity = arity;
        }

        public Builder flags(CommandFlag... f) {
            flags.addAll(List.of(f));
            return this;
        }

        /** ACL categories without the '@' ({@code "write", "string", "fast"}). */
        public Builder acl(String... categories) {
            for (String c : categories) {
                acl.add(c.startsWith("@") ? c : "@" + c);
            }
            return this;
        }

        public Builder key(KeySpec spec) {
            keys.add(spec);
            return this;
        }

        public Builder group(String g) {
            group = g;
            return this;
        }

        public Builder since(String s) {
            since = s;
            return this;
        }

        public Builder summary(String s) {
            summary = s;
            return this;
        }

        public Builder complexity(String c) {
            complexity = c;
            return this;
        }

        /** Redis's command tips (request/response policies for cluster clients, nondeterministic output). */
        public Builder tips(String... t) {
            tips.addAll(List.of(t));
            return this;
        }

        public Builder sub(CommandSpec spec) {
            subs.add(spec);
            return this;
        }

        public CommandSpec build() {
            if (keys.stream().anyMatch(k -> !(k.begin() instanceof KeySpec.Index) || k.find() instanceof KeySpec.KeyNum)) {
                flags.add(CommandFlag.MOVABLEKEYS);
            }
            return new CommandSpec(name, arity, flags, acl, keys, group, since, summary, complexity, tips, subs);
        }
    }
}
