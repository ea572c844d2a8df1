package io.basalt.server.dispatch;

import io.basalt.routing.commands.CommandFlag;
import io.basalt.routing.commands.CommandSpec;
import io.basalt.server.Node;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.types.KeyspaceTxn;
import java.util.List;
import java.util.SplittableRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs commands inside one applying command — the commands of a MULTI/EXEC block and a script's
 * {@code redis.call}s — against the batch's state, at the enclosing command's fixed time and with
 * seeds drawn from its seeded generator: the one mechanism that makes transactions and scripts
 * atomic (nothing else applies in between) and deterministic (a replica that applies the same
 * entry runs the same commands on the same state).
 *
 * <p>Each command gets its own save point: a command that fails leaves no trace, and the others
 * keep their effects (Redis does not roll back a transaction on a runtime error). Read commands
 * see the writes of the commands before them.
 */
public final class CommandRunner {
    private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

    /** Who is calling: each refuses different commands, with Redis's texts. */
    public enum Mode { TRANSACTION, SCRIPT, READONLY_SCRIPT }

    private final Node node;
    private final ClientSession session;
    private final KeyspaceTxn keyspace;
    private final long nowMs;
    private final SplittableRandom random;
    private final long maxBulkLen;
    private boolean wrote;
    /** The client nested commands see: the caller's own (EXEC), or a detached one (scripts, replicas). */
    private ClientSession client;
    /** Commands now come from a script (redis.call), not from MULTI. */
    private boolean script;

    CommandRunner(Node node, ClientSession session, KeyspaceTxn keyspace, long nowMs, SplittableRandom random,
            long maxBulkLen) {
        this.node = node;
        this.session = session;
        this.keyspace = keyspace;
        this.nowMs = nowMs;
        this.random = random;
        this.maxBulkLen = maxBulkLen;
        this.client = session != null ? session : ClientSession.detached(2);
    }

    /** Scripts: the protocol nested commands reply in (redis.setresp), on a client of the script's own. */
    public void protocol(int proto) {
        script = true;
        if (client == session || client.proto() != proto) {
            client = ClientSession.detached(proto);
        }
    }

    public Node node() {
        return node;
    }

    public long nowMs() {
        return nowMs;
    }

    public SplittableRandom random() {
        return random;
    }

    /** Whether a write command has run successfully through this runner (SCRIPT KILL refuses then). */
    public boolean wrote() {
        return wrote;
    }

    /** Resolves a command for this mode, or throws its refusal. */
    public CommandSpec resolve(List<byte[]> argv, Mode mode) {
        CommandSpec spec;
        try {
            spec = Dispatcher.lookup(node.table(), argv);
        } catch (Dispatcher.Unresolved e) {
            if (mode == Mode.TRANSACTION) {
                throw new RedisException(e.reply().text());
            }
            throw new RedisException(e.arity ? "ERR Wrong number of args calling Redis command from script"
                    : "ERR Unknown Redis command called from script");
        }
        if (mode != Mode.TRANSACTION && spec.has(CommandFlag.NOSCRIPT)) {
            throw new RedisException("ERR This Redis command is not allowed from script");
        }
        if (mode == Mode.READONLY_SCRIPT && spec.has(CommandFlag.WRITE)) {
            throw new RedisException("ERR Write commands are not allowed from read-only scripts.");
        }
        return spec;
    }

    /** Runs one command; its failure is its error reply (nothing of it applied). */
    public Reply call(List<byte[]> argv, Mode mode) {
        CommandSpec spec;
        try {
            spec = resolve(argv, mode);
        } catch (RedisException e) {
            return e.reply();
        }
        return call(spec, argv);
    }

    /** Runs one resolved command. */
    public Reply call(CommandSpec spec, List<byte[]> argv) {
        Object handler = node.registry().handler(spec.name());
        Args args = new Args(argv);
        if (handler instanceof WriteCommand w) {
            KeyspaceTxn.Savepoint sp = keyspace.savepoint();
            String outer = keyspace.command(spec.name());
            try (CommandContext ctx = new CommandContext(args, spec, client, node, nowMs, keyspace, new SplittableRandom(random.nextLong()))
                    .fromScript(script)) {
                w.validate(args, ctx);
                Reply r = w.apply(new ApplyContext(args, nowMs, random.nextLong(), keyspace, maxBulkLen).bind(node, client));
                keyspace.command(outer);
                keyspace.release(sp);
                wrote = true;
                return r instanceof Reply.Blocked ? notBlocking(spec) : r;
            } catch (RedisException e) {
                keyspace.command(outer);
                keyspace.rollback(sp);
                return e.reply();
            } catch (RuntimeException e) {
                keyspace.command(outer);
                keyspace.rollback(sp);
                log.error("command {} failed inside a transaction or script", spec.name(), e);
                return Reply.error("ERR " + e);
            }
        }
        if (handler instanceof ReadCommand r) {
            try (CommandContext ctx = new CommandContext(args, spec, client, node, nowMs, keyspace, new SplittableRandom(random.nextLong()))
                    .fromScript(script)) {
                Reply reply = r.run(ctx);
                return reply instanceof Reply.Blocked ? notBlocking(spec) : reply;
            } catch (RedisException e) {
                return e.reply();
            } catch (RuntimeException e) {
                log.error("command {} failed inside a transaction or script", spec.name(), e);
                return Reply.error("ERR " + e);
            }
        }
        return Reply.error("ERR command '" + spec.name() + "' is not implemented");
    }

    /** A blocking command that would block inside MULTI or a script replies as if it timed out. */
    private static Reply notBlocking(CommandSpec spec) {
        return switch (spec.name()) {
            case "blmove", "brpoplpush" -> Reply.NULL;
            default -> Reply.NULL_ARRAY;
        };
    }
}
