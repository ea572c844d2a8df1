package io.basalt.server.commands;

import io.basalt.server.dispatch.CommandRegistry;

/** Key commands. */
public final class KeyCommands {
    private KeyCommands() {}

    public static void register(CommandRegistry r) {
    }
}
