package com.revshare.benchmark;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.ProjectFiles;
import com.revshare.infra.Topics;

/**
 * The revshare benchmark (issue 7). One run: start the system (or target a running one),
 * measure the two references, register the demo partners, then three pipeline phases
 * (throughput at the offered rate, latency at a fixed rate, each stage alone), check the money
 * to the last decimal, load the read model and time the report queries, and write the table,
 * the JSON figures and an HTML plot under results/&lt;timestamp&gt;/. Exit code 0 only when the
 * correctness check passed.
 */
public final class Benchmark {
    private static final Duration TOKEN_TTL = Duration.ofHours(12);

    private final Options options;
    private final Path resultsDir;
    private final String runId;
    private final long startNanos = System.nanoTime();
    private final ObjectNode results = Api.JSON.createObjectNode();
    private final List<SvgChart.Marker> markers = new ArrayList<>();
    private final Map<String, Timeline.Point[]> phaseBounds = new LinkedHashMap<>();
    private final Map<String, Long> phaseEvents = new LinkedHashMap<>();
    private SystemUnderTest sut;
    private Api ingest;
    private Api ledger;
    private Api reporting;
    private String admin;
    private String finance;
    private List<String> partnerIds;
    private YearMonth currentMonth;
    private YearMonth closedMonth;
    private Expected expected;
    private FeedGenerator generator;
    private KafkaProbe probe;
    private Timeline timeline;
    private FreshnessPoller poller;

    private Benchmark(Options options, Path resultsDir, String runId) {
        this.options = options;
        this.resultsDir = resultsDir;
        this.runId = runId;
    }

