package com.revshare.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * How the run waits for the system: a condition with a timeout (setup), progress towards a
 * target that fails when it stands still for --stall-seconds (the phases), a topic's end
 * offset. Failures carry the offsets, rejections and service logs that explain a stall.
 */
final class Waits {
    private final Log log;
    private final int stallSeconds;
    private final KafkaProbe probe;
    private final SystemUnderTest sut;
    private final FreshnessPoller poller;

    Waits(Log log, int stallSeconds, KafkaProbe probe, SystemUnderTest sut, FreshnessPoller poller) {
        this.log = log;
        this.stallSeconds = stallSeconds;
        this.probe = probe;
        this.sut = sut;
        this.poller = poller;
    }

    /** Polls {@code condition} every 200 ms until it holds; a timeout fails with the last error seen. */
    static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                if (condition.getAsBoolean()) {
                    return;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            sleep(200);
        }
        throw new IllegalStateException("timed out waiting until " + what + (last != null ? ": " + last.getMessage() : ""));
    }

    /** Waits for {@code done}, failing when {@code progress} stands still for --stall-seconds. */
    void progress(String what, BooleanSupplier done, LongSupplier progress, long target) {
        long lastValue = -1;
        long lastChange = System.nanoTime();
        long lastLog = System.nanoTime();
        while (!done.getAsBoolean()) {
            long v = progress.getAsLong();
            long now = System.nanoTime();
            if (v != lastValue) {
                lastValue = v;
                lastChange = now;
            } else if (now - lastChange > stallSeconds * 1_000_000_000L) {
                throw new IllegalStateException(what + " stalled at " + v + " of " + target + " for "
                        + stallSeconds + " s" + diagnostics());
            }
            if (now - lastLog > 10_000_000_000L) {
                log.line(String.format(Locale.ROOT, "  ... %s: %,d of %,d", what, v, target));
                lastLog = now;
            }
            sleep(50);
        }
    }

    /** Waits until the topic's end offset reaches {@code target}; the time it did, sampled every 50 ms. */
    long offset(String what, String topic, long target) {
        long[] last = {probe.endOffsets(List.of(topic)).get(topic)};
        long[] doneAt = {0};
        progress(what, () -> {
            last[0] = probe.endOffsets(List.of(topic)).get(topic);
            if (last[0] >= target && doneAt[0] == 0) {
                doneAt[0] = System.nanoTime();
            }
            return last[0] >= target;
        }, () -> last[0], target);
        return doneAt[0];
    }

    /** Watches a topic's end offset every 100 ms from now on; the value is the time it first moved past {@code base}. */
    AtomicLong firstProgress(String topic, long base) {
        AtomicLong first = new AtomicLong();
        Thread t = new Thread(() -> {
            try (KafkaProbe own = new KafkaProbe(sut.infra.kafkaBootstrap())) {
                while (first.get() == 0) {
                    if (own.endOffsets(List.of(topic)).get(topic) > base) {
                        first.set(System.nanoTime());
                    } else {
                        Thread.sleep(100);
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "benchmark-first-progress");
        t.setDaemon(true);
        t.start();
        return first;
    }

    private String diagnostics() {
        StringBuilder d = new StringBuilder();
        try {
            Map<String, Long> ends = probe.endOffsets(KafkaProbe.TOPICS);
            Map<String, Long> committed = probe.committed(KafkaProbe.GROUP_INPUTS);
            d.append("; end offsets ").append(ends).append(", committed ").append(committed);
            d.append(", rejections ").append(Rejections.summary(sut.infra.kafkaBootstrap(), 20));
        } catch (RuntimeException e) {
            d.append("; diagnostics failed: ").append(e.getMessage());
        }
        if (poller.lastError() != null) {
            d.append(", freshness error: ").append(poller.lastError());
        }
        d.append(", service logs in ").append(sut.logDir());
        return d.toString();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
