package com.revshare.benchmark;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The ratios to the references, written beside each rate, and the targets met or missed. */
final class Targets {
    /** Issue 14: the pipeline's CPU per event at most this many times the ceiling stage's per record. */
    static final double CPU_RATIO_GOAL = 2.0;

    private Targets() {
    }

    /** Adds ratioToCeiling and ratioToNaive beside every rate in {@code results}. */
    static void putRatios(ObjectNode results) {
        double ceiling = results.path("references").path("ceiling").path("recordsPerSecond").asDouble();
        double naive = results.path("references").path("naive").path("eventsPerSecond").asDouble();
        for (String phase : List.of("throughput", "latency")) {
            ObjectNode p = (ObjectNode) results.path(phase);
            putRatios(p, p.path("eventsPerSecond").asDouble(), ceiling, naive);
        }
        JsonNode stages = results.path("stages");
        for (String s : SystemUnderTest.SERVICES) {
            if (stages.has(s)) {
                putRatios((ObjectNode) stages.get(s), stages.get(s).path("recordsPerSecond").asDouble(), ceiling, naive);
            }
        }
        JsonNode underLoad = results.path("stagesUnderLoad");
        for (String s : SystemUnderTest.SERVICES) {
            if (underLoad.has(s)) {
                putRatios((ObjectNode) underLoad.get(s), underLoad.get(s).path("recordsPerSecondWhileBacklogged").asDouble(),
                        ceiling, naive);
            }
        }
    }

    private static void putRatios(ObjectNode o, double value, double ceiling, double naive) {
        if (ceiling > 0) {
            o.put("ratioToCeiling", Log.round(value / ceiling, 3));
        }
        if (naive > 0) {
            o.put("ratioToNaive", Log.round(value / naive, 1));
        }
    }

    static ArrayNode of(JsonNode results, boolean passed) {
        ArrayNode t = Api.JSON.createArrayNode();
        JsonNode thr = results.path("throughput");
        target(t, "end-to-end sustained throughput", ">= 10000 events/s", thr.path("eventsPerSecond").asDouble(),
                thr.path("eventsPerSecond").asDouble() >= 10_000, "events/s over " + thr.path("uniqueEvents").asLong() + " events");
        JsonNode stages = results.path("stages").has("ingest") ? results.path("stages") : results.path("stagesUnderLoad");
        for (String s : SystemUnderTest.SERVICES) {
            double r = stages.path(s).path("ratioToCeiling").asDouble();
            target(t, s + " alone vs single-stage ceiling", ">= 0.50", r, r >= 0.5, "x ceiling");
        }
        double naive = thr.path("ratioToNaive").asDouble();
        target(t, "end-to-end vs naive design", ">= 20x", naive, naive >= 20, "x naive");
        JsonNode lat = results.path("latency");
        double p99 = lat.path("latencyMs").path("p99").asDouble();
        target(t, "p99 latency at offered " + lat.path("offeredRate").asText() + "/s", "< 1000 ms", p99, p99 < 1000, "ms");
        JsonNode q = results.path("queries");
        long loaded = q.path("entriesInReadModel").asLong();
        for (String name : List.of("periodOverview", "statement", "summary", "summaryByPartner")) {
            double v = q.path("latency").path(name).path("p99Ms").asDouble(-1);
            if (v >= 0) {
                target(t, name + " p99 at " + String.format(Locale.ROOT, "%,d", loaded) + " entries", "< 20 ms", v,
                        v < 20 && loaded >= 10_000_000, loaded >= 10_000_000 ? "ms" : "ms (fewer than 10M entries loaded)");
            }
        }
        double rss = results.path("processes").path("system").path("sumOfPeakRssMb").asDouble();
        target(t, "system RSS (broker, PostgreSQL, 3 services)", "< 1536 MB", rss, rss < 1536, "MB, sum of peaks");
        JsonNode cpu = thr.path("cpu");
        if (cpu.has("ratioToCeiling")) {
            double ratio = cpu.path("ratioToCeiling").asDouble();
            target(t, "CPU per event vs the ceiling stage's per record (issue 14)", "<= 2.0x", ratio, ratio <= CPU_RATIO_GOAL,
                    "x (" + cpu.path("systemMicrosPerEvent").asLong() + " vs " + Math.round(cpu.path("ceilingMicrosPerRecord").asDouble())
                            + " core-us)");
        }
        target(t, "correctness check", "passes", passed ? 1 : 0, passed, passed ? "PASS" : "FAIL");
        return t;
    }

    private static void target(ArrayNode t, String name, String goal, double value, boolean met, String unit) {
        t.addObject().put("target", name).put("goal", goal).put("measured", Log.round(value, 3)).put("unit", unit).put("met", met);
    }
}
