package com.revshare.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The CPU each process group (and everything else on the machine) used between open and
 * close: for the references, which run before the timeline starts. The benchmark's own JVM is
 * its group "benchmark" (it runs the references' consumers and writers).
 */
final class CpuWindow {
    /** CPU seconds per group over {@code wallSeconds}, and the machine's busy time that was not ours. */
    record Usage(double wallSeconds, Map<String, Double> cpuSeconds, double otherCpuSeconds) {
        double cpuSeconds(String group) {
            return cpuSeconds.getOrDefault(group, 0.0);
        }

        /** Cores used per group, plus "other processes" (the results' {@code coresDuring}). */
        ObjectNode coresJson() {
            ObjectNode o = Api.JSON.createObjectNode();
            cpuSeconds.forEach((g, s) -> o.put(g, Log.round(s / wallSeconds, 2)));
            o.put("other processes", Log.round(otherCpuSeconds / wallSeconds, 2));
            return o;
        }
    }

    private final Map<String, Supplier<List<Long>>> groups;
    private final Map<String, Double> start = new LinkedHashMap<>();
    private final double machineStart;
    private final long startNanos;

    private CpuWindow(Map<String, Supplier<List<Long>>> groups) {
        this.groups = new LinkedHashMap<>(groups);
        long self = ProcessHandle.current().pid();
        this.groups.put("benchmark", () -> List.of(self));
        this.startNanos = System.nanoTime();
        this.machineStart = ProcStats.machineBusySeconds();
        this.groups.forEach((n, p) -> start.put(n, ProcStats.group(n, p.get()).cpuSeconds()));
    }

    static CpuWindow open(Map<String, Supplier<List<Long>>> groups) {
        return new CpuWindow(groups);
    }

    Usage close() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double machine = ProcStats.machineBusySeconds() - machineStart;
        Map<String, Double> used = new LinkedHashMap<>();
        double ours = 0;
        for (var e : groups.entrySet()) {
            double u = Math.max(0, ProcStats.group(e.getKey(), e.getValue().get()).cpuSeconds() - start.get(e.getKey()));
            ours += u;
            used.put(e.getKey(), u);
        }
        return new Usage(Math.max(1e-9, wall), used, Math.max(0, machine - ours));
    }
}
