package io.basalt.server.write;

import io.basalt.server.dispatch.ApplyContext;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandRegistry;
import io.basalt.server.dispatch.WriteCommand;
import io.basalt.server.resp.RedisException;
import io.basalt.server.resp.Reply;
import io.basalt.server.storage.engine.StorageException;
import io.basalt.server.storage.types.KeyspaceTxn;
import io.basalt.server.storage.types.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The deterministic state machine: turns a sequence of proposals into one atomic RocksDB write and
 * one reply each. A command that fails leaves no trace in the batch (save points), and the others in
 * the batch are unaffected, exactly as if they had run one by one.
 */
public final class Applier {
    private static final Logger log = LoggerFactory.getLogger(Applier.class);

    private final Store store;
    private final CommandRegistry registry;
    private final LongSupplier maxBulkLen;
    private final java.util.function.Supplier<io.basalt.server.storage.types.Encodings> encodings;
    private final List<ApplyListener> listeners = new ArrayList<>();

    /** Told about every applied batch after it is committed (blocking wake-ups, notifications…). */
    public interface ApplyListener {
        /** {@code modifiedKeys}: keys the batch changed (with repeats; possibly by commands that failed). */
        void applied(List<Proposal> proposals, List<Reply> replies, List<byte[]> modifiedKeys, List<String> modifiedBy);
    }

    private io.basalt.server.Node node;
    private io.basalt.server.dispatch.Watches watches;

    /** Enables nested commands (EXEC, scripts) with this node's table and handlers, and WATCH tracking. */
    public void attach(io.basalt.server.Node node, io.basalt.server.dispatch.Watches watches) {
        this.node = node;
        this.watches = watches;
    }

    public Applier(Store store, CommandRegistry registry, LongSupplier maxBulkLen) {
        this(store, registry, maxBulkLen, () -> io.basalt.server.storage.types.Encodings.DEFAULTS);
    }

    public Applier(Store store, CommandRegistry registry, LongSupplier maxBulkLen,
            java.util.function.Supplier<io.basalt.server.storage.types.Encodings> encodings) {
        this.store = store;
        this.registry = registry;
        this.maxBulkLen = maxBulkLen;
        this.encodings = encodings;
    }

    public void addListener(ApplyListener l) {
        listeners.add(l);
    }

    public List<Reply> apply(List<Proposal> proposals, boolean sync) {
        return apply(proposals, sync, 0, 0);
    }

    /**
     * Applies a batch; {@code index} > 0 records the replicated log position it came from in the
     * same atomic write (Raft: restart resumes after it).
     */
    public List<Reply> apply(List<Proposal> proposals, boolean sync, long term, long index) {
        List<Reply> replies = new ArrayList<>(proposals.size());
        List<byte[]> modifiedKeys;
        List<String> modifiedBy;
        try (Store.Batch batch = store.beginBatch()) {
            io.basalt.server.storage.types.Encodings enc = encodings.get();
            long maxBulk = maxBulkLen.getAsLong();
            List<byte[]> modified = batch.modifiedKeys();
            for (Proposal p : proposals) {
                int mark = modified.size();
                int flushes = batch.flushes();
                replies.add(applyOne(batch, p, enc, maxBulk));
                if (watches != null && watches.active()) {
                    // at once, not after the batch: an EXEC later in this batch checks its watches
                    watches.modified(modified, mark);
                    if (batch.flushes() != flushes) {
                        watches.flushed();
                    }
                }
            }
            if (index > 0) {
                batch.applied(term, index);
            }
            batch.commit(sync);
            modifiedKeys = modified;
            modifiedBy = batch.modifiedBy();
            if (watches != null && watches.active()) {
                // again after the commit: a WATCH registered between a change's report above and
                // this commit read the old value, so it must be dirtied too (an EXEC later in this
                // batch was covered by the report above)
                watches.modified(modified, 0);
                if (batch.flushes() > 0) {
                    watches.flushed();
                }
            }
        } catch (StorageException e) {
            log.error("batch commit failed; {} commands not applied", proposals.size(), e);
            Reply err = Reply.error("ERR storage error: " + e.getMessage());
            replies.replaceAll(r -> err);
            return replies;
        }
        for (ApplyListener l : listeners) {
            l.applied(proposals, replies, modifiedKeys, modifiedBy);
        }
        return replies;
    }

