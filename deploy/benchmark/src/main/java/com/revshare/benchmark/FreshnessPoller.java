package com.revshare.benchmark;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Polls reporting's {@code GET /api/v1/reports/freshness} in a loop and hands each answer (the
 * last applied sequence of each benchmark partner) to the current {@link PhaseTracker}: the time
 * at which a partner's sequence reaches n is when its n-th entry became visible.
 */
final class FreshnessPoller implements AutoCloseable {
    private final Api reporting;
    private final String token;
    private final List<String> partnerIds;
    private final int intervalMs;
    private final AtomicReference<PhaseTracker> tracker = new AtomicReference<>();
    private volatile long[] latest;
    private volatile boolean running = true;
    private volatile String lastError;
    private final Thread thread;

    FreshnessPoller(Api reporting, String token, List<String> partnerIds, int intervalMs) {
        this.reporting = reporting;
        this.token = token;
        this.partnerIds = List.copyOf(partnerIds);
        this.intervalMs = intervalMs;
        this.latest = new long[partnerIds.size()];
        this.thread = new Thread(this::loop, "benchmark-freshness");
        this.thread.setDaemon(true);
    }

    void start() {
        latest = poll();
        thread.start();
    }

    void track(PhaseTracker phase) {
        tracker.set(phase);
    }

    /** The last polled sequences, in partner order. */
    long[] latest() {
        return latest.clone();
    }

    long visibleTotal() {
        long sum = 0;
        for (long s : latest) {
            sum += s;
        }
        return sum;
    }

    String lastError() {
        return lastError;
    }

    /** One synchronous poll: each partner's last applied sequence (0 when reporting has none yet). */
    long[] poll() {
        JsonNode rows = reporting.get("/api/v1/reports/freshness", token);
        Map<String, Long> bySequence = new HashMap<>();
        for (JsonNode row : rows) {
            bySequence.put(row.path("partnerId").asText(), row.path("sequence").asLong());
        }
        long[] seq = new long[partnerIds.size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = bySequence.getOrDefault(partnerIds.get(i), 0L);
        }
        return seq;
    }

    private void loop() {
        while (running) {
            long started = System.nanoTime();
            try {
                long[] seq = poll();
                long at = System.nanoTime();
                latest = seq;
                PhaseTracker t = tracker.get();
                if (t != null) {
                    t.onVisible(at, seq);
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e.getMessage();
            }
            long sleepMs = intervalMs - (System.nanoTime() - started) / 1_000_000;
            if (sleepMs > 0) {
                try {
                    Thread.sleep(sleepMs);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
