package com.revshare.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Per process group over the whole run: peak memory, and per phase the CPU seconds, the cores
 * used on average and the core-microseconds per event; the machine's other processes per phase.
 * A group of several instances (--instances) is summed: CPU and RSS of all its JVMs.
 */
final class ProcessFigures {
    /** What one group used in one phase. */
    record PhaseCpu(double cpuSeconds, double cores, long microsPerEvent) {
    }

    /** One process group; {@code peakRssKb} -1 for the benchmark itself (not part of the system). */
    record Group(String name, long peakRssKb, Map<String, PhaseCpu> byPhase) {
    }

    /** Every group, the other processes' CPU per phase, the system's memory. */
    record Figures(Map<String, Group> groups, Map<String, PhaseCpu> others, long sumOfPeakRssKb, long peakConcurrentRssKb,
            int sampleMs) {

        /** Core-µs per event in {@code phase} for every group of the system (the benchmark's own JVM left out). */
        Map<String, Long> systemMicrosPerEvent(String phase) {
            Map<String, Long> m = new LinkedHashMap<>();
            groups.forEach((name, g) -> {
                if (!"benchmark".equals(name) && g.byPhase().containsKey(phase)) {
                    m.put(name, g.byPhase().get(phase).microsPerEvent());
                }
            });
            return m;
        }

        ObjectNode json() {
            ObjectNode o = Api.JSON.createObjectNode();
            groups.forEach((name, g) -> {
                ObjectNode n = o.putObject(name);
                if (g.peakRssKb() >= 0) {
                    n.put("peakRssMb", g.peakRssKb() / 1024);
                }
                ObjectNode cpu = n.putObject("cpuSecondsByPhase");
                ObjectNode cores = n.putObject("coresByPhase");
                ObjectNode perEvent = n.putObject("cpuMicrosPerEventByPhase");
                g.byPhase().forEach((phase, c) -> {
                    cpu.put(phase, Log.round(c.cpuSeconds(), 1));
                    cores.put(phase, Log.round(c.cores(), 2));
                    perEvent.put(phase, c.microsPerEvent());
                });
            });
            ObjectNode others = o.putObject("other processes");
            ObjectNode otherCores = others.putObject("coresByPhase");
            ObjectNode otherCpu = others.putObject("cpuSecondsByPhase");
            this.others.forEach((phase, c) -> {
                otherCpu.put(phase, Log.round(c.cpuSeconds(), 1));
                otherCores.put(phase, Log.round(c.cores(), 2));
            });
            o.putObject("system").put("sumOfPeakRssMb", sumOfPeakRssKb / 1024).put("peakConcurrentRssMb", peakConcurrentRssKb / 1024)
                    .put("note", "JVMs: VmHWM (summed over a service's instances); PostgreSQL: sum of PSS over the postmaster and "
                            + "its backends (shared buffers counted once), sampled every " + sampleMs + " ms");
            return o;
        }
    }

    private ProcessFigures() {
    }

    static Figures from(List<Timeline.Point> points, Map<String, PhaseClock.Bounds> phases, int sampleMs) {
        Map<String, Long> peakRss = new LinkedHashMap<>();
        long peakTogether = 0;
        for (Timeline.Point p : points) {
            long together = 0;
            for (var g : p.processes().entrySet()) {
                if ("benchmark".equals(g.getKey())) {
                    continue;
                }
                // PSS for PostgreSQL (shared buffers once), the peak RSS (VmHWM) of each JVM
                long kb = "postgresql".equals(g.getKey()) ? g.getValue().pssKb() : Math.max(g.getValue().hwmKb(), g.getValue().rssKb());
                peakRss.merge(g.getKey(), kb, Math::max);
                together += "postgresql".equals(g.getKey()) ? g.getValue().pssKb() : g.getValue().rssKb();
            }
            peakTogether = Math.max(peakTogether, together);
        }
        long sumOfPeaks = 0;
        Map<String, Group> groups = new LinkedHashMap<>();
        for (String group : points.isEmpty() ? List.<String>of() : points.get(0).processes().keySet()) {
            long kb = -1;
            if (!"benchmark".equals(group)) {
                kb = peakRss.getOrDefault(group, 0L);
                sumOfPeaks += kb;
            }
            Map<String, PhaseCpu> byPhase = new LinkedHashMap<>();
            phases.forEach((phase, b) -> {
                double used = b.cpuSeconds(group);
                byPhase.put(phase, new PhaseCpu(used, used / Math.max(1e-9, b.wallSeconds()),
                        Math.round(used * 1e6 / Math.max(1, b.events()))));
            });
            groups.put(group, new Group(group, kb, byPhase));
        }
        Map<String, PhaseCpu> others = new LinkedHashMap<>();
        phases.forEach((phase, b) -> {
            double ours = 0;
            for (String group : b.end().processes().keySet()) {
                ours += b.end().processes().get(group).cpuSeconds() - b.start().processes().get(group).cpuSeconds();
            }
            double machine = b.end().machineBusySeconds() - b.start().machineBusySeconds();
            double other = Math.max(0, machine - ours);
            others.put(phase, new PhaseCpu(other, other / Math.max(1e-9, b.wallSeconds()), 0));
        });
        return new Figures(groups, others, sumOfPeaks, peakTogether, sampleMs);
    }
}
