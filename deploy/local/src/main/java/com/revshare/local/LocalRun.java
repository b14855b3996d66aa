package com.revshare.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.EmbeddedKafka;
import com.revshare.infra.EmbeddedPostgresServer;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.JwtKeys;
import com.revshare.infra.Ports;
import com.revshare.infra.ProjectFiles;
import com.revshare.infra.ServiceProcess;
import com.revshare.infra.Topics;

/**
 * Runs the whole system locally on embedded defaults: Kafka on 9092, PostgreSQL on 5432, ingest
 * on 8081, ledger on 8082, reporting on 8083, their management ports (health, metrics: SPEC §8)
 * on 9081, 9082, 9083. Keeps its data (broker logs, database, key pair)
 * in the data directory across runs; {@code --reset} starts from nothing. Ctrl-C stops all.
 */
public final class LocalRun {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration TOKEN_TTL = Duration.ofDays(30);

    private LocalRun() {
    }

    public static void main(String[] args) throws Exception {
        LocalSystem system = start(Options.parse(args));
        system.printWhereToLook();
        new CountDownLatch(1).await();
    }

    /**
     * What a local run started, and where to look; {@link #close()} stops it all. {@code seeded} is
     * what the demo seeding did, null when this run did not seed (the month's demo was there).
     */
    record LocalSystem(Path data, Path tokensFile, JwtKeys jwt, EmbeddedKafka kafka, EmbeddedPostgresServer pg,
            Map<String, ServiceProcess> services, YearMonth month, JsonNode closedReport, JsonNode report,
            DemoSeeder.Result seeded, Duration startup) implements AutoCloseable {

        String url(String service) {
            return services.get(service).baseUrl();
        }

        void printWhereToLook() {
            printReport(closedReport, month.minusMonths(1));
            printReport(report, month);
            String reporting = url("reporting");
            System.out.println();
            System.out.println("revshare is running (ready in " + startup.toSeconds() + " s). Ctrl-C stops everything.");
            System.out.println("  data directory   " + data);
            System.out.println("  tokens           " + tokensFile + "  (admin, finance, one per partner; 30 days)");
            System.out.println("  kafka            " + kafka.bootstrapServers());
            System.out.println("  postgresql       " + pg.serverUrl() + " (revshare_ingest, revshare_ledger, revshare_reporting)");
            services.forEach((name, s) -> System.out.printf("  %-16s %s/q/openapi   %s/q/health/ready   %s/q/metrics   log %s%n",
                    name, s.baseUrl(), s.managementUrl(), s.managementUrl(), s.log()));
            System.out.println("  report           " + reporting + "/api/v1/reports/periods/" + month);
            System.out.println("  receivables      " + reporting + "/api/v1/reports/receivables");
            System.out.println("  dashboard        " + reporting + "/dashboard/#token=" + jwt.finance(TOKEN_TTL));
            System.out.println("  try              curl -H \"Authorization: Bearer $(jq -r .finance " + tokensFile + ")\" "
                    + reporting + "/api/v1/reports/receivables");
            if (seeded != null) {
                System.out.println();
                System.out.println("demo data: six months of usage, " + month.minusMonths(1) + " and before closed; in the dashboard look at");
                System.out.println("  receivables      " + seeded.latePayer() + " pays late (money in every aging bucket), "
                        + seeded.overpayer() + " overpaid (unallocated credit)");
                if (seeded.healedControlId() != null) {
                    System.out.println("  reconciliation   " + seeded.reconciledPartner() + ": control " + seeded.shortControlId()
                            + " stays SHORT, " + seeded.healedControlId() + " was SHORT until its late events came");
                }
                System.out.println("  statements       " + seeded.adjustedPartner() + " " + month + " has a manual adjustment, "
                        + seeded.reratedPartner() + " " + month + " was re-rated from " + seeded.reratedFrom()
                        + " (REVERSAL entries)");
                System.out.println("  audit log        every command above, with its actor");
                seeded.skipped().forEach(s -> System.out.println("  not seeded       " + s));
            }
        }

        private static void printReport(JsonNode rows, YearMonth period) {
            System.out.println();
            System.out.printf("%-8s %-14s %-6s %8s %18s %12s%n", "period", "partner", "status", "events", "total", "amountDue");
            for (JsonNode row : rows) {
                System.out.printf("%-8s %-14s %-6s %8s %18s %12s %s%n", period, row.path("partnerId").asText(),
                        row.path("status").asText(), row.path("eventCount").asText(), row.path("total").asText(),
                        row.path("amountDue").asText(), row.path("currency").asText());
            }
        }

        @Override
        public void close() {
            services.values().forEach(ServiceProcess::stop);
            kafka.close();
            pg.close();
        }
    }

