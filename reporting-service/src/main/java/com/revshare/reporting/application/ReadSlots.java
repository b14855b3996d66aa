package com.revshare.reporting.application;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Bounded concurrency of API reads per caller (issue 12.4): a caller (token subject) runs at most
 * {@code perCaller} reads at once; a further read waits up to {@code waitMs} for one of them to
 * finish, then is refused with 429. One caller opening many statements at once therefore takes
 * at most {@code perCaller} connections of the read pool, and the others keep theirs. Counts are
 * kept only while a caller has a read running, so the map does not grow with the callers seen.
 */
public final class ReadSlots {
    private final int perCaller;
    private final long waitMs;
    private final Map<String, Integer> running = new HashMap<>();

    public ReadSlots(int perCaller, long waitMs) {
        if (perCaller < 1 || waitMs < 0) {
            throw new IllegalArgumentException("perCaller must be ≥ 1 and waitMs ≥ 0");
        }
        this.perCaller = perCaller;
        this.waitMs = waitMs;
    }

    /** A read slot held by a caller; closing it lets the caller's next read run. */
    public interface Slot extends AutoCloseable {
        @Override
        void close();
    }

    /** Takes one of the caller's slots, waiting at most the configured time; 429 when none frees up. */
    public Slot acquire(String caller) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
        synchronized (this) {
            try {
                while (running.getOrDefault(caller, 0) >= perCaller) {
                    long leftNanos = deadline - System.nanoTime();
                    if (leftNanos <= 0) {
                        throw ApiProblem.tooManyRequests("at most " + perCaller
                                + " reports may be read at once with one token; retry when one has finished");
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, leftNanos);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiProblem.tooManyRequests("interrupted while waiting for a read slot");
            }
            running.merge(caller, 1, Integer::sum);
        }
        boolean[] closed = { false };
        return () -> {
            synchronized (this) {
                if (closed[0]) {
                    return;
                }
                closed[0] = true;
                running.computeIfPresent(caller, (k, n) -> n == 1 ? null : n - 1);
                notifyAll();
            }
        };
    }

    /** Reads the caller is running now (for tests and logs). */
    public synchronized int running(String caller) {
        return running.getOrDefault(caller, 0);
    }
}
