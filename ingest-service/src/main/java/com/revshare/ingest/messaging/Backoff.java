package com.revshare.ingest.messaging;

import com.revshare.platform.PollLoop;

/**
 * Exponential back-off for a background loop that must never die; waiting ends early only on the loop's stop.
 * A {@link PollLoop#wake()} does not cut it short (the relay is woken by every commit, and a broker outage
 * with intake going on must not turn the back-off into a retry per commit).
 */
final class Backoff {
    private final long initialMs;
    private final long maxMs;
    private final PollLoop loop;
    private long currentMs;

    Backoff(long initialMs, long maxMs, PollLoop loop) {
        this.initialMs = initialMs;
        this.maxMs = maxMs;
        this.loop = loop;
        this.currentMs = initialMs;
    }

    /** Waits the current delay (or until the loop stops), then doubles it up to the maximum. */
    void pause() {
        long deadline = System.nanoTime() + currentMs * 1_000_000L;
        long leftMs;
        while ((leftMs = (deadline - System.nanoTime()) / 1_000_000L) > 0 && loop.pause(leftMs)) {
            // woken early by a wake(): keep waiting out the delay
        }
        currentMs = Math.min(maxMs, currentMs * 2);
    }

    void reset() {
        currentMs = initialMs;
    }
}
