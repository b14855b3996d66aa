package com.revshare.benchmark;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.Topics;

/**
 * Each stage alone on a backlog: ledger and reporting frozen (SIGSTOP) while ingest takes the
 * records; then the ledger resumed on the accepted backlog; then reporting on the entries. A
 * stage's time runs from its first visible progress (or from its resume, when it finished within
 * two seconds) until its whole output is there. Also the rates each consumer group reached in
 * the throughput phase while it had a backlog.
 */
final class StagesPhase {
    /** One stage's rate alone. */
    record Stage(long records, double seconds, String how) {
        double recordsPerSecond() {
            return records / seconds;
        }
    }

    /** The stages alone, in pipeline order, or why they were skipped. */
    record Stages(Map<String, Stage> stages, String skipped) {
        ObjectNode json() {
            ObjectNode o = Api.JSON.createObjectNode();
            if (skipped != null) {
                return o.put("skipped", skipped);
            }
            stages.forEach((name, s) -> o.putObject(name).put("records", s.records()).put("seconds", Log.round(s.seconds(), 2))
                    .put("recordsPerSecond", Math.round(s.recordsPerSecond())).put("measured", s.how()));
            return o;
        }
    }

    /** A consumer group's rate over the samples where it had a backlog. */
    record Backlogged(long recordsPerSecond, double seconds, long maxLag) {
    }

    private StagesPhase() {
    }

    static Stages run(RunContext ctx, long records) throws Exception {
        Log log = ctx.log();
        SystemUnderTest sut = ctx.sut();
        log.line(String.format(Locale.ROOT, "phase stages: %,d records, each stage alone on a backlog (the others frozen)", records));
        ctx.timeline().phase("stages");
        long[] base = ctx.poller().poll();
        sut.pause("reporting");
        sut.pause("ledger");
        Map<String, Long> ends = ctx.probe().endOffsets(List.of(Topics.USAGE_ACCEPTED, Topics.LEDGER_ENTRIES));
        long acceptedBase = ends.get(Topics.USAGE_ACCEPTED);
        long entriesBase = ends.get(Topics.LEDGER_ENTRIES);
        PhaseTracker tracker = new PhaseTracker("stages", base);
        Map<String, Stage> stages = new LinkedHashMap<>();
        try {
            Timeline.Point subStart = ctx.phases().begin("stage-ingest");
            try (RawProducer producer = new RawProducer(sut.infra.kafkaBootstrap())) {
                producer.produce(Topics.USAGE_RAW, ctx.generator(), 'C', records, 0, tracker);
            }
            tracker.doneProducing();
            long unique = tracker.uniqueSent();
            long ingestDone = ctx.waits().offset("ingest alone", Topics.USAGE_ACCEPTED, acceptedBase + unique);
            stage(log, stages, "ingest", tracker.recordsSent(), (ingestDone - tracker.firstSendNanos()) / 1e9,
                    "raw records until every accepted event was on " + Topics.USAGE_ACCEPTED + ", from the first record produced");
            ctx.phases().end("stage-ingest", subStart, tracker.recordsSent());

            subStart = ctx.phases().begin("stage-ledger");
            AtomicLong firstEntries = ctx.waits().firstProgress(Topics.LEDGER_ENTRIES, entriesBase);
            long ledgerResumed = System.nanoTime();
            sut.resume("ledger");
            long ledgerDone = ctx.waits().offset("ledger alone", Topics.LEDGER_ENTRIES, entriesBase + unique);
            stage(log, stages, "ledger", unique, (ledgerDone - stageStart(ledgerResumed, firstEntries.get(), ledgerDone)) / 1e9,
                    "accepted events until every entry was on " + Topics.LEDGER_ENTRIES + ", from the first entry published");
            ctx.phases().end("stage-ledger", subStart, unique);

            subStart = ctx.phases().begin("stage-reporting");
            ctx.poller().track(tracker);
            long reportingResumed = System.nanoTime();
            sut.resume("reporting");
            ctx.waits().progress("reporting alone", tracker::complete, tracker::creditedTotal, unique);
            long reportingDone = tracker.lastVisibleNanos();
            stage(log, stages, "reporting", unique, (reportingDone - stageStart(reportingResumed, tracker.firstVisibleNanos(),
                    reportingDone)) / 1e9, "entries until reporting's freshness showed them all, from the first one visible");
            ctx.phases().end("stage-reporting", subStart, unique);
            ctx.poller().track(null);
        } finally {
            for (String s : List.of("ledger", "reporting")) {
                try {
                    sut.resume(s);
                } catch (RuntimeException e) {
                    log.line("  could not resume " + s + ": " + e.getMessage());
                }
            }
        }
        ctx.timeline().phase("stages-done");
        return new Stages(stages, null);
    }

    /** From the first progress seen, unless the stage was done within 2 s of it: then from the resume (no resolution). */
    private static long stageStart(long resumed, long firstProgress, long done) {
        return firstProgress > 0 && done - firstProgress >= 2_000_000_000L ? firstProgress : resumed;
    }

    private static void stage(Log log, Map<String, Stage> stages, String name, long records, double seconds, String how) {
        Stage s = new Stage(records, seconds, how);
        stages.put(name, s);
        log.line(String.format(Locale.ROOT, "  %s alone: %,d records in %.1f s = %,d records/s", name, records, seconds,
                Math.round(s.recordsPerSecond())));
    }

    /** Per consumer group, in one phase: records consumed per second over the samples where the group had a backlog. */
    static Map<String, Backlogged> backloggedRates(List<Timeline.Point> timeline, String phase) {
        Map<String, Backlogged> o = new LinkedHashMap<>();
        List<Timeline.Point> points = timeline.stream().filter(p -> phase.equals(p.phase())).toList();
        for (String g : KafkaProbe.GROUP_INPUTS.keySet()) {
            long consumed = 0;
            double seconds = 0;
            long maxLag = 0;
            for (int i = 1; i < points.size(); i++) {
                Timeline.Point a = points.get(i - 1);
                Timeline.Point b = points.get(i);
                maxLag = Math.max(maxLag, b.lag(g));
                if (a.lag(g) > 1000 && b.lag(g) > 0) {
                    consumed += b.committed().get(g) - a.committed().get(g);
                    seconds += b.seconds() - a.seconds();
                }
            }
            o.put(g.replace("revshare-", ""), new Backlogged(seconds > 0 ? Math.round(consumed / seconds) : 0, seconds, maxLag));
        }
        return o;
    }

    static ObjectNode backloggedJson(Map<String, Backlogged> rates) {
        ObjectNode o = Api.JSON.createObjectNode();
        rates.forEach((g, b) -> o.putObject(g).put("recordsPerSecondWhileBacklogged", b.recordsPerSecond())
                .put("backloggedSeconds", Log.round(b.seconds(), 1)).put("maxLag", b.maxLag()));
        return o;
    }
}