    public static void main(String[] args) throws IOException {
        if (args.length > 1 && "--digest".equals(args[0])) {
            for (int i = 1; i < args.length; i++) {
                System.out.println(Profiles.digest(Path.of(args[i]), 30));
            }
            return;
        }
        Outcome outcome;
        try {
            outcome = run(args);
        } catch (IllegalArgumentException e) {
            System.err.println("[benchmark] " + e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(outcome.passed() ? 0 : 1);
    }

    /** What a run produced: its results folder, whether the correctness check passed, and the one-line summary. */
    public record Outcome(Path resultsDir, boolean passed, String summary) {
    }

    /** Runs the benchmark with command-line arguments (also the smoke test's entry point). */
    public static Outcome run(String[] args) {
        Options options = Options.parse(args);
        Instant started = Instant.now();
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(started);
        Path root = options.results != null ? options.results.toAbsolutePath()
                : ProjectFiles.root().resolve("deploy/benchmark/results");
        Path dir = root.resolve(stamp);
        String runId = "r" + Long.toString(started.getEpochSecond(), 36);
        Benchmark b = new Benchmark(options, dir, runId);
        try {
            Files.createDirectories(dir);
            return b.execute(started, options.results == null);
        } catch (Exception e) {
            String line = "revshare-benchmark " + stamp + ": FAILED: " + e.getMessage();
            System.out.println();
            e.printStackTrace(System.out);
            b.results.put("failure", String.valueOf(e));
            b.writeQuietly();
            System.out.println(line);
            return new Outcome(dir, false, line);
        } finally {
            b.shutdown();
        }
    }

    private Outcome execute(Instant started, boolean defaultResults) throws Exception {
        log("results: " + resultsDir);
        ObjectNode run = results.putObject("run");
        run.put("id", runId);
        run.put("startedAt", started.toString());
        run.set("machine", Machine.describe());
        run.set("options", Api.JSON.valueToTree(optionsSummary()));
        run.put("mode", options.targetMode() ? "target" : "managed");

        Path logs = resultsDir.resolve("logs");
        if (options.targetMode()) {
            sut = SystemUnderTest.target(options, logs);
        } else {
            Path work = Files.createTempDirectory("revshare-benchmark-");
            log("starting PostgreSQL and Kafka (work dir " + work + ", durable=" + options.durable + ")");
            sut = SystemUnderTest.start(options, work, logs);
            if (!options.keepData) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work), "benchmark-cleanup"));
            }
        }
        admin = sut.infra.jwt().admin(TOKEN_TTL);
        finance = sut.infra.jwt().finance(TOKEN_TTL);
        partnerIds = new ArrayList<>();
        for (Workload.Partner p : Workload.PARTNERS) {
            partnerIds.add(options.targetMode() ? p.baseId() + "-" + runId : p.baseId());
        }
        Clock clock = Clock.systemUTC();
        currentMonth = YearMonth.now(clock);
        closedMonth = currentMonth.minusMonths(1);

        references();

        if (sut.managed) {
            log("starting ingest, ledger and reporting (" + String.join(" ", options.serviceJvm) + ")");
            sut.startServices();
        }
        ingest = new Api(sut.urls.get("ingest"));
        ledger = new Api(sut.urls.get("ledger"));
        reporting = new Api(sut.urls.get("reporting"));
        probe = new KafkaProbe(sut.infra.kafkaBootstrap());
        poller = new FreshnessPoller(reporting, finance, partnerIds, options.freshnessMs);
        Map<String, java.util.function.Supplier<List<Long>>> groups = new LinkedHashMap<>(sut.processGroups());
        long self = ProcessHandle.current().pid();
        groups.put("benchmark", () -> List.of(self));
        timeline = new Timeline(probe, groups, poller::visibleTotal, startNanos);

        setup();
        expected = new Expected();
        generator = new FeedGenerator(partnerIds, runId, options.seed, clock, closedMonth, options.duplicates,
                options.late, options.eur, expected);
        poller.start();
        timeline.start(options.sampleMs);

        ObjectNode throughput = pipelinePhase("throughput", 'A', options.events, options.rate, options.profile);
        ObjectNode latency = pipelinePhase("latency", 'B', (long) (options.latencyRate * options.latencySeconds),
                options.latencyRate, false);
        results.set("throughput", throughput);
        results.set("latency", latency);
        results.set("stagesUnderLoad", backloggedRates("throughput"));
        if (options.stageEvents > 0 && sut.canIsolateStages()) {
            results.set("stages", stagePhase(options.stageEvents));
        } else {
            results.putObject("stages").put("skipped", sut.canIsolateStages() ? "--stage-events 0"
                    : "a targeted system cannot be stopped; see stagesUnderLoad");
        }
        timeline.phase("check");
        boolean passed = correctness();
        poller.close(); // its polling would compete with the timed queries
        if (options.loadEntries > 0) {
            results.set("queries", queries());
        }
        timeline.phase("end");
        timeline.sample();
        timeline.close();
        poller.close();

        results.set("processes", processes());
        ratios();
        results.set("targets", targets(passed));
        results.put("finishedAt", Instant.now().toString());
        run.put("loadAverageEnd", Machine.loadAverage());
        String summary = Report.summaryLine(results, passed);
        results.put("summary", summary);
        String table = Report.table(results);
        Files.writeString(resultsDir.resolve("results.json"), Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        Files.writeString(resultsDir.resolve("timeline.json"), Api.JSON.writeValueAsString(Report.timelineJson(timeline.points())));
        Files.writeString(resultsDir.resolve("report.html"), Report.html(results, timeline.points(), markers, table));
        Files.writeString(resultsDir.resolve("table.txt"), table);
        Files.writeString(resultsDir.resolve("summary.txt"), summary + "\n");
        if (defaultResults && passed && !options.smoke) {
            Path latest = resultsDir.getParent().resolve("latest");
            Files.createDirectories(latest);
            for (String f : List.of("results.json", "report.html", "table.txt", "summary.txt")) {
                Files.copy(resultsDir.resolve(f), latest.resolve(f), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.println();
        System.out.print(table);
        System.out.println("figures: " + resultsDir.resolve("results.json"));
        System.out.println("plot:    " + resultsDir.resolve("report.html"));
        System.out.println(summary);
        return new Outcome(resultsDir, passed, summary);
    }

    // ---------------------------------------------------------------- references

    private void references() throws Exception {
        ObjectNode refs = results.putObject("references");
        if (options.ceilingEvents > 0) {
            log("reference (a) single-stage ceiling: " + options.ceilingEvents + " records, " + options.refThreads
                    + " consumer thread(s), one multi-row INSERT ... ON CONFLICT DO NOTHING and one offset commit per poll");
            FeedGenerator g = new FeedGenerator(partnerIds, runId, options.seed + 1, Clock.systemUTC(), null,
                    options.duplicates, 0, options.eur, new Expected());
            CpuWindow window = CpuWindow.open(sut.processGroups());
            CeilingReference.Result r = CeilingReference.run(sut.infra, runId, g, options.ceilingEvents, options.refThreads);
            ObjectNode c = refs.putObject("ceiling");
            c.set("coresDuring", window.close());
            c.put("records", r.records()).put("storedRows", r.storedRows()).put("threads", r.threads())
                    .put("seconds", round(r.seconds(), 2)).put("recordsPerSecond", Math.round(r.recordsPerSecond()))
                    .put("polls", r.polls());
            log(String.format(Locale.ROOT, "  ceiling: %,d records/s (%d records in %.1f s, %d polls)",
                    Math.round(r.recordsPerSecond()), r.records(), r.seconds(), r.polls()));
        }
        if (options.naiveEvents > 0) {
            log("reference (b) naive design: " + options.naiveEvents
                    + " records through three stages, one transaction and one offset commit per event");
            Expected naiveExpected = new Expected();
            FeedGenerator g = new FeedGenerator(partnerIds, runId, options.seed + 2, Clock.systemUTC(), null,
                    options.duplicates, 0, options.eur, naiveExpected);
            CpuWindow window = CpuWindow.open(sut.processGroups());
            NaiveReference.Result r = NaiveReference.run(sut.infra, runId, partnerIds, g, naiveExpected, options.naiveEvents);
            JsonNode cores = window.close();
            if (!r.moneyMatches()) {
                throw new IllegalStateException("the naive reference's totals differ from the independent sum");
            }
            ObjectNode n = refs.putObject("naive");
            n.set("coresDuring", cores);
            n.put("records", r.records()).put("uniqueEvents", r.uniqueEvents()).put("seconds", round(r.seconds(), 2))
                    .put("eventsPerSecond", Math.round(r.eventsPerSecond())).put("moneyMatches", r.moneyMatches());
            log(String.format(Locale.ROOT, "  naive: %,d events/s end to end (%d events in %.1f s)",
                    Math.round(r.eventsPerSecond()), r.uniqueEvents(), r.seconds()));
        }
    }

    // ---------------------------------------------------------------- setup

    private void setup() {
        log("registering " + partnerIds.size() + " partners with agreements effective from " + closedMonth);
        for (int i = 0; i < partnerIds.size(); i++) {
            Workload.Partner p = Workload.PARTNERS.get(i);
            String id = partnerIds.get(i);
            ledger.call("PUT", "/api/v1/partners/" + id, admin,
                    "{\"name\":\"" + p.name() + "\",\"currency\":\"USD\"}", 200, 201);
            JsonNode versions = ledger.get("/api/v1/partners/" + id + "/agreements", admin);
            if (versions.isArray() && versions.isEmpty()) {
                ledger.call("POST", "/api/v1/partners/" + id + "/agreements", admin,
                        Workload.agreementJson(p, closedMonth), 201);
            } else {
                log("  " + id + " already has agreement versions: kept (its figures must match the benchmark's rules)");
            }
        }
        if (options.eur > 0) {
            LocalDate end = LocalDate.now(ZoneOffset.UTC).plusDays(1);
            for (LocalDate d = closedMonth.atDay(1); !d.isAfter(end); d = d.plusDays(1)) {
                ledger.call("PUT", "/api/v1/fx-rates/" + d, admin, "{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\""
                        + Workload.eurUsd(d).toPlainString() + "\"}", 200, 201);
            }
        }
        log("closing " + closedMonth + " for every partner (events dated in it become late events)");
        for (String id : partnerIds) {
            Api.Response r = ledger.send("POST", "/api/v1/partners/" + id + "/periods/" + closedMonth + "/close", admin,
                    "application/json", "{}");
            if (r.status() != 200) {
                throw new IllegalStateException("closing " + closedMonth + " for " + id + " answered " + r.status()
                        + ": " + r.body() + " (use --late 0 against a system whose partners cannot close it)");
            }
        }
        awaitPartnersKnownToIngest();
        long[] sequences = ledgerSequences();
        awaitUntil("reporting shows the setup entries", Duration.ofSeconds(120), () -> {
            long[] seen = poller.poll();
            for (int i = 0; i < seen.length; i++) {
                if (seen[i] < sequences[i]) {
                    return false;
                }
            }
            return true;
        });
        ObjectNode baseline = results.putObject("baseline");
        for (int i = 0; i < partnerIds.size(); i++) {
            baseline.put(partnerIds.get(i), sequences[i]);
        }
    }

    /**
     * SPEC §2.4: a registered partner is known to ingest within 5 s. Probe each with an event from
     * the future over HTTP: FUTURE_EVENT (later in the validation order than UNKNOWN_PARTNER)
     * means known, and nothing is stored either way.
     */
    private void awaitPartnersKnownToIngest() {
        for (String id : partnerIds) {
            String token = sut.infra.jwt().partner(id, TOKEN_TTL);
            String probeEvent = "{\"specversion\":\"1.0\",\"id\":\"probe-" + runId + "\",\"source\":\"benchmark\","
                    + "\"type\":\"revshare.usage.v1\",\"time\":\"" + Instant.now().plus(Duration.ofDays(1))
                    + "\",\"partnerid\":\"" + id + "\",\"data\":{\"model\":\"m\",\"metric\":\"requests\",\"quantity\":1}}";
            awaitUntil("ingest knows " + id, Duration.ofSeconds(60), () -> {
                Api.Response r = ingest.send("POST", "/api/v1/usage-events", token, "application/cloudevents+json", probeEvent);
                return r.status() == 202 && r.body().contains("FUTURE_EVENT");
            });
        }
    }

    private long[] ledgerSequences() {
        long[] seq = new long[partnerIds.size()];
        for (int i = 0; i < seq.length; i++) {
            seq[i] = ledger.get("/api/v1/partners/" + partnerIds.get(i) + "/balance", finance).path("lastSequence").asLong();
        }
        return seq;
    }

    // ---------------------------------------------------------------- pipeline phases

    private ObjectNode pipelinePhase(String name, char letter, long records, double rate, boolean profile) throws Exception {
        log(String.format(Locale.ROOT, "phase %s: %,d records to %s at %s", name, records, Topics.USAGE_RAW,
                rate > 0 ? String.format(Locale.ROOT, "%,.0f/s", rate) : "max rate"));
        long rejectedBefore = probe.endOffsets(List.of(Topics.USAGE_REJECTED)).get(Topics.USAGE_REJECTED);
        PhaseTracker tracker = new PhaseTracker(name, poller.poll());
        Map<String, Long> pids = sut.servicePids();
        if (profile) {
            pids.forEach((s, pid) -> {
                if (pid != 0) {
                    Profiles.start(pid, resultsDir.resolve(s + ".jfr"));
                }
            });
        }
        Timeline.Point start = beginPhase(name);
        poller.track(tracker);
        try (RawProducer producer = new RawProducer(sut.infra.kafkaBootstrap())) {
            producer.produce(Topics.USAGE_RAW, generator, letter, records, rate, tracker);
        }
        tracker.doneProducing();
        log(String.format(Locale.ROOT, "  produced %,d records (%,d unique) at %,.0f records/s; waiting until reporting shows them",
                tracker.recordsSent(), tracker.uniqueSent(), tracker.offeredRate()));
        awaitProgress(name, tracker::complete, tracker::creditedTotal, tracker.uniqueSent());
        Timeline.Point end = endPhase(name, start, tracker.uniqueSent());
        poller.track(null);
        if (profile) {
            pids.forEach((s, pid) -> {
                if (pid != 0) {
                    Profiles.stop(pid);
                    try {
                        Profiles.digest(resultsDir.resolve(s + ".jfr"), 25);
                    } catch (IOException | RuntimeException e) {
                        log("  profile of " + s + " unreadable: " + e.getMessage());
                    }
                }
            });
        }
        long rejected = probe.endOffsets(List.of(Topics.USAGE_REJECTED)).get(Topics.USAGE_REJECTED) - rejectedBefore;

        Percentiles lat = tracker.latencies();
        ObjectNode o = Api.JSON.createObjectNode();
        o.put("records", tracker.recordsSent()).put("uniqueEvents", tracker.uniqueSent())
                .put("duplicates", tracker.recordsSent() - tracker.uniqueSent())
                .put("offeredRate", rate > 0 ? String.format(Locale.ROOT, "%.0f", rate) : "max")
                .put("producedPerSecond", Math.round(tracker.offeredRate()))
                .put("seconds", round((tracker.lastVisibleNanos() - tracker.firstSendNanos()) / 1e9, 2))
                .put("eventsPerSecond", Math.round(tracker.endToEndRate()))
                .put("steadyEventsPerSecond", Math.round(tracker.steadyRate()))
                .put("rejectedRecords", rejected)
                .put("timelineFrom", round(start.seconds(), 1)).put("timelineTo", round(end.seconds(), 1));
        ObjectNode l = o.putObject("latencyMs");
        l.put("samples", lat.count()).put("p50", ms(lat.at(50))).put("p95", ms(lat.at(95))).put("p99", ms(lat.at(99)))
                .put("max", ms(lat.max())).put("resolutionMs", options.freshnessMs);
        log(String.format(Locale.ROOT, "  %s: %,d events visible in %.1f s = %,d events/s (steady %,d/s); latency p50 %.0f ms, p99 %.0f ms, max %.0f ms",
                name, tracker.uniqueSent(), (tracker.lastVisibleNanos() - tracker.firstSendNanos()) / 1e9,
                Math.round(tracker.endToEndRate()), Math.round(tracker.steadyRate()), ms(lat.at(50)), ms(lat.at(99)),
                ms(lat.max())));
        return o;
    }

    /**
     * Each stage alone on a backlog: ledger and reporting frozen (SIGSTOP) while ingest takes the
     * records; then the ledger resumed on the accepted backlog; then reporting on the entries.
     * A stage's time runs from its first visible progress (or from its resume, when it finished
     * within two seconds) until its whole output is there.
     */
    private ObjectNode stagePhase(long records) throws Exception {
        log(String.format(Locale.ROOT, "phase stages: %,d records, each stage alone on a backlog (the others frozen)", records));
        timeline.phase("stages");
        long[] base = poller.poll();
        sut.pause("reporting");
        sut.pause("ledger");
        Map<String, Long> ends = probe.endOffsets(List.of(Topics.USAGE_ACCEPTED, Topics.LEDGER_ENTRIES));
        long acceptedBase = ends.get(Topics.USAGE_ACCEPTED);
        long entriesBase = ends.get(Topics.LEDGER_ENTRIES);
        PhaseTracker tracker = new PhaseTracker("stages", base);
        ObjectNode o = Api.JSON.createObjectNode();
        try {
            Timeline.Point subStart = beginPhase("stage-ingest");
            try (RawProducer producer = new RawProducer(sut.infra.kafkaBootstrap())) {
                producer.produce(Topics.USAGE_RAW, generator, 'C', records, 0, tracker);
            }
            tracker.doneProducing();
            long unique = tracker.uniqueSent();
            long ingestDone = awaitOffset("ingest alone", Topics.USAGE_ACCEPTED, acceptedBase + unique);
            stage(o, "ingest", tracker.recordsSent(), (ingestDone - tracker.firstSendNanos()) / 1e9,
                    "raw records until every accepted event was on " + Topics.USAGE_ACCEPTED + ", from the first record produced");
            endPhase("stage-ingest", subStart, tracker.recordsSent());

            subStart = beginPhase("stage-ledger");
            AtomicLong firstEntries = watchFirstProgress(Topics.LEDGER_ENTRIES, entriesBase);
            long ledgerResumed = System.nanoTime();
            sut.resume("ledger");
            long ledgerDone = awaitOffset("ledger alone", Topics.LEDGER_ENTRIES, entriesBase + unique);
            stage(o, "ledger", unique, (ledgerDone - stageStart(ledgerResumed, firstEntries.get(), ledgerDone)) / 1e9,
                    "accepted events until every entry was on " + Topics.LEDGER_ENTRIES + ", from the first entry published");
            endPhase("stage-ledger", subStart, unique);

            subStart = beginPhase("stage-reporting");
            poller.track(tracker);
            long reportingResumed = System.nanoTime();
            sut.resume("reporting");
            awaitProgress("reporting alone", tracker::complete, tracker::creditedTotal, unique);
            long reportingDone = tracker.lastVisibleNanos();
            stage(o, "reporting", unique, (reportingDone - stageStart(reportingResumed, tracker.firstVisibleNanos(),
                    reportingDone)) / 1e9, "entries until reporting's freshness showed them all, from the first one visible");
            endPhase("stage-reporting", subStart, unique);
            poller.track(null);
        } finally {
            for (String s : List.of("ledger", "reporting")) {
                try {
                    sut.resume(s);
                } catch (RuntimeException e) {
                    log("  could not resume " + s + ": " + e.getMessage());
                }
            }
        }
        timeline.phase("stages-done");
        return o;
    }

    /** From the first progress seen, unless the stage was done within 2 s of it: then from the resume (no resolution). */
    private static long stageStart(long resumed, long firstProgress, long done) {
        return firstProgress > 0 && done - firstProgress >= 2_000_000_000L ? firstProgress : resumed;
    }

    private void stage(ObjectNode o, String name, long records, double seconds, String how) {
        ObjectNode s = o.putObject(name);
        s.put("records", records).put("seconds", round(seconds, 2)).put("recordsPerSecond", Math.round(records / seconds))
                .put("measured", how);
        log(String.format(Locale.ROOT, "  %s alone: %,d records in %.1f s = %,d records/s", name, records, seconds,
                Math.round(records / seconds)));
    }

    /** Watches a topic's end offset every 100 ms from now on; the value is the time it first moved past {@code base}. */
    private AtomicLong watchFirstProgress(String topic, long base) {
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

    /** Waits until the topic's end offset reaches {@code target}; the time it did, sampled every 100 ms. */
    private long awaitOffset(String what, String topic, long target) {
        long[] last = {probe.endOffsets(List.of(topic)).get(topic)};
        long[] doneAt = {0};
        awaitProgress(what, () -> {
            last[0] = probe.endOffsets(List.of(topic)).get(topic);
            if (last[0] >= target && doneAt[0] == 0) {
                doneAt[0] = System.nanoTime();
            }
            return last[0] >= target;
        }, () -> last[0], target);
        return doneAt[0];
    }

    /** Waits for {@code done}, failing when {@code progress} stands still for --stall-seconds. */
    private void awaitProgress(String what, BooleanSupplier done, LongSupplier progress, long target) {
        long lastValue = -1;
        long lastChange = System.nanoTime();
        long lastLog = System.nanoTime();
        while (!done.getAsBoolean()) {
            long v = progress.getAsLong();
            long now = System.nanoTime();
            if (v != lastValue) {
                lastValue = v;
                lastChange = now;
            } else if (now - lastChange > options.stallSeconds * 1_000_000_000L) {
                throw new IllegalStateException(what + " stalled at " + v + " of " + target + " for "
                        + options.stallSeconds + " s" + diagnostics());
            }
            if (now - lastLog > 10_000_000_000L) {
                log(String.format(Locale.ROOT, "  ... %s: %,d of %,d", what, v, target));
                lastLog = now;
            }
            sleep(50);
        }
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

    private Timeline.Point beginPhase(String name) {
        timeline.phase(name);
        markers.add(new SvgChart.Marker(seconds(), name.replace("stage-", "") + (name.startsWith("stage-") ? " alone" : "")));
        Timeline.Point p = timeline.sample();
        phaseBounds.put(name, new Timeline.Point[] {p, null});
        return p;
    }

    private Timeline.Point endPhase(String name, Timeline.Point start, long events) {
        Timeline.Point p = timeline.sample();
        phaseBounds.put(name, new Timeline.Point[] {start, p});
        phaseEvents.put(name, events);
        return p;
    }

    /** Per consumer group, in one phase: records consumed per second over the samples where the group had a backlog. */
    private ObjectNode backloggedRates(String phase) {
        ObjectNode o = Api.JSON.createObjectNode();
        List<Timeline.Point> points = timeline.points().stream().filter(p -> phase.equals(p.phase())).toList();
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
            ObjectNode s = o.putObject(g.replace("revshare-", ""));
            s.put("recordsPerSecondWhileBacklogged", seconds > 0 ? Math.round(consumed / seconds) : 0)
                    .put("backloggedSeconds", round(seconds, 1)).put("maxLag", maxLag);
        }
        return o;
    }

    // ---------------------------------------------------------------- correctness

    /**
     * The reporting figures of every benchmark partner equal the independent BigDecimal sums of
     * what was sent (duplicates counted once, late events as LATE_USAGE in the next open period),
     * to the last decimal; the ledger agrees and nothing was rejected or left unrated.
     */
    private boolean correctness() {
        log("correctness: reporting totals against the independent sum of what was sent");
        ObjectNode c = results.putObject("correctness");
        ArrayNode problems = c.putArray("problems");
        ArrayNode partners = c.putArray("partners");
        BigDecimal sentTotal = BigDecimal.ZERO;
        Map<YearMonth, JsonNode> overviews = new LinkedHashMap<>();
        for (int i = 0; i < partnerIds.size(); i++) {
            String id = partnerIds.get(i);
            Map<YearMonth, Expected.Totals> periods = expected.byPartner().getOrDefault(id, Map.of());
            JsonNode balance = ledger.get("/api/v1/partners/" + id + "/balance", finance);
            if (balance.path("unratedCount").asLong() != 0) {
                problems.add(id + ": ledger has " + balance.path("unratedCount").asLong() + " unrated events");
            }
            long freshness = poller.poll()[i];
            if (freshness != balance.path("lastSequence").asLong()) {
                problems.add(id + ": reporting freshness " + freshness + " != ledger lastSequence "
                        + balance.path("lastSequence").asLong());
            }
            BigDecimal partnerTotal = BigDecimal.ZERO;
            for (var e : periods.entrySet()) {
                YearMonth period = e.getKey();
                Expected.Totals want = e.getValue();
                partnerTotal = partnerTotal.add(want.total());
                JsonNode overview = overviews.computeIfAbsent(period,
                        p -> reporting.get("/api/v1/reports/periods/" + p, finance));
                JsonNode row = null;
                for (JsonNode r : overview) {
                    if (id.equals(r.path("partnerId").asText())) {
                        row = r;
                    }
                }
                ObjectNode pr = partners.addObject();
                pr.put("partnerId", id).put("period", period.toString())
                        .put("expectedTotal", want.total().toPlainString())
                        .put("expectedEvents", want.eventCount());
                if (row == null) {
                    problems.add(id + " " + period + ": no row in the period overview");
                    continue;
                }
                pr.put("reportedTotal", row.path("total").asText()).put("reportedEvents", row.path("eventCount").asLong());
                compare(problems, id + " " + period + " total", want.total(), row.path("total").asText());
                compare(problems, id + " " + period + " usageAmount", want.usageAmount, row.path("usageAmount").asText());
                compare(problems, id + " " + period + " adjustmentsAmount", want.lateAmount,
                        row.path("adjustmentsAmount").asText());
                if (row.path("eventCount").asLong() != want.eventCount()) {
                    problems.add(id + " " + period + ": eventCount " + row.path("eventCount").asLong() + ", expected "
                            + want.eventCount());
                }
                for (var q : want.quantities.entrySet()) {
                    String got = row.path("quantities").path(q.getKey()).asText("0");
                    if (!got.equals(Long.toString(q.getValue()))) {
                        problems.add(id + " " + period + ": quantities." + q.getKey() + " " + got + ", expected " + q.getValue());
                    }
                }
                BigDecimal rounded = want.total().setScale(2, java.math.RoundingMode.HALF_EVEN);
                if (new BigDecimal(row.path("amountDue").asText("0")).compareTo(rounded) != 0
                        || !row.path("amountDue").asText().equals(rounded.toPlainString())) {
                    problems.add(id + " " + period + ": amountDue " + row.path("amountDue").asText() + ", expected "
                            + rounded.toPlainString());
                }
            }
            compare(problems, id + " ledger receivable", partnerTotal, balance.path("receivable").asText());
            sentTotal = sentTotal.add(partnerTotal);
        }
        long rejected = 0;
        for (String phase : List.of("throughput", "latency")) {
            rejected += results.path(phase).path("rejectedRecords").asLong();
        }
        if (rejected > 0) {
            problems.add(rejected + " records were rejected: " + Rejections.summary(sut.infra.kafkaBootstrap(), 20));
        }
        c.put("uniqueEvents", expected.uniqueEvents()).put("duplicatesSent", expected.duplicates())
                .put("expectedGrandTotal", sentTotal.toPlainString());
        boolean passed = problems.isEmpty();
        c.put("passed", passed);
        if (passed) {
            log(String.format(Locale.ROOT, "  PASS: %d partners, %,d unique events (%,d duplicates dropped), grand total %s USD, to the last decimal",
                    partnerIds.size(), expected.uniqueEvents(), expected.duplicates(), sentTotal.toPlainString()));
        } else {
            System.out.println("[benchmark] CORRECTNESS FAILED:");
            problems.forEach(p -> System.out.println("[benchmark]   " + p.asText()));
        }
        return passed;
    }

    private static void compare(ArrayNode problems, String what, BigDecimal want, String got) {
        if (got == null || got.isEmpty() || new BigDecimal(got).compareTo(want) != 0) {
            problems.add(what + ": reported " + got + ", expected " + want.toPlainString());
        }
    }

    // ---------------------------------------------------------------- queries

    private ObjectNode queries() throws Exception {
        ObjectNode o = Api.JSON.createObjectNode();
        Timeline.Point loadStart = beginPhase("load");
        ReadModelLoader.Loaded loaded = ReadModelLoader.load(sut, ledger, admin, runId, options.loadEntries, options.seed,
                currentMonth, o);
        endPhase("load", loadStart, options.loadEntries);
        awaitUntil("reporting knows the loaded partners", Duration.ofSeconds(60), () -> reporting.send("GET",
                "/api/v1/reports/partners/" + loaded.biggestPartner() + "/statements/" + loaded.biggestPeriod(), finance,
                null, null).status() == 200);
        loaded.verify(reporting, finance, o);
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("periodOverview", "/api/v1/reports/periods/" + loaded.biggestPeriod());
        queries.put("statement", "/api/v1/reports/partners/" + loaded.biggestPartner() + "/statements/" + loaded.biggestPeriod());
        queries.put("summary", "/api/v1/reports/summary?from=" + loaded.firstPeriod() + "&to=" + loaded.lastPeriod()
                + "&groupBy=partner,model,metric,period");
        queries.put("summaryByPartner", "/api/v1/reports/summary?from=" + loaded.firstPeriod() + "&to="
                + loaded.lastPeriod() + "&groupBy=partner");
        log("timing report queries, " + options.querySamples + " sequential requests each");
        Timeline.Point queryStart = beginPhase("queries");
        long reportingPid = sut.servicePids().get("reporting");
        Path queryProfile = resultsDir.resolve("reporting-queries.jfr");
        if (options.profile && reportingPid != 0) {
            Profiles.start(reportingPid, queryProfile);
        }
        Map<String, QueryBench.Result> r = QueryBench.run(reporting, finance, queries, options.querySamples);
        if (options.profile && reportingPid != 0) {
            Profiles.stop(reportingPid);
            try {
                Profiles.digest(queryProfile, 25);
            } catch (IOException | RuntimeException e) {
                log("  query profile unreadable: " + e.getMessage());
            }
        }
        endPhase("queries", queryStart, (long) queries.size() * options.querySamples * 11 / 10);
        ObjectNode q = o.putObject("latency");
        r.forEach((name, res) -> {
            q.putObject(name).put("path", res.path()).put("samples", res.samples())
                    .put("p50Ms", round(res.p50Micros() / 1000.0, 2)).put("p99Ms", round(res.p99Micros() / 1000.0, 2))
                    .put("maxMs", round(res.maxMicros() / 1000.0, 2)).put("responseBytes", res.bytes());
            log(String.format(Locale.ROOT, "  %-15s p50 %.2f ms, p99 %.2f ms (%s)", name, res.p50Micros() / 1000.0,
                    res.p99Micros() / 1000.0, res.path()));
        });
        return o;
    }

    // ---------------------------------------------------------------- processes, ratios, targets

    private ObjectNode processes() {
        ObjectNode o = Api.JSON.createObjectNode();
        List<Timeline.Point> points = timeline.points();
        Map<String, Long> peakRss = new LinkedHashMap<>();
        long peakTogether = 0;
        for (Timeline.Point p : points) {
            long together = 0;
            for (var g : p.processes().entrySet()) {
                if ("benchmark".equals(g.getKey())) {
                    continue;
                }
                // PSS for PostgreSQL (shared buffers once), the peak RSS (VmHWM) of each JVM
                long kb = "postgresql".equals(g.getKey()) ? g.getValue().pssKb() : Math.max(g.getValue().maxHwmKb(), g.getValue().rssKb());
                peakRss.merge(g.getKey(), kb, Math::max);
                together += "postgresql".equals(g.getKey()) ? g.getValue().pssKb() : g.getValue().rssKb();
            }
            peakTogether = Math.max(peakTogether, together);
        }
        long sumOfPeaks = 0;
        for (String group : points.isEmpty() ? List.<String>of() : points.get(0).processes().keySet()) {
            ObjectNode g = o.putObject(group);
            if (!"benchmark".equals(group)) {
                long kb = peakRss.getOrDefault(group, 0L);
                g.put("peakRssMb", kb / 1024);
                sumOfPeaks += kb;
            }
            ObjectNode cpu = g.putObject("cpuSecondsByPhase");
            ObjectNode cores = g.putObject("coresByPhase");
            ObjectNode perEvent = g.putObject("cpuMicrosPerEventByPhase");
            phaseBounds.forEach((phase, bounds) -> {
                if (bounds[1] == null) {
                    return;
                }
                double used = bounds[1].processes().get(group).cpuSeconds() - bounds[0].processes().get(group).cpuSeconds();
                double wall = bounds[1].seconds() - bounds[0].seconds();
                cpu.put(phase, round(Math.max(0, used), 1));
                cores.put(phase, round(Math.max(0, used) / Math.max(1e-9, wall), 2));
                perEvent.put(phase, Math.round(Math.max(0, used) * 1e6 / Math.max(1, phaseEvents.getOrDefault(phase, 1L))));
            });
        }
        ObjectNode others = o.putObject("other processes");
        ObjectNode otherCores = others.putObject("coresByPhase");
        ObjectNode otherCpu = others.putObject("cpuSecondsByPhase");
        phaseBounds.forEach((phase, bounds) -> {
            if (bounds[1] == null) {
                return;
            }
            double ours = 0;
            for (String group : bounds[1].processes().keySet()) {
                ours += bounds[1].processes().get(group).cpuSeconds() - bounds[0].processes().get(group).cpuSeconds();
            }
            double machine = bounds[1].machineBusySeconds() - bounds[0].machineBusySeconds();
            double wall = bounds[1].seconds() - bounds[0].seconds();
            otherCpu.put(phase, round(Math.max(0, machine - ours), 1));
            otherCores.put(phase, round(Math.max(0, machine - ours) / Math.max(1e-9, wall), 2));
        });
        ObjectNode total = o.putObject("system");
        total.put("sumOfPeakRssMb", sumOfPeaks / 1024).put("peakConcurrentRssMb", peakTogether / 1024)
                .put("note", "JVMs: VmHWM; PostgreSQL: sum of PSS over the postmaster and its backends (shared "
                        + "buffers counted once), sampled every " + options.sampleMs + " ms");
        return o;
    }

    private void ratios() {
        double ceiling = results.path("references").path("ceiling").path("recordsPerSecond").asDouble();
        double naive = results.path("references").path("naive").path("eventsPerSecond").asDouble();
        for (String phase : List.of("throughput", "latency")) {
            ObjectNode p = (ObjectNode) results.path(phase);
            double v = p.path("eventsPerSecond").asDouble();
            putRatios(p, v, ceiling, naive);
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
            o.put("ratioToCeiling", round(value / ceiling, 3));
        }
        if (naive > 0) {
            o.put("ratioToNaive", round(value / naive, 1));
        }
    }

    private ArrayNode targets(boolean passed) {
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
        target(t, "correctness check", "passes", passed ? 1 : 0, passed, passed ? "PASS" : "FAIL");
        return t;
    }

    private static void target(ArrayNode t, String name, String goal, double value, boolean met, String unit) {
        t.addObject().put("target", name).put("goal", goal).put("measured", round(value, 3)).put("unit", unit).put("met", met);
    }

    // ---------------------------------------------------------------- helpers

    private Map<String, Object> optionsSummary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("events", options.events);
        m.put("rate", options.rate > 0 ? options.rate : "max");
        m.put("latencyRate", options.latencyRate);
        m.put("latencySeconds", options.latencySeconds);
        m.put("stageEvents", options.stageEvents);
        m.put("duplicates", options.duplicates);
        m.put("late", options.late);
        m.put("eur", options.eur);
        m.put("seed", options.seed);
        m.put("ceilingEvents", options.ceilingEvents);
        m.put("refThreads", options.refThreads);
        m.put("naiveEvents", options.naiveEvents);
        m.put("loadEntries", options.loadEntries);
        m.put("querySamples", options.querySamples);
        m.put("serviceJvm", String.join(" ", options.serviceJvm));
        m.put("serviceProps", options.serviceProps);
        m.put("durable", options.durable);
        m.put("profile", options.profile);
        m.put("smoke", options.smoke);
        return m;
    }

    private void awaitUntil(String what, Duration timeout, BooleanSupplier condition) {
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

    private double seconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }

    private void log(String line) {
        System.out.printf(Locale.ROOT, "[benchmark %6.1fs] %s%n", seconds(), line);
    }

    private void writeQuietly() {
        try {
            Files.writeString(resultsDir.resolve("results.json"), Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        } catch (IOException | RuntimeException e) {
            System.out.println("[benchmark] could not write results.json: " + e.getMessage());
        }
    }

    private void shutdown() {
        if (timeline != null) {
            timeline.close();
        }
        if (poller != null) {
            poller.close();
        }
        if (probe != null) {
            probe.close();
        }
        if (sut != null) {
            sut.close();
        }
    }

    static long sum(long[] values) {
        long s = 0;
        for (long v : values) {
            s += v;
        }
        return s;
    }

    static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    private static double ms(long micros) {
        return micros < 0 ? -1 : round(micros / 1000.0, 1);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("[benchmark] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
