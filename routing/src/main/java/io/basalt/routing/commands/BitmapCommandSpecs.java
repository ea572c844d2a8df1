package io.basalt.routing.commands;

import java.util.List;

/** Declarations of the bitmap commands. */
final class BitmapCommandSpecs {
    private BitmapCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of();
    }
}