    /** How many of its newest writes a dedup session remembers the replies of. */
    public static final int SESSION_WINDOW = 4096;
    /** SYSTEM records: {@code sess:<id>:<seq hex>} → stored reply; {@code sessl:<id>} → newest seq, its time. */
    public static final String SESSION_REPLIES = "sess:";
    public static final String SESSION_LAST = "sessl:";

    private static String seqName(String id, long seq) {
        return id + ":" + String.format("%016x", seq);
    }

    /**
     * Forgets a session (the leader's sweep of sessions idle too long, through the log) unless it
     * was used again since the sweep saw it at {@code lastMs}. Returns whether it was forgotten.
     */
    public static boolean forgetSession(KeyspaceTxn ks, String id, long lastMs) {
        byte[] last = ks.record(SESSION_LAST, id);
        if (last == null || java.nio.ByteBuffer.wrap(last).getLong(8) != lastMs) {
            return false;
        }
        ks.deleteRecords(SESSION_REPLIES, id + ":", id + ";"); // ';' follows ':': every number of this id
        ks.record(SESSION_LAST, id, null);
        return true;
    }

    /**
     * A write numbered in a client's session (BASALT SESSION): if this number was applied before (a
     * client re-sending after a reconnect or a leader change), the stored reply of that first apply
     * is the answer and nothing applies again. Otherwise the write applies and its reply is stored;
     * the session keeps the replies of its newest {@link #SESSION_WINDOW} numbers. A number older
     * than that cannot be told apart from a new write and is refused (not applied).
     */
    private Reply applySession(Store.Batch batch, Proposal p, io.basalt.server.storage.types.Encodings enc, long maxBulk) {
        String id = p.sessionId();
        long seq = p.sessionSeq();
        KeyspaceTxn look = batch.begin(p.nowMs(), enc);
        byte[] stored = look.record(SESSION_REPLIES, seqName(id, seq));
        byte[] lastRec = look.record(SESSION_LAST, id);
        batch.succeeded();
        if (stored != null) {
            return io.basalt.server.resp.ReplyCodec.decode(stored);
        }
        long last = lastRec == null ? -1 : java.nio.ByteBuffer.wrap(lastRec).getLong();
        if (last >= 0 && seq <= last - SESSION_WINDOW) {
            return Reply.error("ERR session " + id + " command number " + seq + " is too old to tell whether it was"
                    + " applied (newest " + last + "); not applied");
        }
        Reply r = applyOne(batch, p.inner(), enc, maxBulk);
        if (r instanceof Reply.Blocked) {
            return r; // not served yet: its retry, under the same number, is what counts
        }
        KeyspaceTxn rec = batch.begin(p.nowMs(), enc);
        rec.record(SESSION_REPLIES, seqName(id, seq), io.basalt.server.resp.ReplyCodec.encode(r));
        if (seq > last) {
            rec.record(SESSION_LAST, id, java.nio.ByteBuffer.allocate(16).putLong(seq).putLong(p.nowMs()).array());
            if (last >= 0 && seq / 256 != last / 256 && seq > SESSION_WINDOW) {
                // now and then (not per write: range deletes are not free) drop what fell out of the window
                rec.deleteRecords(SESSION_REPLIES, seqName(id, 0), seqName(id, seq - SESSION_WINDOW));
            }
        }
        batch.succeeded();
        return r;
    }

    private Reply applyOne(Store.Batch batch, Proposal p, io.basalt.server.storage.types.Encodings enc, long maxBulk) {
        if (Proposal.SESSION.equals(p.name())) {
            return applySession(batch, p, enc, maxBulk);
        }
        WriteCommand handler = registry.writeHandler(p.name());
        if (handler == null) {
            return Reply.error("ERR unknown command '" + p.name() + "'");
        }
        KeyspaceTxn ks = batch.begin(p.nowMs(), enc);
        ks.command(p.name());
        Proposal.Origin origin = p.origin();
        if (origin != null && origin.guard() != null && !origin.guard().test(ks)) {
            batch.succeeded(); // EXEC whose WATCHed keys changed: nothing applies
            return Reply.NULL_ARRAY;
        }
        try {
            ApplyContext ctx = new ApplyContext(new Args(p.args()), p.nowMs(), p.seed(), ks, maxBulk);
            if (node != null) {
                ctx.bind(node, origin == null ? null : origin.session());
            }
            Reply r = handler.apply(ctx);
            batch.succeeded();
            return r;
        } catch (RedisException e) {
            batch.failed();
            return e.reply();
        } catch (RuntimeException e) {
            batch.failed();
            log.error("command {} failed while applying", p.name(), e);
            return Reply.error("ERR " + e);
        }
    }
}
