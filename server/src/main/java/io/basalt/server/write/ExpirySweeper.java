package io.basalt.server.write;

import io.basalt.server.dispatch.ServerStats;
import io.basalt.server.storage.encoding.KeyCodec;
import io.basalt.server.storage.engine.Cf;
import io.basalt.server.storage.engine.KvCursor;
import io.basalt.server.storage.types.Store;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Active expiry. The EXPIRE column family orders keys by expire-at, so the keys due now are a prefix
 * of it: each tick reads up to {@link #BATCH} of them and proposes one internal {@code __expire}
 * write that deletes those still due. The delete goes through the write path like any write, so on a
 * replicated group only the leader sweeps and replicas delete when they apply the leader's entry.
 */
public final class ExpirySweeper {
    public static final String COMMAND = "__expire";
    public static final String FORGET_SESSIONS = "__session-forget";
    static final int BATCH = 500;

    private final Store store;
    private final WritePath writePath;
    private final LongSupplier clock;
    private final ServerStats stats;

    public ExpirySweeper(Store store, WritePath writePath, LongSupplier clock, ServerStats stats) {
        this.store = store;
        this.writePath = writePath;
        this.clock = clock;
        this.stats = stats;
    }

    /** One sweep round; loops while full batches of due keys keep coming (bounded per tick). */
    public void sweepOnce() {
        if (!writePath.acceptsWrites()) {
            return; // only the leader expires keys, by proposing deletes; replicas apply them
        }
        try {
            for (int round = 0; round < 20; round++) {
                long now = clock.getAsLong();
                List<byte[]> args = new ArrayList<>();
                args.add(COMMAND.getBytes(StandardCharsets.US_ASCII));
                try (KvCursor c = store.engine().reader().cursor(Cf.EXPIRE, null, null)) {
                    c.seekToFirst();
                    while (c.valid() && args.size() < 1 + 2 * BATCH) {
                        byte[] k = c.key();
                        long at = KeyCodec.expireKeyTime(k);
                        if (at > now) {
                            break;
                        }
                        args.add(KeyCodec.expireKeyUserKey(k));
                        args.add(Long.toString(at).getBytes(StandardCharsets.US_ASCII));
                        c.next();
                    }
                }
                if (args.size() == 1) {
                    return;
                }
                var reply = writePath.submit(new Proposal(COMMAND, args, now, 0)).get(10, TimeUnit.SECONDS);
                if (reply instanceof io.basalt.server.resp.Reply.Int n) {
                    stats.expiredKeys.add(n.value());
                }
                if (args.size() < 1 + 2 * BATCH) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ExpirySweeper.class).warn("expiry sweep failed", e);
        }
    }

    /**
     * Forgets dedup sessions (BASALT SESSION) whose newest write is older than {@code idleMs}: the
     * leader proposes it, so every replica drops the same records; a session used meanwhile is kept.
     */
    public void sweepSessions(long idleMs) {
        if (idleMs <= 0 || !writePath.acceptsWrites()) {
            return;
        }
        try {
            long now = clock.getAsLong();
            List<byte[]> args = new ArrayList<>();
            args.add(FORGET_SESSIONS.getBytes(StandardCharsets.US_ASCII));
            try (io.basalt.server.storage.types.Keyspace ks = store.reader(now)) {
                for (var e : ks.records(Applier.SESSION_LAST).entrySet()) {
                    long lastMs = java.nio.ByteBuffer.wrap(e.getValue()).getLong(8);
                    if (lastMs < now - idleMs && args.size() < 1 + 2 * BATCH) {
                        args.add(e.getKey().getBytes(StandardCharsets.US_ASCII));
                        args.add(Long.toString(lastMs).getBytes(StandardCharsets.US_ASCII));
                    }
                }
            }
            if (args.size() > 1) {
                writePath.submit(new Proposal(FORGET_SESSIONS, args, now, 0)).get(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            org.slf4j.LoggerFactory.getLogger(ExpirySweeper.class).warn("session sweep failed", e);
        }
    }
}
