package io.basalt.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.ProtocolKeyword;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK's meters:
 * <ul>
 *   <li>{@code basalt.client.command.latency} (tag {@code command}) — per-command latency as the
 *       application sees it: from dispatch to the final reply, redirects and retries included;
 *   <li>{@code basalt.client.redirects} (tag {@code type}: moved, ask) — redirects followed;
 *   <li>{@code basalt.client.topology.refreshes} (tag {@code source}: zookeeper, servers) — maps applied;
 *   <li>{@code basalt.client.retries} (tag {@code reason}: tryagain, clusterdown, unreachable) — retries scheduled;
 *   <li>{@code basalt.client.failures} (tag {@code reason}: retry-time, retry-buffer, leader-changed);
 *   <li>gauges {@code basalt.client.topology.epoch} and {@code basalt.client.retries.pending}.
 * </ul>
 */
final class BasaltMetrics {
    private final MeterRegistry registry;
    private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final boolean latencyEnabled;
    /** Timers of Lettuce's {@link CommandType}s by ordinal (a lookup without hashing); others in a map. */
    private final Timer[] byType = new Timer[CommandType.values().length];
    private final ConcurrentHashMap<String, Timer> otherTimers = new ConcurrentHashMap<>();
    final AtomicLong epoch = new AtomicLong();
    final AtomicInteger pendingRetries = new AtomicInteger();

    BasaltMetrics(MeterRegistry registry, boolean latencyEnabled) {
        this.registry = registry;
        this.latencyEnabled = latencyEnabled;
        Gauge.builder("basalt.client.topology.epoch", epoch, AtomicLong::get)
                .description("epoch of the cluster map in use").register(registry);
        Gauge.builder("basalt.client.retries.pending", pendingRetries, AtomicInteger::get)
                .description("commands waiting for a retry").register(registry);
    }

    MeterRegistry registry() {
        return registry;
    }

    void latency(ProtocolKeyword type, long nanos) {
        if (!latencyEnabled) {
            return;
        }
        Timer t;
        if (type instanceof CommandType ct) {
            t = byType[ct.ordinal()];
            if (t == null) {
                t = timer(ct.name());
                byType[ct.ordinal()] = t; // racy but idempotent: the registry returns the same timer
            }
        } else {
            t = otherTimers.computeIfAbsent(type.toString(), this::timer);
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    private Timer timer(String command) {
        return Timer.builder("basalt.client.command.latency").tag("command", command)
                .description("command latency seen by the application (redirects and retries included)")
                .register(registry);
    }

    void redirect(String type) {
        counter("basalt.client.redirects", "type", type).increment();
    }

    void refresh(String source) {
        counter("basalt.client.topology.refreshes", "source", source).increment();
    }

    void retry(String reason) {
        counter("basalt.client.retries", "reason", reason).increment();
    }

    void failure(String reason) {
        counter("basalt.client.failures", "reason", reason).increment();
    }

    double count(String name, String tag, String value) {
        return counter(name, tag, value).count();
    }

    private Counter counter(String name, String tag, String value) {
        return counters.computeIfAbsent(name + '\0' + value,
                k -> Counter.builder(name).tag(tag, value).register(registry));
    }
}
