package io.basalt.server.dispatch;

import io.basalt.server.resp.Reply;

/**
 * A command that changes no data: it runs on the connection's event loop against committed state
 * (and may change the connection's own state: CLIENT SETNAME, HELLO, SELECT…).
 */
@FunctionalInterface
public interface ReadCommand {
    Reply run(CommandContext ctx);
}
