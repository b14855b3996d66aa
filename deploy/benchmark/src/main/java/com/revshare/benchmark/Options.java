package com.revshare.benchmark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmark's command line; every size and rate has a default of a full run, {@code --smoke} a CI-sized preset. */
final class Options {
    static final String USAGE = """
            usage: java -jar deploy/benchmark/target/revshare-benchmark.jar [options]

            Starts Kafka, PostgreSQL and the three services (or targets a running system), runs the
            references and the pipeline phases, checks the money and writes results/<timestamp>/.

            workload
              --events N            throughput phase: records offered to revshare.usage.raw (2000000)
              --rate N|max          throughput phase: offered records/s (max)
              --latency-rate N      latency phase: fixed offered rate (5000)
              --latency-seconds S   latency phase: duration (60)
              --stage-events N      stage phase: records for each stage alone (1000000; 0 skips)
              --duplicates F        fraction of re-delivered records (0.015)
              --late F              fraction of events in the closed previous month (0.005)
              --eur F               fraction of events with EUR revenue (0.03)
              --seed N              generator seed (42)
              --single-partner      every event from one partner (aws): its events are handled in order, so each
                                    stage works on them serially; the output names the busiest thread (the limit)
            references (same run)
              --ceiling-events N    single-stage ceiling: records (500000)
              --ref-threads N       single-stage ceiling: consumer threads (2)
              --naive-events N      naive per-event design: records (3000)
            queries
              --load-entries N      entries COPY-loaded into reporting's read model (10000000; 0 skips)
              --query-samples N     timed requests per query (300)
            system
              --target-urls ingest=URL,ledger=URL,reporting=URL   use a running system instead
              --kafka HOST:PORT     (target) broker (127.0.0.1:9092)
              --pg-url URL          (target) jdbc:postgresql://127.0.0.1:5432
              --pg-user U --pg-password P   (target) postgres/postgres
              --reporting-db NAME   (target) reporting's database (revshare_reporting)
              --jwt-dir DIR         (target) the key pair the services trust (.revshare/jwt)
              --instances N         instances of each service, on the same databases and consumer groups (1; 2 supported)
              --service-jvm "OPTS"  JVM options of each service (-Xms64m -Xmx256m -XX:+UseSerialGC)
              --service-prop K=V    extra system property for every service (repeatable)
              --durable true|false  PostgreSQL fsync and synchronous_commit on (true)
              --profile             record JFR in each service during the throughput phase (and in reporting during the queries)
                                    (java -jar revshare-benchmark.jar --digest FILE.jfr... digests recordings)
            output
              --results DIR         results root (deploy/benchmark/results); a run writes DIR/<timestamp>/
              --sample-ms N         timeline sampling interval (1000)
              --freshness-ms N      freshness polling interval, the latency resolution (50)
              --stall-seconds N     fail when nothing progresses for this long (180)
              --keep-data           keep the broker's and PostgreSQL's data directory
              --smoke               CI preset: 10000 events, 5 s latency phase, small references and load
            """;

    long events = 2_000_000;
    double rate; // 0 = as fast as possible
    double latencyRate = 5_000;
    int latencySeconds = 60;
    long stageEvents = 1_000_000;
    double duplicates = 0.015;
    double late = 0.005;
    double eur = 0.03;
    long seed = 42;
    long ceilingEvents = 500_000;
    int refThreads = 2;
    long naiveEvents = 3_000;
    long loadEntries = 10_000_000;
    int querySamples = 300;
    Map<String, String> targetUrls = new LinkedHashMap<>();
    String kafka = "127.0.0.1:9092";
    String pgUrl = "jdbc:postgresql://127.0.0.1:5432";
    String pgUser = "postgres";
    String pgPassword = "postgres";
    String reportingDb = "revshare_reporting";
    Path jwtDir;
    List<String> serviceJvm = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC");
    Map<String, String> serviceProps = new LinkedHashMap<>();
    boolean durable = true;
    boolean profile;
    Path results;
    int sampleMs = 1000;
    int freshnessMs = 50;
    int stallSeconds = 180;
    boolean keepData;
    boolean smoke;
    boolean singlePartner;
    int instances = 1;

