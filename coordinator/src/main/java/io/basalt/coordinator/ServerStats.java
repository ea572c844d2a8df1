package io.basalt.coordinator;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A server's live figures for the dashboard, read with one {@code INFO everything} over RESP: ops/s,
 * keys, memory, disk, Raft role and lag. A server that does not answer within the timeout is
 * reported as down with the error.
 */
final class ServerStats {
    private ServerStats() {}

    private static final String[] FIELDS = {"instantaneous_ops_per_sec", "total_commands_processed",
        "connected_clients", "used_memory_rss", "rocksdb_disk_bytes", "uptime_in_seconds", "raft_role",
        "raft_term", "raft_commit_index", "raft_applied_index", "raft_leader", "role"};

    static Map<String, Object> read(String host, int port, int timeoutMs) {
        Map<String, Object> out = new LinkedHashMap<>();
        try {
            long t0 = System.nanoTime();
            RespCall.call(host, port, timeoutMs, "PING");
            long pingUs = (System.nanoTime() - t0) / 1_000;
            String info = RespCall.call(host, port, timeoutMs, "INFO", "everything");
            Map<String, String> all = new LinkedHashMap<>();
            long keys = 0;
            for (String line : info.split("\r\n")) {
                int c = line.indexOf(':');
                if (c <= 0) {
                    continue;
                }
                String k = line.substring(0, c);
                String v = line.substring(c + 1);
                all.put(k, v);
                if (k.startsWith("db") && v.startsWith("keys=")) {
                    keys += Long.parseLong(v.substring(5, v.indexOf(',') < 0 ? v.length() : v.indexOf(',')));
                }
            }
            out.put("up", true);
            out.put("keys", keys);
            out.put("ping_us", pingUs); // from the coordinator: connect + PING round trip
            long calls = 0;
            double usec = 0;
            for (Map.Entry<String, String> e : all.entrySet()) {
                if (e.getKey().startsWith("cmdstat_")) {
                    for (String kv : e.getValue().split(",")) {
                        if (kv.startsWith("calls=")) {
                            long n = Long.parseLong(kv.substring(6));
                            calls += n;
                        } else if (kv.startsWith("usec=")) {
                            usec += Long.parseLong(kv.substring(5));
                        }
                    }
                }
            }
            out.put("usec_per_call", calls == 0 ? 0 : Math.round(usec / calls * 10) / 10.0); // server-side, all commands
            for (String f : FIELDS) {
                String v = all.get(f);
                if (v != null) {
                    out.put(f, v.matches("-?\\d+") ? (Object) Long.parseLong(v) : v);
                }
            }
            long lagMax = 0;
            for (Map.Entry<String, String> e : all.entrySet()) {
                if (e.getKey().matches("slave\\d+") && e.getValue().contains("lag=")) {
                    String v = e.getValue();
                    int i = v.indexOf("lag=") + 4;
                    int j = v.indexOf(',', i);
                    lagMax = Math.max(lagMax, Long.parseLong(j < 0 ? v.substring(i) : v.substring(i, j)));
                }
            }
            out.put("max_follower_lag", lagMax);
        } catch (IOException | RuntimeException e) {
            out.put("up", false);
            out.put("error", e.toString());
        }
        return out;
    }
}
