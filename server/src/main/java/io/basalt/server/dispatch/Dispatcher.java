package io.basalt.server.dispatch;

import io.basalt.routing.commands.CommandFlag;
import io.basalt.routing.commands.CommandSpec;
import io.basalt.server.Node;
import io.basalt.server.resp.Errors;
import io.basalt.server.resp.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Turns a request into something to run: finds the command (and subcommand) in the table, checks
 * arity and authentication with Redis's exact errors, and pairs it with its handler.
 */
public final class Dispatcher {
    /** A request ready to run, or an error reply to send instead. */
    public record Resolved(CommandSpec spec, Object handler, Reply error) {
        public boolean isWrite() {
            return handler instanceof WriteCommand;
        }
    }

    private final Node node;

    public Dispatcher(Node node) {
        this.node = node;
    }

    public Resolved resolve(List<byte[]> argv, ClientSession session) {
        CommandSpec spec;
        try {
            spec = lookup(node.table(), argv);
        } catch (Unresolved e) {
            return reject(e.spec, e.reply());
        }
        if (!session.authenticated() && !spec.has(CommandFlag.NO_AUTH)) {
            return reject(spec, Reply.error(Errors.NOAUTH));
        }
        Object handler = node.registry().handler(spec.name());
        if (handler == null) {
            return reject(spec, Reply.error("ERR command '" + spec.name() + "' is not implemented"));
        }
        return new Resolved(spec, handler, null);
    }

    /** A request that names no command the table knows, or with the wrong number of arguments. */
    public static final class Unresolved extends RuntimeException {
        /** The command (or container command) named, if any; {@code null} for unknown commands. */
        public final CommandSpec spec;
        /** The request's arity is wrong (as opposed to an unknown command or subcommand). */
        public final boolean arity;

        private final Reply.Error reply;

        Unresolved(CommandSpec spec, boolean arity, Reply.Error reply) {
            super(reply.text(), null, false, false);
            this.spec = spec;
            this.arity = arity;
            this.reply = reply;
        }

        public Reply.Error reply() {
            return reply;
        }
    }

    /** The command (or subcommand) a request names, checked for arity, with Redis's exact errors. */
    public static CommandSpec lookup(io.basalt.routing.commands.CommandTable table, List<byte[]> argv) {
        CommandSpec spec = table.lookup(argv.get(0));
        if (spec == null) {
            throw new Unresolved(null, false, (Reply.Error) unknownCommand(argv));
        }
        if (!spec.arityAccepts(argv.size())) {
            throw new Unresolved(spec, true, (Reply.Error) Errors.wrongArgs(spec.name()).reply());
        }
        if (!spec.subcommands().isEmpty() && argv.size() > 1) {
            String subName = new String(argv.get(1), StandardCharsets.UTF_8);
            CommandSpec sub = table.lookupSub(spec, subName);
            if (sub == null) {
                throw new Unresolved(spec, false, (Reply.Error) Reply.error("ERR unknown subcommand '" + sanitize(subName, 128)
                        + "'. Try " + spec.name().toUpperCase(java.util.Locale.ROOT) + " HELP."));
            }
            if (!sub.arityAccepts(argv.size())) {
                throw new Unresolved(sub, true, (Reply.Error) Errors.wrongArgs(sub.name()).reply());
            }
            spec = sub;
        }
        return spec;
    }

    private Resolved reject(CommandSpec spec, Reply error) {
        if (spec != null) {
            node.stats().command(spec.name()).rejected.increment();
        }
        return new Resolved(spec, null, error);
    }

    static Reply unknownCommand(List<byte[]> argv) {
        StringBuilder args = new StringBuilder();
        for (int i = 1; i < argv.size() && args.length() < 128; i++) {
            String a = new String(argv.get(i), StandardCharsets.UTF_8);
            int room = 128 - args.length();
            args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
        }
        String name = new String(argv.get(0), StandardCharsets.UTF_8);
        return Reply.error("ERR unknown command '" + sanitize(name, 128) + "', with args beginning with: "
                + sanitize(args.toString(), Integer.MAX_VALUE));
    }

    private static String sanitize(String s, int max) {
        String t = s.length() > max ? s.substring(0, max) : s;
        return t.replace('\r', ' ').replace('\n', ' ');
    }
}
