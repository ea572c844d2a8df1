package io.basalt.routing.commands;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Renders docs/commands.md from the command table, so the page can never drift from the code. */
public final class CommandsPage {
    private CommandsPage() {}

    public static String render(CommandTable table) {
        Map<String, List<CommandSpec>> byGroup = new LinkedHashMap<>();
        List<CommandSpec> all = new ArrayList<>(table.all());
        all.sort((a, b) -> a.name().compareTo(b.name()));
        for (CommandSpec s : all) {
            byGroup.computeIfAbsent(s.group(), g -> new ArrayList<>()).add(s);
        }
        StringBuilder sb = new StringBuilder();
        sb.append("# Commands\n\n");
        sb.append("Generated from the command table (`routing/`); do not edit by hand. Regenerate with\n");
        sb.append("`mvn -B -pl routing test -Dtest=CommandsPageTest -Dbasalt.regenerateDocs=true`.\n\n");
        sb.append(table.size()).append(" commands. Arity as Redis reports it: n = exactly n arguments including the\n");
        sb.append("name, -n = at least n. Replies and error texts follow Redis 7.\n");
        for (Map.Entry<String, List<CommandSpec>> g : byGroup.entrySet()) {
            sb.append("\n## ").append(g.getKey()).append("\n\n");
            sb.append("| command | arity | flags | keys | summary |\n|---|---|---|---|---|\n");
            for (CommandSpec s : g.getValue()) {
                row(sb, s);
                for (CommandSpec sub : s.subcommands()) {
                    row(sb, sub);
                }
            }
        }
        return sb.toString();
    }

    private static void row(StringBuilder sb, CommandSpec s) {
        String flags = s.flags().stream().map(CommandFlag::wireName).sorted().collect(Collectors.joining(" "));
        int[] k = s.legacyKeyRange();
        String keys = s.keySpecs().isEmpty() ? "" : s.has(CommandFlag.MOVABLEKEYS) ? "movable" : k[0] + ".." + k[1] + " step " + k[2];
        sb.append("| `").append(s.name().toUpperCase(Locale.ROOT).replace('|', ' ')).append("` | ").append(s.arity())
                .append(" | ").append(flags).append(" | ").append(keys).append(" | ").append(s.summary().replace("|", "\\|"))
                .append(" |\n");
    }
}
