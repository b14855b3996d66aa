package com.revshare.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The cores each process group (and everything else on the machine) used between open and
 * close: for the references, which run before the timeline starts. The benchmark's own JVM is
 * its group "benchmark" (it runs the references' consumers and writers).
 */
final class CpuWindow {
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

    /** Cores used per group, plus "other processes" (the machine's busy time not ours). */
    ObjectNode close() {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        double machine = ProcStats.machineBusySeconds() - machineStart;
        ObjectNode o = Api.JSON.createObjectNode();
        double ours = 0;
        for (var e : groups.entrySet()) {
            double used = Math.max(0, ProcStats.group(e.getKey(), e.getValue().get()).cpuSeconds() - start.get(e.getKey()));
            ours += used;
            o.put(e.getKey(), Benchmark.round(used / wall, 2));
        }
        o.put("other processes", Benchmark.round(Math.max(0, machine - ours) / wall, 2));
        return o;
    }
}
