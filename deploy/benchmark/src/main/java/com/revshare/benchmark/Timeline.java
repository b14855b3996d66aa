package com.revshare.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Samples the system at a fixed interval for the whole run: topic end offsets, consumer groups'
 * committed offsets (lag), the events visible in reporting, and CPU and memory of each process.
 * Stage rates and lag over time are derived from consecutive points.
 */
final class Timeline implements AutoCloseable {
    /** One sample; {@code seconds} since the run started. */
    record Point(double seconds, String phase, Map<String, Long> endOffsets, Map<String, Long> committed,
            long visible, Map<String, ProcStats.Group> processes, double machineBusySeconds) {
        long lag(String group) {
            return endOffsets.getOrDefault(KafkaProbe.GROUP_INPUTS.get(group), 0L) - committed.getOrDefault(group, 0L);
        }
    }

    private final KafkaProbe probe;
    private final Map<String, Supplier<List<Long>>> groups;
    private final LongSupplier visible;
    private final long startNanos;
    private final List<Point> points = new ArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "benchmark-timeline");
        t.setDaemon(true);
        return t;
    });
    private volatile String phase = "setup";
    private volatile boolean closing;

    Timeline(KafkaProbe probe, Map<String, Supplier<List<Long>>> groups, LongSupplier visible, long startNanos) {
        this.probe = probe;
        this.groups = groups;
        this.visible = visible;
        this.startNanos = startNanos;
    }

    void start(int intervalMs) {
        executor.scheduleAtFixedRate(() -> {
            try {
                sample();
            } catch (RuntimeException e) {
                if (closing) {
                    return;
                }
                System.out.println("[benchmark] sample skipped: " + e + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
            }
        }, 0, intervalMs, TimeUnit.MILLISECONDS);
    }

    void phase(String name) {
        this.phase = name;
    }

    /** Takes a sample now (also used at phase boundaries for exact CPU figures). */
    Point sample() {
        // the CPU figures first and together, so that ours and the machine's are read at one moment
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        double machine = ProcStats.machineBusySeconds();
        Map<String, ProcStats.Group> procs = new LinkedHashMap<>();
        groups.forEach((name, pids) -> procs.put(name, ProcStats.group(name, pids.get())));
        Map<String, Long> ends = probe.endOffsets(KafkaProbe.TOPICS);
        Map<String, Long> committed = probe.committed(KafkaProbe.GROUP_INPUTS);
        Point p = new Point(seconds, phase, ends, committed, visible.getAsLong(), procs, machine);
        synchronized (points) {
            points.add(p);
        }
        return p;
    }

    List<Point> points() {
        synchronized (points) {
            return List.copyOf(points);
        }
    }

    @Override
    public void close() {
        closing = true;
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
