package io.basalt.routing.commands;

import java.util.List;

/** Declarations of the key commands. */
final class KeyCommandSpecs {
    private KeyCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of();
    }
}
