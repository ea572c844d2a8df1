package io.basalt.client;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK's own meters (per-command latency is Lettuce's {@code lettuce.command.completion} /
 * {@code lettuce.command.firstresponse} timers, recorded into the same registry):
 * <ul>
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
    final AtomicLong epoch = new AtomicLong();
    final AtomicInteger pendingRetries = new AtomicInteger();

    BasaltMetrics(MeterRegistry registry) {
        this.registry = registry;
        Gauge.builder("basalt.client.topology.epoch", epoch, AtomicLong::get)
                .description("epoch of the cluster map in use").register(registry);
        Gauge.builder("basalt.client.retries.pending", pendingRetries, AtomicInteger::get)
                .description("commands waiting for a retry").register(registry);
    }

    MeterRegistry registry() {
        return registry;
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
