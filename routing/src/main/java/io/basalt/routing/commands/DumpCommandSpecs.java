package io.basalt.routing.commands;

import java.util.List;

/** Declarations of DUMP and RESTORE. */
final class DumpCommandSpecs {
    private DumpCommandSpecs() {}

    static List<CommandSpec> all() {
        return List.of();
    }
}
