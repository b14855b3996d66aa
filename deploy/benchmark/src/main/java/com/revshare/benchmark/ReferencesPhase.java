package com.revshare.benchmark;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The two references, measured before the services start so that they have the machine to
 * themselves: (a) the single-stage ceiling, with its own CPU per record, and (b) the naive
 * per-event design, whose money must match the independent sum.
 */
final class ReferencesPhase {
    /** Reference (a): its rate, and the cores every process used while it ran (fill included). */
    record Ceiling(CeilingReference.Result result, CpuWindow.Usage whole) {
        ObjectNode json() {
            ObjectNode c = Api.JSON.createObjectNode();
            CeilingReference.Result r = result;
            c.set("coresDuring", whole.coresJson());
            c.put("records", r.records()).put("storedRows", r.storedRows()).put("threads", r.threads())
                    .put("seconds", Log.round(r.seconds(), 2)).put("recordsPerSecond", Math.round(r.recordsPerSecond()))
                    .put("polls", r.polls());
            CpuWindow.Usage u = r.consumeCpu();
            ObjectNode cpu = c.putObject("cpuWhileConsuming");
            cpu.put("seconds", Log.round(u.wallSeconds(), 2))
                    .put("consumerCpuSeconds", Log.round(u.cpuSeconds("benchmark"), 2))
                    .put("consumerThreadsCpuSeconds", Log.round(r.consumerThreadCpuSeconds(), 2))
                    .put("postgresqlCpuSeconds", Log.round(u.cpuSeconds("postgresql"), 2))
                    .put("kafkaCpuSeconds", Log.round(u.cpuSeconds("kafka"), 2))
                    .put("otherProcessesCpuSeconds", Log.round(u.otherCpuSeconds(), 2))
                    .put("note", "from the end of the topic's fill to the last commit; consumer = the benchmark's JVM "
                            + "(it runs only the consumer then: threads, GC and JIT)");
            ObjectNode per = c.putObject("cpuMicrosPerRecord");
            per.put("consumer", Math.round(u.cpuSeconds("benchmark") * 1e6 / r.records()))
                    .put("postgresql", Math.round(u.cpuSeconds("postgresql") * 1e6 / r.records()))
                    .put("kafka", Math.round(u.cpuSeconds("kafka") * 1e6 / r.records()))
                    .put("total", Log.round(r.coreMicrosPerRecord(), 1));
            return c;
        }
    }

    /** Reference (b). */
    record Naive(NaiveReference.Result result, CpuWindow.Usage cpu) {
        ObjectNode json() {
            ObjectNode n = Api.JSON.createObjectNode();
            NaiveReference.Result r = result;
            n.set("coresDuring", cpu.coresJson());
            n.put("records", r.records()).put("uniqueEvents", r.uniqueEvents()).put("seconds", Log.round(r.seconds(), 2))
                    .put("eventsPerSecond", Math.round(r.eventsPerSecond())).put("moneyMatches", r.moneyMatches());
            return n;
        }
    }

    /** Both references; either is null when skipped (0 events). */
    record References(Ceiling ceiling, Naive naive) {
        double ceilingRecordsPerSecond() {
            return ceiling == null ? 0 : ceiling.result().recordsPerSecond();
        }

        double naiveEventsPerSecond() {
            return naive == null ? 0 : naive.result().eventsPerSecond();
        }

        /** The ceiling stage's own core-µs per record, or 0 when it did not run. */
        double ceilingCoreMicrosPerRecord() {
            return ceiling == null ? 0 : ceiling.result().coreMicrosPerRecord();
        }

        ObjectNode json() {
            ObjectNode refs = Api.JSON.createObjectNode();
            if (ceiling != null) {
                refs.set("ceiling", ceiling.json());
            }
            if (naive != null) {
                refs.set("naive", naive.json());
            }
            return refs;
        }
    }

    private ReferencesPhase() {
    }

    static References run(Options options, SystemUnderTest sut, String runId, List<String> partnerIds, Log log)
            throws Exception {
        Ceiling ceiling = null;
        Naive naive = null;
        if (options.ceilingEvents > 0) {
            log.line("reference (a) single-stage ceiling: " + options.ceilingEvents + " records, " + options.refThreads
                    + " consumer thread(s), one multi-row INSERT ... ON CONFLICT DO NOTHING and one offset commit per poll");
            FeedGenerator g = new FeedGenerator(partnerIds, runId, options.seed + 1, Clock.systemUTC(), null,
                    options.duplicates, 0, options.eur, new Expected());
            CpuWindow window = CpuWindow.open(sut.processGroups());
            CeilingReference.Result r = CeilingReference.run(sut.infra, runId, g, options.ceilingEvents, options.refThreads,
                    sut.processGroups());
            ceiling = new Ceiling(r, window.close());
            log.line(String.format(Locale.ROOT, "  ceiling: %,d records/s (%d records in %.1f s, %d polls); its own CPU %.1f core-us per record",
                    Math.round(r.recordsPerSecond()), r.records(), r.seconds(), r.polls(), r.coreMicrosPerRecord()));
        }
        if (options.naiveEvents > 0) {
            log.line("reference (b) naive design: " + options.naiveEvents
                    + " records through three stages, one transaction and one offset commit per event");
            Expected naiveExpected = new Expected();
            FeedGenerator g = new FeedGenerator(partnerIds, runId, options.seed + 2, Clock.systemUTC(), null,
                    options.duplicates, 0, options.eur, naiveExpected);
            CpuWindow window = CpuWindow.open(sut.processGroups());
            NaiveReference.Result r = NaiveReference.run(sut.infra, runId, partnerIds, g, naiveExpected, options.naiveEvents);
            CpuWindow.Usage cpu = window.close();
            if (!r.moneyMatches()) {
                throw new IllegalStateException("the naive reference's totals differ from the independent sum");
            }
            naive = new Naive(r, cpu);
            log.line(String.format(Locale.ROOT, "  naive: %,d events/s end to end (%d events in %.1f s)",
                    Math.round(r.eventsPerSecond()), r.uniqueEvents(), r.seconds()));
        }
        return new References(ceiling, naive);
    }
}