    /**
     * Starts PostgreSQL, the broker and the services and, on the first start of a month (or with
     * {@code --demo}), seeds the demo data through {@link DemoSeeder}.
     */
    static LocalSystem start(Options options) throws Exception {
        Path data = options.dataDir.toAbsolutePath().normalize();
        if (options.reset && Files.exists(data)) {
            System.out.println("[revshare-local] --reset: deleting " + data);
            try (var paths = Files.walk(data)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        Files.createDirectories(data);
        Instant started = Instant.now();
        System.out.println("[revshare-local] data directory " + data);

        EmbeddedPostgresServer pg = EmbeddedPostgresServer.start(data.resolve("postgres"), options.pgPort, true);
        EmbeddedKafka kafka = EmbeddedKafka.start(data.resolve("kafka"), options.kafkaPort, Duration.ofSeconds(60));
        JwtKeys jwt = JwtKeys.loadOrCreate(data.resolve("jwt"));
        Infrastructure infra = Infrastructure.of(kafka.bootstrapServers(), pg.serverUrl(), "postgres", "postgres", jwt);
        infra.ensureTopics(Topics.ALL);

        Instant now = options.demoNow != null ? options.demoNow : Instant.now();
        YearMonth month = YearMonth.from(now.atZone(ZoneOffset.UTC));
        List<DemoData.Partner> partners = DemoData.partners("");
        List<String> partnerIds = partners.stream().map(DemoData.Partner::id).toList();
        Path tokensFile = jwt.writeTokens(partnerIds, TOKEN_TTL);

        Map<String, int[]> ports = new LinkedHashMap<>(); // {API, management}; 0 = a free port, chosen now
        ports.put("ingest", new int[] {Ports.orFree(options.ingestPort), options.ingestManagementPort});
        ports.put("ledger", new int[] {Ports.orFree(options.ledgerPort), options.ledgerManagementPort});
        ports.put("reporting", new int[] {Ports.orFree(options.reportingPort), options.reportingManagementPort});
        // the dashboard (served by reporting) calls ledger and ingest from the browser: their CORS origins
        int reportingPort = ports.get("reporting")[0];
        String dashboardOrigins = "http://localhost:" + reportingPort + ",http://127.0.0.1:" + reportingPort;
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        for (var e : ports.entrySet()) {
            String module = e.getKey() + "-service";
            Map<String, String> props = new LinkedHashMap<>();
            props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            props.put("quarkus.datasource.jdbc.url", infra.createDatabase("revshare_" + e.getKey()));
            // explicit: production configuration has no default user or password
            props.put("quarkus.datasource.username", infra.pgUser());
            props.put("quarkus.datasource.password", infra.pgPassword());
            props.put("mp.jwt.verify.publickey.location", jwt.publicKeyPath().toString());
            // three JVMs, a broker and PostgreSQL starting at once on a small machine: wait for a connection
            props.put("quarkus.datasource.jdbc.acquisition-timeout", "60S");
            if ("reporting".equals(e.getKey())) { // where the dashboard finds the other two APIs
                props.put("revshare.dashboard.ledger-url", "http://localhost:" + ports.get("ledger")[0]);
                props.put("revshare.dashboard.ingest-url", "http://localhost:" + ports.get("ingest")[0]);
            } else { // read as ${REVSHARE_DASHBOARD_ORIGINS} by quarkus.http.cors.origins
                props.put("REVSHARE_DASHBOARD_ORIGINS", dashboardOrigins);
            }
            services.put(e.getKey(), ServiceProcess.start(module, module, e.getValue()[0],
                    e.getValue()[1], props, List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"), data.resolve("logs")));
        }
        for (ServiceProcess s : services.values()) {
            s.awaitReady(Duration.ofSeconds(180)); // generous: a loaded CI machine starts a service slowly
        }
        Duration startup = Duration.between(started, Instant.now());
        String reporting = services.get("reporting").baseUrl();

        Path marker = data.resolve("demo-" + month + ".done");
        DemoSeeder.Result seeded = null;
        if (!Files.exists(marker) || options.demo) {
            Map<String, String> partnerTokens = new LinkedHashMap<>();
            partnerIds.forEach(id -> partnerTokens.put(id, jwt.partner(id, TOKEN_TTL)));
            seeded = DemoSeeder.seed(services.get("ingest").baseUrl(), services.get("ledger").baseUrl(), reporting,
                    kafka.bootstrapServers(), jwt.admin(TOKEN_TTL), jwt.finance(TOKEN_TTL), partnerTokens, now,
                    DemoSeeder.Options.defaults().withEventsPerMonth(options.demoEvents));
            Files.writeString(marker, Instant.now().toString());
        }
        String finance = jwt.finance(TOKEN_TTL);
        JsonNode closedReport = JSON.readTree(send("GET", reporting + "/api/v1/reports/periods/" + month.minusMonths(1),
                finance, null));
        JsonNode report = JSON.readTree(send("GET", reporting + "/api/v1/reports/periods/" + month, finance, null));
        return new LocalSystem(data, tokensFile, jwt, kafka, pg, services, month, closedReport, report, seeded, startup);
    }

    private static String send(String method, String url, String token, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(30));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body();
    }

    /** Command-line options; every port can be moved, the data directory too. */
    static final class Options {
        Path dataDir = ProjectFiles.root().resolve(".revshare");
        boolean reset;
        boolean demo;
        int demoEvents = 3000;
        /** The demo's present; null = now (tests pin it to seed the same data twice). */
        Instant demoNow;
        int kafkaPort = 9092;
        int pgPort = 5432;
        int ingestPort = 8081;
        int ledgerPort = 8082;
        int reportingPort = 8083;
        int ingestManagementPort = 9081;
        int ledgerManagementPort = 9082;
        int reportingManagementPort = 9083;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--reset" -> o.reset = true;
                    case "--demo" -> o.demo = true;
                    case "--data-dir" -> o.dataDir = Path.of(args[++i]);
                    case "--demo-events" -> o.demoEvents = Integer.parseInt(args[++i]);
                    case "--kafka-port" -> o.kafkaPort = Integer.parseInt(args[++i]);
                    case "--pg-port" -> o.pgPort = Integer.parseInt(args[++i]);
                    case "--ingest-port" -> o.ingestPort = Integer.parseInt(args[++i]);
                    case "--ledger-port" -> o.ledgerPort = Integer.parseInt(args[++i]);
                    case "--reporting-port" -> o.reportingPort = Integer.parseInt(args[++i]);
                    case "--ingest-management-port" -> o.ingestManagementPort = Integer.parseInt(args[++i]);
                    case "--ledger-management-port" -> o.ledgerManagementPort = Integer.parseInt(args[++i]);
                    case "--reporting-management-port" -> o.reportingManagementPort = Integer.parseInt(args[++i]);
                    case "--help", "-h" -> {
                        System.out.println("""
                                usage: deploy/run-local.sh [--reset] [--demo] [--demo-events N] [--data-dir DIR]
                                                           [--kafka-port 9092] [--pg-port 5432]
                                                           [--ingest-port 8081] [--ledger-port 8082] [--reporting-port 8083]
                                                           [--ingest-management-port 9081] [--ledger-management-port 9082]
                                                           [--reporting-management-port 9083]
                                  ports: 0 = any free port; health and metrics are on the management ports only
                                  --reset   delete the data directory first (database, broker logs, key pair)
                                  --demo    seed the demo data again (ids repeat: nothing is added twice)
                                  --demo-events N   demo usage events per month over all partners (default 3000)""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            return o;
        }
    }
}
