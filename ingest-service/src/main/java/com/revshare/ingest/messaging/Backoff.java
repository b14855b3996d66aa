package com.revshare.ingest.messaging;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Exponential back-off for a background loop that must never die; waiting ends early on shutdown. */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final CountDownLatch stopped;
    private long currentMs;

    Backoff(long initialMs, long maxMs, CountDownLatch stopped) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.stopped = stopped;
        this.currentMs = initialMs;
    }

    /** Waits the current delay (or until stopped), then doubles it up to the maximum. */
    void pause() {
        try {
            stopped.await(currentMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        currentMs = Math.min(maxMs, currentMs * 2);
    }

    void reset() {
        currentMs = initialMs;
    }
}
