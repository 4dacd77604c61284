package dev.bluepost.bench;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/** Lock-free collector of long samples (nanoseconds or microseconds) with exact percentiles afterwards. */
final class Recorder {

    private final long[] values;
    private final AtomicInteger size = new AtomicInteger();
    private final AtomicInteger dropped = new AtomicInteger();

    Recorder(int capacity) {
        this.values = new long[Math.max(16, capacity)];
    }

    void add(long value) {
        int i = size.getAndIncrement();
        if (i < values.length) {
            values[i] = value;
        } else {
            dropped.incrementAndGet();
        }
    }

    int count() {
        return Math.min(size.get(), values.length);
    }

    int dropped() {
        return dropped.get();
    }

    /** Sorted copy of the samples. */
    long[] sorted() {
        long[] copy = Arrays.copyOf(values, count());
        Arrays.sort(copy);
        return copy;
    }

    /** Nearest-rank percentile of sorted samples; NaN when there are none. */
    static double percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
