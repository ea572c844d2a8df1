package io.basalt.it;

import io.basalt.client.BasaltClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.async.RedisStringAsyncCommands;
import io.lettuce.core.api.sync.RedisStringCommands;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The SDK load generator of {@code bench/cluster.sh}, against a running cluster:
 *
 * <pre>java -cp … io.basalt.it.SdkLoad ZK CLUSTER SECONDS [THREADS] [WINDOW]</pre>
 *
 * <p>SET then GET, each {@code SECONDS} long: sync ({@code THREADS} threads, one command at a time
 * each, default 4 — the figure the issue tracks), then async ({@code WINDOW} commands in flight on
 * one connection, default 64). Keys {@code sdk:0..9999}, 16-byte values. One line per run:
 * {@code SDKLOAD op mode rps p50_ms p99_ms errors}.
 */
public final class SdkLoad {
    private static final int KEYS = 10_000;

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: SdkLoad ZK CLUSTER SECONDS [THREADS] [WINDOW]");
            System.exit(2);
        }
        int seconds = Integer.parseInt(args[2]);
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 4;
        int window = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        try (BasaltClient client = BasaltClient.create(args[0], args[1]);
                StatefulRedisClusterConnection<String, String> c = client.connect()) {
            run(c, "SET", "sync", threads, window, 1); // warm-up (JIT, connections)
            run(c, "GET", "sync", threads, window, 1);
            String only = System.getProperty("sdkload.only", ""); // e.g. "SET:sync"
            for (String op : List.of("SET", "GET")) {
                for (String mode : List.of("sync", "async")) {
                    if (only.isEmpty() || only.equals(op + ":" + mode)) {
                        run(c, op, mode, threads, window, seconds);
                    }
                }
            }
        }
        System.exit(0);
    }

    private static void run(StatefulConnection<String, String> conn, String op, String mode, int threads, int window,
            int seconds) throws Exception {
        @SuppressWarnings("unchecked")
        StatefulRedisClusterConnection<String, String> c = (StatefulRedisClusterConnection<String, String>) conn;
        AtomicBoolean stop = new AtomicBoolean();
        AtomicLong errors = new AtomicLong();
        int n = mode.equals("sync") ? threads : 1;
        List<long[]> latencies = new ArrayList<>();
        List<int[]> counts = new ArrayList<>();
        List<Thread> ts = new ArrayList<>();
        String value = "v".repeat(16);
        for (int w = 0; w < n; w++) {
            long[] lat = new long[1 << 22];
            int[] count = new int[1];
            latencies.add(lat);
            counts.add(count);
            int id = w;
            Thread t = new Thread(() -> {
                if (mode.equals("sync")) {
                    RedisStringCommands<String, String> s = c.sync();
                    for (int i = id; !stop.get(); i += n) {
                        String k = "sdk:" + (i % KEYS);
                        long t0 = System.nanoTime();
                        try {
                            if (op.equals("SET")) {
                                s.set(k, value);
                            } else {
                                s.get(k);
                            }
                        } catch (RuntimeException e) {
                            errors.incrementAndGet();
                        }
                        if (count[0] < lat.length) {
                            lat[count[0]++] = System.nanoTime() - t0;
                        }
                    }
                } else {
                    RedisStringAsyncCommands<String, String> a = c.async();
                    Semaphore slots = new Semaphore(window);
                    AtomicLong done = new AtomicLong();
                    try {
                        for (int i = 0; !stop.get(); i++) {
                            slots.acquire();
                            String k = "sdk:" + (i % KEYS);
                            long t0 = System.nanoTime();
                            (op.equals("SET") ? a.set(k, value) : a.get(k)).whenComplete((v, e) -> {
                                if (e != null) {
                                    errors.incrementAndGet();
                                }
                                synchronized (lat) {
                                    if (count[0] < lat.length) {
                                        lat[count[0]++] = System.nanoTime() - t0;
                                    }
                                }
                                done.incrementAndGet();
                                slots.release();
                            });
                        }
                        slots.acquire(window);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            });
            ts.add(t);
        }
        long start = System.nanoTime();
        ts.forEach(Thread::start);
        Thread.sleep(seconds * 1000L);
        stop.set(true);
        for (Thread t : ts) {
            t.join(60_000);
        }
        double secs = (System.nanoTime() - start) / 1e9;
        int total = 0;
        for (int[] k : counts) {
            total += k[0];
        }
        long[] all = new long[total];
        int pos = 0;
        for (int i = 0; i < latencies.size(); i++) {
            synchronized (latencies.get(i)) {
                System.arraycopy(latencies.get(i), 0, all, pos, counts.get(i)[0]);
                pos += counts.get(i)[0];
            }
        }
        Arrays.sort(all);
        double p50 = total == 0 ? 0 : all[total / 2] / 1e6;
        double p99 = total == 0 ? 0 : all[Math.min(total - 1, (int) (total * 0.99))] / 1e6;
        if (seconds > 1) {
            System.out.printf(Locale.ROOT, "SDKLOAD %s %s %.0f %.3f %.3f %d%n", op, mode, total / secs, p50, p99, errors.get());
        }
    }

    private SdkLoad() {}
}
