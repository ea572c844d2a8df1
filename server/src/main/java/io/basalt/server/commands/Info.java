package io.basalt.server.commands;

import io.basalt.server.Node;
import io.basalt.server.Version;
import io.basalt.server.dispatch.Args;
import io.basalt.server.dispatch.CommandContext;
import io.basalt.server.dispatch.ServerStats;
import io.basalt.server.storage.engine.RocksEngine;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** INFO: Redis's sections and field names, with RocksDB figures where Redis would report its own. */
final class Info {
    private static final List<String> DEFAULT = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "errorstats", "cluster", "keyspace");
    private static final List<String> ALL = List.of("server", "clients", "memory", "persistence", "stats",
            "replication", "cpu", "commandstats", "errorstats", "cluster", "keyspace");

    private Info() {}

    static String render(CommandContext ctx) {
        Args a = ctx.args();
        Set<String> wanted = new LinkedHashSet<>();
        if (a.size() == 1) {
            wanted.addAll(DEFAULT);
        }
        for (int i = 1; i < a.size(); i++) {
            String s = a.string(i).toLowerCase(Locale.ROOT);
            switch (s) {
                case "default" -> wanted.addAll(DEFAULT);
                case "all", "everything" -> wanted.addAll(ALL);
                default -> wanted.add(s);
            }
        }
        StringBuilder sb = new StringBuilder();
        Node node = ctx.node();
        for (String section : ALL) {
            if (!wanted.contains(section)) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append("\r\n");
            }
            sb.append("# ").append(Character.toUpperCase(section.charAt(0))).append(section.substring(1)).append("\r\n");
            switch (section) {
                case "server" -> server(sb, node, ctx);
                case "clients" -> clients(sb, node);
                case "memory" -> memory(sb, node);
                case "persistence" -> persistence(sb, node);
                case "stats" -> stats(sb, node);
                case "replication" -> sb.append(node.writePath().replicationInfo()).append("master_failover_state:no-failover\r\n")
                        .append("master_replid:").append(node.runId()).append("\r\nmaster_repl_offset:0\r\n");
                case "cpu" -> cpu(sb);
                case "cluster" -> sb.append("cluster_enabled:").append(node.cluster().enabled() ? 1 : 0).append("\r\n");
                case "commandstats" -> commandstats(sb, node);
                case "errorstats" -> node.stats().errors().forEach((code, n) ->
                        sb.append("errorstat_").append(code).append(":count=").append(n).append("\r\n"));
                case "keyspace" -> {
                    long keys = node.store().counts().total();
                    if (keys > 0) {
                        sb.append("db0:keys=").append(keys).append(",expires=").append(node.store().counts().expires())
                                .append(",avg_ttl=0\r\n");
                    }
                }
                default -> {
                }
            }
        }
        return sb.toString();
    }

    private static void field(StringBuilder sb, String k, Object v) {
        sb.append(k).append(':').append(v).append("\r\n");
    }

    private static void server(StringBuilder sb, Node node, CommandContext ctx) {
        long uptime = (ctx.nowMs() - node.startMs()) / 1000;
        field(sb, "redis_version", Version.REDIS_VERSION);
        field(sb, "basalt_version", Version.VERSION);
        field(sb, "redis_mode", "standalone");
        field(sb, "os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        field(sb, "arch_bits", System.getProperty("sun.arch.data.model", "64"));
        field(sb, "java_version", System.getProperty("java.version"));
        field(sb, "process_id", ProcessHandle.current().pid());
        field(sb, "run_id", node.runId());
        field(sb, "tcp_port", ctx.session().localAddress().replaceAll(".*:", ""));
        field(sb, "server_time_usec", ctx.nowMs() * 1000);
        field(sb, "uptime_in_seconds", uptime);
        field(sb, "uptime_in_days", uptime / 86400);
        field(sb, "hz", node.config().get("hz"));
        field(sb, "executable", ProcessHandle.current().info().command().orElse(""));
        field(sb, "config_file", "");
    }

    private static void clients(StringBuilder sb, Node node) {
        field(sb, "connected_clients", node.clients().size());
        field(sb, "maxclients", node.config().get("maxclients"));
        field(sb, "blocked_clients", 0);
        field(sb, "tracking_clients", 0);
        field(sb, "pubsub_clients", 0);
    }

    private static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + "B";
        }
        String[] units = {"K", "M", "G", "T"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.2f%s", v, units[u]);
    }

    static long rss() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split(" ");
            return Long.parseLong(statm[1]) * 4096;
        } catch (Exception e) {
            return 0;
        }
    }

    private static void memory(StringBuilder sb, Node node) {
        Runtime rt = Runtime.getRuntime();
        long used = rt.totalMemory() - rt.freeMemory();
        long rss = rss();
        RocksEngine e = node.store().engine();
        field(sb, "used_memory", used);
        field(sb, "used_memory_human", human(used));
        field(sb, "used_memory_rss", rss);
        field(sb, "used_memory_rss_human", human(rss));
        field(sb, "used_memory_peak", rt.totalMemory());
        field(sb, "jvm_heap_max", rt.maxMemory());
        field(sb, "rocksdb_block_cache_capacity", e.blockCacheCapacity());
        field(sb, "rocksdb_block_cache_usage", e.blockCacheUsage());
        field(sb, "rocksdb_block_cache_pinned_usage", e.blockCachePinnedUsage());
        field(sb, "rocksdb_memtables", e.longProperty("rocksdb.cur-size-all-mem-tables"));
        field(sb, "rocksdb_table_readers", e.longProperty("rocksdb.estimate-table-readers-mem"));
        field(sb, "maxmemory", 0);
        field(sb, "maxmemory_policy", "noeviction");
        field(sb, "mem_allocator", "jvm+rocksdb");
    }

    private static void persistence(StringBuilder sb, Node node) {
        RocksEngine e = node.store().engine();
        field(sb, "loading", 0);
        field(sb, "async_loading", 0);
        field(sb, "rdb_changes_since_last_save", 0);
        field(sb, "rdb_bgsave_in_progress", 0);
        field(sb, "rdb_last_save_time", node.startMs() / 1000);
        field(sb, "rdb_last_bgsave_status", "ok");
        field(sb, "aof_enabled", 0);
        field(sb, "aof_rewrite_in_progress", 0);
        field(sb, "appendfsync", node.config().get("appendfsync"));
        field(sb, "rocksdb_disk_bytes", e.diskBytes());
        field(sb, "rocksdb_sst_bytes", e.longProperty("rocksdb.total-sst-files-size"));
        field(sb, "rocksdb_blob_bytes", e.longProperty("rocksdb.total-blob-file-size"));
        field(sb, "rocksdb_estimate_num_keys", e.longProperty(io.basalt.server.storage.engine.Cf.META, "rocksdb.estimate-num-keys"));
        field(sb, "rocksdb_pending_compaction_bytes", e.longProperty("rocksdb.estimate-pending-compaction-bytes"));
        field(sb, "rocksdb_running_compactions", e.longProperty(io.basalt.server.storage.engine.Cf.META, "rocksdb.num-running-compactions"));
        field(sb, "rocksdb_l0_files", e.longProperty("rocksdb.num-files-at-level0"));
    }

    private static void stats(StringBuilder sb, Node node) {
        ServerStats s = node.stats();
        field(sb, "total_connections_received", s.totalConnections.sum());
        field(sb, "total_commands_processed", s.totalCommands.sum());
        field(sb, "instantaneous_ops_per_sec", s.opsPerSec());
        field(sb, "total_net_input_bytes", s.netInputBytes.sum());
        field(sb, "total_net_output_bytes", s.netOutputBytes.sum());
        field(sb, "rejected_connections", s.rejectedConnections.sum());
        field(sb, "expired_keys", s.expiredKeys.sum());
        field(sb, "evicted_keys", 0);
        field(sb, "keyspace_hits", s.keyspaceHits.sum());
        field(sb, "keyspace_misses", s.keyspaceMisses.sum());
        field(sb, "pubsub_channels", 0);
        field(sb, "pubsub_patterns", 0);
        field(sb, "total_error_replies", s.totalErrorReplies.sum());
    }

    private static void cpu(StringBuilder sb) {
        double sys = 0;
        double user = 0;
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            double tick = 100.0;
            user = Long.parseLong(f[11]) / tick;
            sys = Long.parseLong(f[12]) / tick;
        } catch (Exception e) {
            user = ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0;
        }
        field(sb, "used_cpu_sys", String.format(Locale.ROOT, "%.6f", sys));
        field(sb, "used_cpu_user", String.format(Locale.ROOT, "%.6f", user));
    }

    private static void commandstats(StringBuilder sb, Node node) {
        for (Map.Entry<String, ServerStats.CommandStat> e : node.stats().commands().entrySet()) {
            ServerStats.CommandStat c = e.getValue();
            long calls = c.calls.sum();
            long usec = c.usec.sum();
            if (calls == 0 && c.rejected.sum() == 0) {
                continue;
            }
            sb.append("cmdstat_").append(e.getKey()).append(":calls=").append(calls).append(",usec=").append(usec)
                    .append(",usec_per_call=").append(String.format(Locale.ROOT, "%.2f", calls == 0 ? 0.0 : (double) usec / calls))
                    .append(",rejected_calls=").append(c.rejected.sum()).append(",failed_calls=").append(c.failed.sum()).append("\r\n");
        }
    }

    static List<String> sections() {
        return new ArrayList<>(ALL);
    }
}
