package com.revshare.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.Topics;

/**
 * A pipeline phase (throughput at the offered rate, or latency at a fixed rate): produce the
 * records to revshare.usage.raw, wait until reporting shows every unique event, and derive the
 * end-to-end rate and each event's latency from the freshness sequences.
 */
final class PipelinePhase {
    /** The figures of one pipeline phase; {@code rate} 0 = as fast as the producer goes. */
    record Figures(String name, long records, long uniqueEvents, double rate, double producedPerSecond, double seconds,
            double eventsPerSecond, double steadyEventsPerSecond, long rejectedRecords, double timelineFrom,
            double timelineTo, Percentiles latencies, int resolutionMs, ThreadCpu.Busiest busiest) {

        ObjectNode json() {
            ObjectNode o = Api.JSON.createObjectNode();
            o.put("records", records).put("uniqueEvents", uniqueEvents).put("duplicates", records - uniqueEvents)
                    .put("offeredRate", rate > 0 ? String.format(Locale.ROOT, "%.0f", rate) : "max")
                    .put("producedPerSecond", Math.round(producedPerSecond))
                    .put("seconds", Log.round(seconds, 2))
                    .put("eventsPerSecond", Math.round(eventsPerSecond))
                    .put("steadyEventsPerSecond", Math.round(steadyEventsPerSecond))
                    .put("rejectedRecords", rejectedRecords)
                    .put("timelineFrom", Log.round(timelineFrom, 1)).put("timelineTo", Log.round(timelineTo, 1));
            ObjectNode l = o.putObject("latencyMs");
            l.put("samples", latencies.count()).put("p50", Log.ms(latencies.at(50))).put("p95", Log.ms(latencies.at(95)))
                    .put("p99", Log.ms(latencies.at(99))).put("max", Log.ms(latencies.max())).put("resolutionMs", resolutionMs);
            if (busiest != null) {
                o.set("busiestThreads", busiest.json());
            }
            return o;
        }
    }

    private PipelinePhase() {
    }

    static Figures run(RunContext ctx, String name, char letter, long records, double rate, boolean profile) throws Exception {
        Log log = ctx.log();
        log.line(String.format(Locale.ROOT, "phase %s: %,d records to %s at %s", name, records, Topics.USAGE_RAW,
                rate > 0 ? String.format(Locale.ROOT, "%,.0f/s", rate) : "max rate"));
        long rejectedBefore = ctx.probe().endOffsets(List.of(Topics.USAGE_REJECTED)).get(Topics.USAGE_REJECTED);
        PhaseTracker tracker = new PhaseTracker(name, ctx.poller().poll());
        Map<Long, Path> recordings = profile ? Profiles.startAll(ctx.sut().serviceInstancePids(), ctx.resultsDir()) : Map.of();
        Map<String, java.util.function.Supplier<List<Long>>> groups = new java.util.LinkedHashMap<>(ctx.sut().processGroups());
        long self = ProcessHandle.current().pid();
        groups.put("benchmark", () -> List.of(self)); // its producer is one thread too
        ThreadCpu threads = ThreadCpu.open(groups);
        Timeline.Point start = ctx.phases().begin(name);
        ctx.poller().track(tracker);
        try (RawProducer producer = new RawProducer(ctx.sut().infra.kafkaBootstrap())) {
            producer.produce(Topics.USAGE_RAW, ctx.generator(), letter, records, rate, tracker);
        }
        tracker.doneProducing();
        log.line(String.format(Locale.ROOT, "  produced %,d records (%,d unique) at %,.0f records/s; waiting until reporting shows them",
                tracker.recordsSent(), tracker.uniqueSent(), tracker.offeredRate()));
        ctx.waits().progress(name, tracker::complete, tracker::creditedTotal, tracker.uniqueSent());
        PhaseClock.Bounds bounds = ctx.phases().end(name, start, tracker.uniqueSent());
        ThreadCpu.Busiest busiest = threads.close();
        ctx.poller().track(null);
        recordings.forEach((pid, file) -> {
            Profiles.stop(pid);
            try {
                Profiles.digest(file, 25);
            } catch (IOException | RuntimeException e) {
                log.line("  profile " + file.getFileName() + " unreadable: " + e.getMessage());
            }
        });
        long rejected = ctx.probe().endOffsets(List.of(Topics.USAGE_REJECTED)).get(Topics.USAGE_REJECTED) - rejectedBefore;

        Percentiles lat = tracker.latencies();
        double seconds = (tracker.lastVisibleNanos() - tracker.firstSendNanos()) / 1e9;
        Figures f = new Figures(name, tracker.recordsSent(), tracker.uniqueSent(), rate, tracker.offeredRate(), seconds,
                tracker.endToEndRate(), tracker.steadyRate(), rejected, bounds.start().seconds(), bounds.end().seconds(), lat,
                ctx.options().freshnessMs, busiest);
        log.line(String.format(Locale.ROOT, "  %s: %,d events visible in %.1f s = %,d events/s (steady %,d/s); latency p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                name, tracker.uniqueSent(), seconds, Math.round(tracker.endToEndRate()), Math.round(tracker.steadyRate()),
                Log.ms(lat.at(50)), Log.ms(lat.at(99)), Log.ms(lat.max())));
        log.line("  busiest threads: " + busiest.describe());
        return f;
    }
}
