package io.basalt.server.metrics;

import java.util.EnumMap;
import java.util.Map;

/**
 * Where a request's time goes, stage by stage, in microseconds: the latency budget of the write
 * and read paths, measured in production. Off by default ({@code latency-stages yes} turns it on at
 * run time, {@code BASALT LATENCY} reports, {@code BASALT LATENCY RESET} clears): when off, a stage
 * costs one volatile read; when on, two clock reads and a histogram update.
 */
public final class LatencyStages {
    /** The stages, in the order a write (then a read) meets them. */
    public enum Stage {
        WRITE_QUEUE("write: submitted by the connection -> taken into a log entry (per write)"),
        LOG_SYNC("log: write + fsync of what a turn appended (per sync, any replica)"),
        REPLICATE("write: entry appended by the leader -> committed by a majority (per entry)"),
        FOLLOWER_ACK("follower: entries received -> synced and acknowledged (per turn)"),
        APPLY_WAIT("write: committed -> the apply thread starts it (per entry)"),
        APPLY("write: apply of one entry or batch, one RocksDB write (per entry)"),
        REPLY("write: applied -> reply written to the client's socket (per write)"),
        WRITE_TOTAL("write: request decoded -> reply written (per write)"),
        READ_BARRIER("read: waits until leadership is confirmed and the read index applied (per barrier)");

        final String description;

        Stage(String description) {
            this.description = description;
        }
    }

    private final Map<Stage, Histogram> histograms = new EnumMap<>(Stage.class);
    private volatile boolean enabled;

    public LatencyStages() {
        for (Stage s : Stage.values()) {
            histograms.put(s, new Histogram());
        }
    }

    public boolean enabled() {
        return enabled;
    }

    public void enable(boolean on) {
        enabled = on;
    }

    /** A start time for {@link #end}, or 0 when tracking is off. */
    public long start() {
        return enabled ? System.nanoTime() : 0;
    }

    /** Records the stage that began at {@code startNanos} (ignored if that was 0: tracking was off). */
    public void end(Stage s, long startNanos) {
        if (startNanos != 0 && enabled) {
            histograms.get(s).record((System.nanoTime() - startNanos) / 1000);
        }
    }

    /** Records a duration measured elsewhere. */
    public void record(Stage s, long nanos) {
        if (enabled) {
            histograms.get(s).record(nanos / 1000);
        }
    }

    public void reset() {
        for (Histogram h : histograms.values()) {
            h.reset();
        }
    }

    /** One line per stage that has samples: name, count, mean, p50, p90, p99, p99.9, max (us). */
    public String report() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-13s %10s %9s %8s %8s %8s %8s %9s  (microseconds; tracking %s)%n", "stage", "count", "mean",
                "p50", "p90", "p99", "p99.9", "max", enabled ? "on" : "off"));
        for (Stage s : Stage.values()) {
            Histogram h = histograms.get(s);
            if (h.count() == 0) {
                continue;
            }
            sb.append(String.format("%-13s %10d %9.1f %8d %8d %8d %8d %9d  %s%n", s.name().toLowerCase(java.util.Locale.ROOT),
                    h.count(), h.mean(), h.percentile(0.5), h.percentile(0.9), h.percentile(0.99), h.percentile(0.999),
                    h.max(), s.description));
        }
        return sb.toString();
    }

    public Histogram histogram(Stage s) {
        return histograms.get(s);
    }
}
