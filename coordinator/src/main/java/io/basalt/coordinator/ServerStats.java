package io.basalt.coordinator;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
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
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            s.setSoTimeout(timeoutMs);
            OutputStream o = s.getOutputStream();
            o.write("*2\r\n$4\r\nINFO\r\n$10\r\neverything\r\n".getBytes(StandardCharsets.US_ASCII));
            o.flush();
            String info = readBulk(new BufferedInputStream(s.getInputStream()));
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

    private static String readBulk(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            head.append((char) c);
        }
        String h = head.toString().trim();
        if (!h.startsWith("$") && !h.startsWith("=")) {
            throw new IOException("unexpected INFO reply " + h);
        }
        int n = Integer.parseInt(h.substring(1));
        byte[] body = in.readNBytes(n);
        return new String(body, StandardCharsets.UTF_8);
    }
}
