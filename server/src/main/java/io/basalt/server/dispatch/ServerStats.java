package io.basalt.server.dispatch;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counters INFO reports: per command (commandstats), per error code (errorstats), totals. */
public final class ServerStats {
    /** calls, microseconds, rejected (never ran: arity, auth…), failed (ran and replied an error). */
    public static final class CommandStat {
        public final LongAdder calls = new LongAdder();
        public final LongAdder usec = new LongAdder();
        public final LongAdder rejected = new LongAdder();
        public final LongAdder failed = new LongAdder();
    }

    private final ConcurrentHashMap<String, CommandStat> commands = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, LongAdder> errors = new ConcurrentHashMap<>();
    public final LongAdder totalCommands = new LongAdder();
    public final LongAdder totalConnections = new LongAdder();
    public final LongAdder rejectedConnections = new LongAdder();
    public final LongAdder netInputBytes = new LongAdder();
    public final LongAdder netOutputBytes = new LongAdder();
    public final LongAdder expiredKeys = new LongAdder();
    public final LongAdder keyspaceHits = new LongAdder();
    public final LongAdder keyspaceMisses = new LongAdder();
    public final LongAdder totalErrorReplies = new LongAdder();

    private volatile long sampleAtMs;
    private volatile long sampleCommands;
    private volatile long opsPerSec;

    /** Commands per second over the last sampling interval (INFO instantaneous_ops_per_sec). */
    public long opsPerSec() {
        return opsPerSec;
    }

    /** Called periodically (every 100 ms by the node's timer). */
    public void sample(long nowMs) {
        long cmds = totalCommands.sum();
        long dt = nowMs - sampleAtMs;
        if (sampleAtMs != 0 && dt > 0) {
            opsPerSec = (cmds - sampleCommands) * 1000 / dt;
        }
        sampleAtMs = nowMs;
        sampleCommands = cmds;
    }

    public CommandStat command(String name) {
        CommandStat s = commands.get(name);
        return s != null ? s : commands.computeIfAbsent(name, n -> new CommandStat());
    }

    public void error(String code) {
        totalErrorReplies.increment();
        errors.computeIfAbsent(code, c -> new LongAdder()).increment();
    }

    public Map<String, CommandStat> commands() {
        return new TreeMap<>(commands);
    }

    public Map<String, Long> errors() {
        Map<String, Long> out = new TreeMap<>();
        errors.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /** CONFIG RESETSTAT. */
    public void reset() {
        commands.clear();
        errors.clear();
        totalCommands.reset();
        totalConnections.reset();
        rejectedConnections.reset();
        netInputBytes.reset();
        netOutputBytes.reset();
        expiredKeys.reset();
        keyspaceHits.reset();
        keyspaceMisses.reset();
        totalErrorReplies.reset();
    }
}
