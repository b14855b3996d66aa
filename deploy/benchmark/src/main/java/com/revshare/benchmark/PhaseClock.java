package com.revshare.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The timed phases of a run: a timeline sample at each phase's start and end (exact CPU figures
 * per phase), the events each phase handled (CPU per event), and the plot's phase markers.
 */
final class PhaseClock {
    /** A finished phase: its first and last sample and the events it handled. */
    record Bounds(Timeline.Point start, Timeline.Point end, long events) {
        double wallSeconds() {
            return end.seconds() - start.seconds();
        }

        /** CPU seconds the process group used in the phase (0 when it is not sampled). */
        double cpuSeconds(String group) {
            ProcStats.Group a = start.processes().get(group);
            ProcStats.Group b = end.processes().get(group);
            return a == null || b == null ? 0 : Math.max(0, b.cpuSeconds() - a.cpuSeconds());
        }
    }

    private final Timeline timeline;
    private final Log log;
    private final List<SvgChart.Marker> markers = new ArrayList<>();
    private final Map<String, Bounds> finished = new LinkedHashMap<>();

    PhaseClock(Timeline timeline, Log log) {
        this.timeline = timeline;
        this.log = log;
    }

    Timeline.Point begin(String name) {
        timeline.phase(name);
        markers.add(new SvgChart.Marker(log.seconds(), name.replace("stage-", "") + (name.startsWith("stage-") ? " alone" : "")));
        return timeline.sample();
    }

    Bounds end(String name, Timeline.Point start, long events) {
        Bounds b = new Bounds(start, timeline.sample(), events);
        finished.put(name, b);
        return b;
    }

    /** The finished phases in the order they ran. */
    Map<String, Bounds> finished() {
        return new LinkedHashMap<>(finished);
    }

    List<SvgChart.Marker> markers() {
        return List.copyOf(markers);
    }
}