    boolean targetMode() {
        return !targetUrls.isEmpty();
    }

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> a = new ArrayList<>(List.of(args));
        if (a.contains("--smoke")) {
            o.smoke();
        }
        for (int i = 0; i < a.size(); i++) {
            String arg = a.get(i);
            switch (arg) {
                case "--smoke" -> { }
                case "--events" -> o.events = Long.parseLong(a.get(++i));
                case "--rate" -> o.rate = rate(a.get(++i));
                case "--latency-rate" -> o.latencyRate = Double.parseDouble(a.get(++i));
                case "--latency-seconds" -> o.latencySeconds = Integer.parseInt(a.get(++i));
                case "--stage-events" -> o.stageEvents = Long.parseLong(a.get(++i));
                case "--duplicates" -> o.duplicates = fraction(a.get(++i));
                case "--late" -> o.late = fraction(a.get(++i));
                case "--eur" -> o.eur = fraction(a.get(++i));
                case "--seed" -> o.seed = Long.parseLong(a.get(++i));
                case "--ceiling-events" -> o.ceilingEvents = Long.parseLong(a.get(++i));
                case "--ref-threads" -> o.refThreads = Integer.parseInt(a.get(++i));
                case "--naive-events" -> o.naiveEvents = Long.parseLong(a.get(++i));
                case "--load-entries" -> o.loadEntries = Long.parseLong(a.get(++i));
                case "--query-samples" -> o.querySamples = Integer.parseInt(a.get(++i));
                case "--target-urls" -> {
                    for (String kv : a.get(++i).split(",")) {
                        String[] p = kv.split("=", 2);
                        if (p.length != 2 || !List.of("ingest", "ledger", "reporting").contains(p[0])) {
                            throw new IllegalArgumentException("--target-urls wants ingest=URL,ledger=URL,reporting=URL");
                        }
                        o.targetUrls.put(p[0], p[1].replaceAll("/+$", ""));
                    }
                    if (o.targetUrls.size() != 3) {
                        throw new IllegalArgumentException("--target-urls wants all three services");
                    }
                }
                case "--kafka" -> o.kafka = a.get(++i);
                case "--pg-url" -> o.pgUrl = a.get(++i).replaceAll("/+$", "");
                case "--pg-user" -> o.pgUser = a.get(++i);
                case "--pg-password" -> o.pgPassword = a.get(++i);
                case "--reporting-db" -> o.reportingDb = a.get(++i);
                case "--jwt-dir" -> o.jwtDir = Path.of(a.get(++i));
                case "--service-jvm" -> o.serviceJvm = List.of(a.get(++i).trim().split("\\s+"));
                case "--service-prop" -> {
                    String[] p = a.get(++i).split("=", 2);
                    o.serviceProps.put(p[0], p.length > 1 ? p[1] : "");
                }
                case "--durable" -> o.durable = Boolean.parseBoolean(a.get(++i));
                case "--profile" -> o.profile = true;
                case "--results" -> o.results = Path.of(a.get(++i));
                case "--sample-ms" -> o.sampleMs = Integer.parseInt(a.get(++i));
                case "--freshness-ms" -> o.freshnessMs = Integer.parseInt(a.get(++i));
                case "--stall-seconds" -> o.stallSeconds = Integer.parseInt(a.get(++i));
                case "--keep-data" -> o.keepData = true;
                case "--single-partner" -> o.singlePartner = true;
                case "--instances" -> {
                    o.instances = Integer.parseInt(a.get(++i));
                    if (o.instances < 1 || o.instances > 4) {
                        throw new IllegalArgumentException("--instances wants 1 to 4 (2 is the measured case)");
                    }
                }
                case "--help", "-h" -> {
                    System.out.print(USAGE);
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + arg + " (try --help)");
            }
        }
        if (o.instances > 1 && o.targetMode()) {
            throw new IllegalArgumentException("--instances starts services: not with --target-urls");
        }
        return o;
    }

    private void smoke() {
        smoke = true;
        events = 10_000;
        latencyRate = 1_000;
        latencySeconds = 5;
        stageEvents = 3_000;
        ceilingEvents = 10_000;
        naiveEvents = 100;
        loadEntries = 20_000;
        querySamples = 20;
        sampleMs = 500;
        stallSeconds = 60;
    }

    private static double rate(String s) {
        return "max".equals(s) ? 0 : Double.parseDouble(s);
    }

    private static double fraction(String s) {
        double f = Double.parseDouble(s);
        if (f < 0 || f > 0.5) {
            throw new IllegalArgumentException("a fraction between 0 and 0.5: " + s);
        }
        return f;
    }
}
