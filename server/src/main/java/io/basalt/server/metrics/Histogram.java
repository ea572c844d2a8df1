package io.basalt.server.metrics;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAccumulator;
import java.util.concurrent.atomic.LongAdder;

/**
 * A lock-free histogram of non-negative values (microseconds here): exact below 64, then 16 buckets
 * per power of two (at most ~6 % apart), so percentiles are within a few percent. Recording is a
 * few atomic increments; any thread may record while another reads.
 */
public final class Histogram {
    private static final int SUB = 16;
    private static final int LINEAR = 64;
    private static final int BUCKETS = LINEAR + (63 - 6) * SUB;

    private final AtomicLongArray counts = new AtomicLongArray(BUCKETS);
    private final LongAdder count = new LongAdder();
    private final LongAdder sum = new LongAdder();
    private final LongAccumulator max = new LongAccumulator(Math::max, 0);

    public void record(long value) {
        long v = Math.max(0, value);
        counts.incrementAndGet(bucket(v));
        count.increment();
        sum.add(v);
        max.accumulate(v);
    }

    static int bucket(long v) {
        if (v < LINEAR) {
            return (int) v;
        }
        int exp = 63 - Long.numberOfLeadingZeros(v); // >= 6
        int sub = (int) ((v >>> (exp - 4)) & (SUB - 1));
        return LINEAR + (exp - 6) * SUB + sub;
    }

    /** The smallest value of bucket {@code b}. */
    static long lowest(int b) {
        if (b < LINEAR) {
            return b;
        }
        int exp = (b - LINEAR) / SUB + 6;
        int sub = (b - LINEAR) % SUB;
        return (1L << exp) + ((long) sub << (exp - 4));
    }

    public long count() {
        return count.sum();
    }

    public double mean() {
        long n = count.sum();
        return n == 0 ? 0 : (double) sum.sum() / n;
    }

    public long max() {
        return max.get();
    }

    /** The value at quantile {@code q} (0..1), from the bucket it falls in (its midpoint). */
    public long percentile(double q) {
        long n = 0;
        long[] c = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            c[i] = counts.get(i);
            n += c[i];
        }
        if (n == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * n);
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            seen += c[i];
            if (seen >= rank && c[i] > 0) {
                long lo = lowest(i);
                long hi = i + 1 < BUCKETS ? lowest(i + 1) : lo;
                return Math.min(max.get(), hi - lo <= 1 ? lo : (lo + hi) / 2);
            }
        }
        return max.get();
    }

    public void reset() {
        for (int i = 0; i < BUCKETS; i++) {
            counts.set(i, 0);
        }
        count.reset();
        sum.reset();
        max.reset();
    }
}
