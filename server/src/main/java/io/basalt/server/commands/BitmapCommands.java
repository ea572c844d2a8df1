package io.basalt.server.commands;

import io.basalt.server.dispatch.CommandRegistry;

/** Bitmap commands. */
public final class BitmapCommands {
    private BitmapCommands() {}

    public static void register(CommandRegistry r) {
    }
}
