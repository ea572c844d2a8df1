package io.basalt.server.write;

import io.basalt.server.resp.Reply;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The standalone write path: one applier thread drains whatever writes have queued up from all
 * connections and applies them as one batch and one RocksDB write (group commit), then completes
 * their replies. Under load a batch holds hundreds of commands, so the per-write cost of the
 * RocksDB write and of an fsync is shared.
 */
public final class LocalWritePath implements WritePath {
    private static final Logger log = LoggerFactory.getLogger(LocalWritePath.class);

    private record Pending(Proposal proposal, Completion completion, long submitted) {}

    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Applier applier;
    private final IntSupplier maxBatch;
    private final BooleanSupplier syncEachBatch;
    private final io.basalt.server.metrics.LatencyStages latency;
    private final Thread thread;
    private volatile boolean running = true;

    public LocalWritePath(Applier applier, IntSupplier maxBatch, BooleanSupplier syncEachBatch) {
        this(applier, maxBatch, syncEachBatch, new io.basalt.server.metrics.LatencyStages());
    }

    public LocalWritePath(Applier applier, IntSupplier maxBatch, BooleanSupplier syncEachBatch,
            io.basalt.server.metrics.LatencyStages latency) {
        this.latency = latency;
        this.applier = applier;
        this.maxBatch = maxBatch;
        this.syncEachBatch = syncEachBatch;
        this.thread = new Thread(this::run, "basalt-apply");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void submit(Proposal proposal, Completion completion) {
        if (!running) {
            completion.complete(Reply.error("ERR server is shutting down"));
            return;
        }
        queue.add(new Pending(proposal, completion, latency.start()));
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        List<Proposal> proposals = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, Math.max(0, maxBatch.getAsInt() - 1));
                for (Pending p : batch) {
                    proposals.add(p.proposal());
                    latency.end(io.basalt.server.metrics.LatencyStages.Stage.WRITE_QUEUE, p.submitted());
                }
                long t0 = latency.start();
                List<Reply> replies = applier.apply(proposals, syncEachBatch.getAsBoolean());
                latency.end(io.basalt.server.metrics.LatencyStages.Stage.APPLY, t0);
                for (int i = 0; i < batch.size(); i++) {
                    complete(batch.get(i), replies.get(i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("apply loop error", e);
                for (Pending p : batch) {
                    complete(p, Reply.error("ERR " + e.getMessage()));
                }
            } finally {
                batch.clear();
                proposals.clear();
            }
        }
    }

    private static void complete(Pending p, Reply r) {
        try {
            p.completion().complete(r);
        } catch (RuntimeException e) {
            log.error("write completion failed", e);
        }
    }

    /** Stops accepting writes, applies what is queued, and waits for the applier to finish. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
