package com.revshare.chaos;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * What one run of the fault suite does. The defaults are the full run of issue 10 (≥ 1,000,000
 * events, ≥ 30 faults, ≥ 100,000 hostile records); {@link #ci()} is the version CI runs.
 */
final class Options {
    int events = 1_000_000;
    int faults = 30;
    long seed = 20261203L;
    int fuzz = 100_000;
    /** Partners sending usage; the last one also sends late events (its first month is closed). */
    int partners = 8;
    /** Share of events sent over HTTP; the rest goes to revshare.usage.raw. */
    double httpShare = 0.4;
    /** Probability that an event is sent once more (by either path) later in the stream. */
    double duplicateRate = 0.05;
    /** Events offered per second: paces the stream so that the faults hit it in flight. */
    int ratePerSecond = 1500;
    int httpBatchSize = 100;
    /** How long an instance stays frozen (SIGSTOP): longer than the consumers' session timeout. */
    int pauseSeconds = 15;
    /** A crashed process stays down between these two bounds before it is restarted. */
    int downMinMillis = 2000;
    int downMaxMillis = 5000;
    /** After the stream, the checks run once the pipeline shows no progress for this long (or is complete). */
    int stallSeconds = 180;
    Path out;
    Path work;

    /** The CI version: ≥ 50,000 events, ≥ 6 faults (one broker and one PostgreSQL crash among them), small fuzz. */
    static Options ci() {
        Options o = new Options();
        o.events = 50_000;
        o.faults = 6;
        o.fuzz = 2_000;
        o.partners = 6;
        o.ratePerSecond = 600;
        o.pauseSeconds = 12;
        o.stallSeconds = 90;
        return o;
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--ci" -> {
                    Options ci = ci();
                    ci.out = o.out;
                    ci.work = o.work;
                    ci.seed = o.seed;
                    o = ci;
                }
                case "--events" -> o.events = Integer.parseInt(args[++i]);
                case "--faults" -> o.faults = Integer.parseInt(args[++i]);
                case "--seed" -> o.seed = Long.parseLong(args[++i]);
                case "--fuzz" -> o.fuzz = Integer.parseInt(args[++i]);
                case "--partners" -> o.partners = Integer.parseInt(args[++i]);
                case "--http-share" -> o.httpShare = Double.parseDouble(args[++i]);
                case "--duplicates" -> o.duplicateRate = Double.parseDouble(args[++i]);
                case "--rate" -> o.ratePerSecond = Integer.parseInt(args[++i]);
                case "--pause-seconds" -> o.pauseSeconds = Integer.parseInt(args[++i]);
                case "--stall-seconds" -> o.stallSeconds = Integer.parseInt(args[++i]);
                case "--out" -> o.out = Path.of(args[++i]);
                case "--work" -> o.work = Path.of(args[++i]);
                case "--help", "-h" -> {
                    System.out.println(usage());
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        if (o.partners < 2) {
            throw new IllegalArgumentException("--partners must be at least 2 (one of them sends late events)");
        }
        return o;
    }

    Path outDir() {
        if (out == null) {
            out = Path.of("deploy/chaos/results", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
        }
        return out;
    }

    static String usage() {
        return """
                java -jar deploy/chaos/target/revshare-chaos.jar [options]
                  --ci                 the CI version (50,000 events, 6 faults, 2,000 fuzz records)
                  --events N           usage events (unique), default 1,000,000
                  --faults N           faults injected at seeded random instants, default 30
                  --seed S             seed of the events, the faults and their instants
                  --fuzz N             malformed or hostile records over both paths, default 100,000
                  --partners N         partners (the last one sends late events), default 8
                  --http-share F       share of events sent over HTTP, default 0.4
                  --duplicates F       share of events sent twice, default 0.05
                  --rate N             events offered per second, default 1500
                  --pause-seconds N    SIGSTOP length, default 15
                  --stall-seconds N    give up waiting for the pipeline after N s without progress, default 180
                  --out DIR            report directory, default deploy/chaos/results/<timestamp>
                  --work DIR           broker and PostgreSQL data, logs; default a temporary directory
                Exit code 0 when every invariant holds, 1 otherwise.""";
    }
}
