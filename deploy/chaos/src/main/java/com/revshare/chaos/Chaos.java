package com.revshare.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.revshare.infra.ServiceProcess;

/**
 * The fault suite of issue 10 as a runnable tool: starts the broker, PostgreSQL and two instances
 * of each service, registers the partners, streams the events over Kafka and HTTP while injecting
 * the seeded faults, waits for the pipeline to go idle, checks the invariants, prints the fault
 * log and each invariant, writes {@code report.md} and {@code report.json}, and exits 1 on any
 * failure. {@code --help} lists the options.
 */
public final class Chaos {
    private Chaos() {
    }

    public static void main(String[] args) {
        Options options = Options.parse(args);
        Result result = run(options);
        System.exit(result.passed() ? 0 : 1);
    }

    /** The verdict of a run and where its report is. */
    public record Result(boolean passed, List<Checker.Invariant> invariants, Path report) {
        public String failures() {
            return invariants.stream().filter(i -> !i.pass()).map(i -> i.name() + ": " + i.evidence())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
        }
    }

    static Result run(Options options) {
        Instant start = Instant.now();
        boolean temporary = options.work == null;
        Path work;
        try {
            work = temporary ? Files.createTempDirectory("revshare-chaos-") : Files.createDirectories(options.work);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path out = options.outDir().toAbsolutePath();
        System.out.printf("[chaos] seed %d: %,d events, %d faults, %,d hostile records; work %s, report %s%n",
                options.seed, options.events, options.faults, options.fuzz, work, out);
        Workload workload = new Workload(options.seed, options.events, options.partners, start);
        Fuzz fuzz = new Fuzz(options.seed, workload);
        Map<String, Object> timings = new LinkedHashMap<>();
        try (ChaosSystem system = ChaosSystem.start(work)) {
            timings.put("startupSeconds", seconds(start));
            Setup.partners(system, workload);
            Instant streamStart = Instant.now();
            Streamer streamer = new Streamer(options, workload, fuzz, system);
            Faults faults = new Faults(options, system, start);
            Thread injector = new Thread(() -> faults.run(streamer.offered::get, () -> streamer.finished), "faults");
            injector.start();
            streamer.run();
            timings.put("streamSeconds", seconds(streamStart));
            injector.join();
            timings.put("faultsDoneSeconds", seconds(streamStart));
            String ready = faults.awaitAllReady(Duration.ofSeconds(300));
            System.out.println("[chaos] stream and faults done; " + ready);
            Checker checker = new Checker(options, workload, system, streamer);
            checker.awaitIdle();
            checker.checkAll();
            timings.put("totalSeconds", seconds(start));
            Map<String, Object> counts = new LinkedHashMap<>();
            counts.put("kafkaSends", streamer.kafkaSends.get());
            counts.put("kafkaResends", streamer.kafkaResends.get());
            counts.put("httpBatches", streamer.httpBatches.get());
            counts.put("httpEvents", streamer.httpEvents.get());
            counts.put("httpRetries", streamer.httpRetries.get());
            counts.put("duplicatesSent", streamer.duplicatesSent.get());
            counts.put("fuzzKafka", streamer.fuzzKafka.get());
            counts.put("fuzzHttp", streamer.fuzzHttp.get());
            counts.put("supervisorRestarts", faults.supervisorRestarts());
            counts.putAll(checker.facts);
            Report.write(out, options, workload, faults.log, checker.invariants, counts, timings, system, work);
            boolean passed = checker.invariants.stream().allMatch(Checker.Invariant::pass);
            System.out.println("[chaos] " + (passed ? "PASSED" : "FAILED") + " — report " + out.resolve("report.md"));
            return new Result(passed, checker.invariants, out.resolve("report.md"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            if (temporary) {
                copyLogs(work.resolve("logs"), out.resolve("logs"));
                delete(work);
            }
        }
    }

    private static double seconds(Instant since) {
        return Math.round(Duration.between(since, Instant.now()).toMillis() / 100.0) / 10.0;
    }

    /** Keeps the services' logs beside the report (the work directory is deleted). */
    private static void copyLogs(Path from, Path to) {
        try (var files = Files.list(from)) {
            Files.createDirectories(to);
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            System.err.println("[chaos] could not keep the logs: " + e.getMessage());
        }
    }

    private static void delete(Path dir) {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("[chaos] could not delete " + dir + ": " + e.getMessage());
        }
    }

    static List<ServiceProcess> all(ChaosSystem system) {
        return List.copyOf(system.instances.values());
    }
}
