package io.basalt.server.dispatch;

import io.basalt.routing.commands.CommandSpec;
import io.basalt.server.Node;
import io.basalt.server.storage.types.Keyspace;

/** What a command sees on the connection's event loop: its arguments, the connection, the node. */
public final class CommandContext implements AutoCloseable {
    private final Args args;
    private final CommandSpec spec;
    private final ClientSession session;
    private final Node node;
    private Keyspace keyspace;
    private long now;
    /** Set when the command runs inside an apply (EXEC, scripts): the batch's view, not ours to close. */
    private final boolean borrowed;
    private java.util.SplittableRandom random;
    private boolean script;

    public CommandContext(Args args, CommandSpec spec, ClientSession session, Node node) {
        this(args, spec, session, node, 0);
    }

    /** {@code nowMs}: the time the connection read for this command (0 = read the clock when needed). */
    public CommandContext(Args args, CommandSpec spec, ClientSession session, Node node, long nowMs) {
        this.args = args;
        this.spec = spec;
        this.session = session;
        this.node = node;
        this.now = nowMs;
        this.borrowed = false;
    }

    /** A command run inside an apply (EXEC, a script): it sees {@code keyspace}, the batch's state. */
    public CommandContext(Args args, CommandSpec spec, ClientSession session, Node node, long nowMs, Keyspace keyspace,
            java.util.SplittableRandom random) {
        this.random = random;
        this.args = args;
        this.spec = spec;
        this.session = session;
        this.node = node;
        this.now = nowMs;
        this.keyspace = keyspace;
        this.borrowed = true;
    }

    /**
     * Randomness for commands that pick (SRANDMEMBER, HRANDFIELD, RANDOMKEY…): inside an apply it is
     * seeded by the enclosing command, so a script acting on the pick does the same on every replica.
     */
    public java.util.SplittableRandom random() {
        if (random == null) {
            random = new java.util.SplittableRandom();
        }
        return random;
    }

    /** Marks a command called by a script (some commands refuse options there: XREAD BLOCK…). */
    public CommandContext fromScript(boolean s) {
        this.script = s;
        return this;
    }

    public boolean fromScript() {
        return script;
    }

    /** Whether this command runs inside an apply (MULTI/EXEC, a script) rather than on its connection. */
    public boolean nested() {
        return borrowed;
    }

    public Args args() {
        return args;
    }

    public CommandSpec spec() {
        return spec;
    }

    public ClientSession session() {
        return session;
    }

    public Node node() {
        return node;
    }

    /** Wall-clock ms, read once per command. */
    public long nowMs() {
        if (now == 0) {
            now = node.clock().getAsLong();
        }
        return now;
    }

    /** Committed data as of now; expired keys are invisible. */
    public Keyspace keyspace() {
        if (keyspace == null) {
            // commands over composites read metadata then members: pin one snapshot for both
            keyspace = spec != null && pinned(spec.group()) ? node.store().snapshot(nowMs()) : node.store().reader(nowMs());
        }
        return keyspace;
    }

    private static boolean pinned(String group) {
        return switch (group) {
            case "string", "bitmap", "connection", "server", "hyperloglog" -> false;
            default -> true;
        };
    }

    @Override
    public void close() {
        if (keyspace != null && !borrowed) {
            keyspace.close();
            keyspace = null;
        }
    }
}
