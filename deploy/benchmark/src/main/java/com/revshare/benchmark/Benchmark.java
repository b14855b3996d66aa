package com.revshare.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.ProjectFiles;

/**
 * The revshare benchmark (issue 7). One run: start the system (or target a running one),
 * measure the two references, register the demo partners, then three pipeline phases
 * (throughput at the offered rate, latency at a fixed rate, each stage alone), check the money
 * to the last decimal and the period proofs, load the read model and time the report queries,
 * and write the table, the JSON figures and an HTML plot under results/&lt;timestamp&gt;/. Exit
 * code 0 only when the correctness check passed.
 *
 * <p>This class only orders the phases and writes their typed results out; each phase is its
 * own class ({@link ReferencesPhase}, {@link SetupPhase}, {@link PipelinePhase},
 * {@link StagesPhase}, {@link MoneyCheck}, {@link ProofCheck}, {@link QueryPhase}), the figures
 * over the whole run are {@link ProcessFigures}, {@link StoredRows} and {@link Targets}.
 */
public final class Benchmark {
    private final Options options;
    private final Path resultsDir;
    private final String runId;
    private final Log log = new Log(System.nanoTime());
    private final ObjectNode results = Api.JSON.createObjectNode();
    /** What must be closed at the end, in order; filled as the run starts things. */
    private final List<AutoCloseable> open = new ArrayList<>();

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
        log.line("results: " + resultsDir);
        ObjectNode run = results.putObject("run");
        run.put("id", runId);
        run.put("startedAt", started.toString());
        run.set("machine", Machine.describe());
        run.set("options", Api.JSON.valueToTree(optionsSummary()));
        run.put("mode", options.targetMode() ? "target" : "managed");

        SystemUnderTest sut = startSystem();
        List<String> partnerIds = new ArrayList<>();
        for (Workload.Partner p : Workload.PARTNERS) {
            partnerIds.add(options.targetMode() ? p.baseId() + "-" + runId : p.baseId());
        }

        ReferencesPhase.References references = ReferencesPhase.run(options, sut, runId, partnerIds, log);
        results.set("references", references.json());

        RunContext ctx = startPipeline(sut, partnerIds);
        results.set("baseline", SetupPhase.run(ctx).json());
        ctx.poller().start();
        ctx.timeline().start(options.sampleMs);

        StoredRows.Snapshot rowsBefore = sut.managed ? StoredRows.count(sut) : null;
        PipelinePhase.Figures throughput = PipelinePhase.run(ctx, "throughput", 'A', options.events, options.rate, options.profile);
        PipelinePhase.Figures latency = PipelinePhase.run(ctx, "latency", 'B',
                (long) (options.latencyRate * options.latencySeconds), options.latencyRate, false);
        results.set("throughput", throughput.json());
        results.set("latency", latency.json());
        results.set("stagesUnderLoad", StagesPhase.backloggedJson(StagesPhase.backloggedRates(ctx.timeline().points(), "throughput")));
        StagesPhase.Stages stages;
        if (options.stageEvents > 0 && sut.canIsolateStages()) {
            stages = StagesPhase.run(ctx, options.stageEvents);
        } else {
            stages = new StagesPhase.Stages(Map.of(), sut.canIsolateStages() ? "--stage-events 0"
                    : "a targeted system cannot be stopped; see stagesUnderLoad");
        }
        results.set("stages", stages.json());
        if (rowsBefore != null) {
            long events = throughput.uniqueEvents() + latency.uniqueEvents()
                    + (stages.stages().containsKey("ledger") ? stages.stages().get("ledger").records() : 0);
            results.set("storage", new StoredRows.Growth(rowsBefore, StoredRows.count(sut), events).json());
        } else {
            results.putObject("storage").put("skipped", "a targeted system's databases are not counted");
        }

