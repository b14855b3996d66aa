package com.revshare.benchmark;

import java.util.Arrays;

/** Nearest-rank percentiles of a set of samples (e.g. latencies in microseconds). */
final class Percentiles {
    private final long[] sorted;

    Percentiles(long[] samples, int count) {
        this.sorted = Arrays.copyOf(samples, count);
        Arrays.sort(this.sorted);
    }

    int count() {
        return sorted.length;
    }

    /** The smallest sample with at least {@code p} percent of the samples at or below it; -1 when empty. */
    long at(double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    long max() {
        return sorted.length == 0 ? -1 : sorted[sorted.length - 1];
    }

    /** A growable array of longs, so millions of samples cost 8 bytes each. */
    static final class Samples {
        private long[] values = new long[1024];
        private int size;

        void add(long v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        long get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        Percentiles percentiles() {
            return new Percentiles(values, size);
        }
    }
}
