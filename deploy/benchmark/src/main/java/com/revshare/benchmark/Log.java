package com.revshare.benchmark;

import java.util.Locale;

/** The run's progress lines, each with the seconds since the run started. */
final class Log {
    private final long startNanos;

    Log(long startNanos) {
        this.startNanos = startNanos;
    }

    long startNanos() {
        return startNanos;
    }

    /** Seconds since the run started (the timeline's x axis). */
    double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    void line(String line) {
        System.out.printf(Locale.ROOT, "[benchmark %6.1fs] %s%n", seconds(), line);
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** Micros as milliseconds with one decimal; -1 stays -1 (no sample). */
    static double ms(long micros) {
        return micros < 0 ? -1 : round(micros / 1000.0, 1);
    }
}