        ctx.timeline().phase("check");
        MoneyCheck.Result money = MoneyCheck.run(ctx, throughput.rejectedRecords() + latency.rejectedRecords());
        ProofCheck.Result proofs = ProofCheck.run(ctx);
        MoneyCheck.Result verdict = money.with(proofs.problems());
        boolean passed = verdict.passed();
        results.set("correctness", verdict.json());
        results.set("proofs", proofs.json());
        ctx.poller().close(); // its polling would compete with the timed queries
        if (options.loadEntries > 0) {
            results.set("queries", QueryPhase.run(ctx).json());
        }
        ctx.timeline().phase("end");
        ctx.timeline().sample();
        ctx.timeline().close();

        ProcessFigures.Figures processes = ProcessFigures.from(ctx.timeline().points(), ctx.phases().finished(), options.sampleMs);
        results.set("processes", processes.json());
        putCpuRatio((ObjectNode) results.get("throughput"), processes, references);
        if (options.singlePartner) {
            results.set("singlePartner", singlePartner(ctx, throughput));
        }
        Targets.putRatios(results);
        results.set("targets", Targets.of(results, passed));
        results.put("finishedAt", Instant.now().toString());
        run.put("loadAverageEnd", Machine.loadAverage());
        return write(ctx, passed, defaultResults);
    }

    /** Starts the broker and PostgreSQL (managed) or connects to the targeted system. */
    private SystemUnderTest startSystem() throws IOException {
        Path logs = resultsDir.resolve("logs");
        SystemUnderTest sut;
        if (options.targetMode()) {
            sut = SystemUnderTest.target(options, logs);
        } else {
            Path work = Files.createTempDirectory("revshare-benchmark-");
            log.line("starting PostgreSQL and Kafka (work dir " + work + ", durable=" + options.durable + ")");
            sut = SystemUnderTest.start(options, work, logs);
            if (!options.keepData) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteTree(work), "benchmark-cleanup"));
            }
        }
        open.add(sut);
        return sut;
    }

    /** Starts the services (managed) and the instruments, and fixes what every later phase works with. */
    private RunContext startPipeline(SystemUnderTest sut, List<String> partnerIds) {
        if (sut.managed) {
            log.line("starting " + (options.instances > 1 ? options.instances + " instances each of " : "")
                    + "ingest, ledger and reporting (" + String.join(" ", options.serviceJvm) + ")");
            sut.startServices();
        }
        String admin = sut.infra.jwt().admin(RunContext.TOKEN_TTL);
        String finance = sut.infra.jwt().finance(RunContext.TOKEN_TTL);
        Api reporting = new Api(sut.urls.get("reporting"));
        KafkaProbe probe = new KafkaProbe(sut.infra.kafkaBootstrap());
        open.add(0, probe);
        FreshnessPoller poller = new FreshnessPoller(reporting, finance, partnerIds, options.freshnessMs);
        open.add(0, poller);
        Map<String, Supplier<List<Long>>> groups = new LinkedHashMap<>(sut.processGroups());
        long self = ProcessHandle.current().pid();
        groups.put("benchmark", () -> List.of(self));
        Timeline timeline = new Timeline(probe, groups, poller::visibleTotal, log.startNanos());
        open.add(0, timeline);
        Clock clock = Clock.systemUTC();
        YearMonth currentMonth = YearMonth.now(clock);
        YearMonth closedMonth = currentMonth.minusMonths(1);
        Expected expected = new Expected();
        FeedGenerator generator = new FeedGenerator(partnerIds, runId, options.seed, clock, closedMonth, options.duplicates,
                options.late, options.eur, expected);
        if (options.singlePartner) {
            generator.onlyPartner(0);
        }
        return new RunContext(options, resultsDir, runId, log, sut, admin, finance, List.copyOf(partnerIds), currentMonth,
                closedMonth, new Api(sut.urls.get("ingest")), new Api(sut.urls.get("ledger")), reporting, probe, poller,
                timeline, new PhaseClock(timeline, log), new Waits(log, options.stallSeconds, probe, sut, poller), generator,
                expected);
    }

    /**
     * Issue 14's CPU ratio, measured in one run: the system's core-µs per event in the throughput
     * phase (broker, PostgreSQL, the services; the benchmark's own JVM left out) over the ceiling
     * stage's own core-µs per record (its consumer, PostgreSQL and the broker).
     */
    private static void putCpuRatio(ObjectNode throughput, ProcessFigures.Figures processes,
            ReferencesPhase.References references) {
        Map<String, Long> perProcess = processes.systemMicrosPerEvent("throughput");
        if (perProcess.isEmpty()) {
            return;
        }
        long system = perProcess.values().stream().mapToLong(Long::longValue).sum();
        ObjectNode cpu = throughput.putObject("cpu");
        cpu.set("microsPerEventByProcess", Api.JSON.valueToTree(perProcess));
        cpu.put("systemMicrosPerEvent", system);
        double ceiling = references.ceilingCoreMicrosPerRecord();
        if (ceiling > 0) {
            cpu.put("ceilingMicrosPerRecord", Log.round(ceiling, 1)).put("ratioToCeiling", Log.round(system / ceiling, 2))
                    .put("goal", "<= " + Targets.CPU_RATIO_GOAL + "x (issue 14)");
        }
    }

    /** --single-partner: the partner, its rate, and the busiest thread of the throughput phase (what limits it). */
    private static ObjectNode singlePartner(RunContext ctx, PipelinePhase.Figures throughput) {
        ObjectNode o = Api.JSON.createObjectNode();
        o.put("partnerId", ctx.partnerIds().get(0)).put("eventsPerSecond", Math.round(throughput.eventsPerSecond()))
                .put("steadyEventsPerSecond", Math.round(throughput.steadyEventsPerSecond()));
        ThreadCpu.Thread top = throughput.busiest().top();
        if (top != null) {
            o.put("limitedBy", throughput.busiest().saturated()
                    ? top.group() + " (thread " + top.name() + " at " + Log.round(top.cores(), 2) + " of one core)"
                    : "no single thread saturated (busiest: " + top.group() + " " + top.name() + " at "
                            + Log.round(top.cores(), 2) + " cores): the machine's cores");
        }
        return o;
    }

    private Outcome write(RunContext ctx, boolean passed, boolean defaultResults) throws IOException {
        String summary = Report.summaryLine(results, passed);
        results.put("summary", summary);
        String table = Report.table(results);
        List<Timeline.Point> points = ctx.timeline().points();
        Files.writeString(resultsDir.resolve("results.json"), Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        Files.writeString(resultsDir.resolve("timeline.json"), Api.JSON.writeValueAsString(Report.timelineJson(points)));
        Files.writeString(resultsDir.resolve("report.html"), Report.html(results, points, ctx.phases().markers(), table));
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
        m.put("singlePartner", options.singlePartner);
        m.put("instances", options.instances);
        return m;
    }

    private void writeQuietly() {
        try {
            Files.writeString(resultsDir.resolve("results.json"), Api.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(results));
        } catch (IOException | RuntimeException e) {
            System.out.println("[benchmark] could not write results.json: " + e.getMessage());
        }
    }

    /** Closes the timeline, the poller, the probe, then the system (services, broker, PostgreSQL). */
    private void shutdown() {
        for (AutoCloseable c : open) {
            try {
                c.close();
            } catch (Exception e) {
                System.out.println("[benchmark] closing " + c.getClass().getSimpleName() + ": " + e.getMessage());
            }
        }
    }

    /** Kept for {@link ReadModelLoader} and {@link Report}. */
    static double round(double v, int digits) {
        return Log.round(v, digits);
    }

    private static void deleteTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            System.err.println("[benchmark] could not delete " + dir + ": " + e.getMessage());
        }
    }
}
