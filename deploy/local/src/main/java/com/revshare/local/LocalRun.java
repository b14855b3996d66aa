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
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

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

    /** What a local run started, and where to look; {@link #close()} stops it all. */
    record LocalSystem(Path data, Path tokensFile, JwtKeys jwt, EmbeddedKafka kafka, EmbeddedPostgresServer pg,
            Map<String, ServiceProcess> services, YearMonth month, JsonNode report, Duration startup)
            implements AutoCloseable {

        String url(String service) {
            return services.get(service).baseUrl();
        }

        void printWhereToLook() {
            System.out.println();
            System.out.printf("%-14s %-6s %8s %18s %12s%n", "partner", "status", "events", "total", "amountDue");
            for (JsonNode row : report) {
                System.out.printf("%-14s %-6s %8s %18s %12s %s%n", row.path("partnerId").asText(),
                        row.path("status").asText(), row.path("eventCount").asText(), row.path("total").asText(),
                        row.path("amountDue").asText(), row.path("currency").asText());
            }
            String reporting = url("reporting");
            System.out.println();
            System.out.println("revshare is running (ready in " + startup.toSeconds() + " s). Ctrl-C stops everything.");
            System.out.println("  data directory   " + data);
            System.out.println("  tokens           " + tokensFile);
            System.out.println("  kafka            " + kafka.bootstrapServers());
            System.out.println("  postgresql       " + pg.serverUrl() + " (revshare_ingest, revshare_ledger, revshare_reporting)");
            services.forEach((name, s) -> System.out.printf("  %-16s %s/q/openapi   %s/q/health/ready   %s/q/metrics   log %s%n",
                    name, s.baseUrl(), s.managementUrl(), s.managementUrl(), s.log()));
            System.out.println("  report           " + reporting + "/api/v1/reports/periods/" + month);
            System.out.println("  dashboard        " + reporting + "/#token=" + jwt.finance(TOKEN_TTL));
            System.out.println("  try              curl -H \"Authorization: Bearer $(jq -r .finance " + tokensFile + ")\" "
                    + reporting + "/api/v1/reports/periods/" + month);
        }

        @Override
        public void close() {
            services.values().forEach(ServiceProcess::stop);
            kafka.close();
            pg.close();
        }
    }

    /** Starts PostgreSQL, the broker and the services, registers the demo partners and streams the demo feed. */
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

        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        List<DemoData.Partner> partners = DemoData.partners(month);
        Path tokensFile = jwt.writeTokens(partners.stream().map(DemoData.Partner::id).toList(), TOKEN_TTL);
        String admin = jwt.admin(TOKEN_TTL);

        Map<String, int[]> ports = new LinkedHashMap<>(); // {API, management}; 0 = a free port
        ports.put("ingest", new int[] {options.ingestPort, options.ingestManagementPort});
        ports.put("ledger", new int[] {options.ledgerPort, options.ledgerManagementPort});
        ports.put("reporting", new int[] {options.reportingPort, options.reportingManagementPort});
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        for (var e : ports.entrySet()) {
            String module = e.getKey() + "-service";
            Map<String, String> props = new LinkedHashMap<>();
            props.put("kafka.bootstrap.servers", kafka.bootstrapServers());
            props.put("quarkus.datasource.jdbc.url", infra.createDatabase("revshare_" + e.getKey()));
            props.put("quarkus.datasource.username", "postgres");
            props.put("quarkus.datasource.password", "postgres");
            props.put("mp.jwt.verify.publickey.location", jwt.publicKeyPath().toString());
            services.put(e.getKey(), ServiceProcess.start(module, module, Ports.orFree(e.getValue()[0]),
                    e.getValue()[1], props, List.of("-Xms64m", "-Xmx384m", "-XX:+UseSerialGC"), data.resolve("logs")));
        }
        for (ServiceProcess s : services.values()) {
            s.awaitReady(Duration.ofSeconds(90));
        }
        Duration startup = Duration.between(started, Instant.now());
        String ledger = services.get("ledger").baseUrl();
        String reporting = services.get("reporting").baseUrl();

        for (DemoData.Partner p : partners) {
            send("PUT", ledger + "/api/v1/partners/" + p.id(), admin,
                    "{\"name\":\"" + p.name() + "\",\"currency\":\"" + p.currency() + "\"}");
            JsonNode versions = JSON.readTree(send("GET", ledger + "/api/v1/partners/" + p.id() + "/agreements", admin, null));
            if (versions.isArray() && versions.isEmpty()) {
                send("POST", ledger + "/api/v1/partners/" + p.id() + "/agreements", admin, p.agreementJson());
            }
        }
        System.out.printf("[revshare-local] %d partners registered with example agreements%n", partners.size());

        Path marker = data.resolve("demo-" + month + ".done");
        int expectedEvents = 0;
        if (!Files.exists(marker) || options.demo) {
            List<DemoData.Event> feed = DemoData.feed(month, Instant.now().minusSeconds(60), options.demoEvents, 42);
            awaitPartnerPropagation();
            produce(kafka.bootstrapServers(), feed);
            Files.writeString(marker, Instant.now().toString());
            expectedEvents = feed.size();
            System.out.printf("[revshare-local] demo feed: %d usage events (+1 malformed record) sent to %s%n",
                    feed.size(), Topics.USAGE_RAW);
        }
        JsonNode report = awaitReport(reporting, month, partners.size(), expectedEvents, jwt.finance(TOKEN_TTL));
        return new LocalSystem(data, tokensFile, jwt, kafka, pg, services, month, report, startup);
    }

    /**
     * SPEC §2.4 promises that ingest knows a partner within 5 s of its registration; the demo feed
     * waits out that bound rather than racing it (events of a partner ingest does not know yet
     * would be rejected as UNKNOWN_PARTNER, correctly).
     */
    private static void awaitPartnerPropagation() throws InterruptedException {
        Thread.sleep(5_000);
    }

    private static void produce(String bootstrap, List<DemoData.Event> feed) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            for (DemoData.Event e : feed) {
                producer.send(new ProducerRecord<>(Topics.USAGE_RAW, e.partnerId(), e.json()));
            }
            producer.send(new ProducerRecord<>(Topics.USAGE_RAW, "aws", "{\"specversion\":\"1.0\",\"id\":\"demo-broken\""));
            producer.flush();
        }
    }

    /** Waits until reporting shows every partner and, after a fresh demo feed, every demo event. */
    private static JsonNode awaitReport(String reporting, YearMonth month, int partners, int expectedEvents, String finance)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(120);
        JsonNode rows = null;
        while (Instant.now().isBefore(deadline)) {
            rows = JSON.readTree(send("GET", reporting + "/api/v1/reports/periods/" + month, finance, null));
            long events = 0;
            for (JsonNode row : rows) {
                events += row.path("eventCount").asLong();
            }
            if (rows.size() >= partners && events >= expectedEvents) {
                break;
            }
            Thread.sleep(500);
        }
        return rows;
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
        int demoEvents = 4000;
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
                                  --demo    stream the demo feed again (ids repeat: ingest counts them as duplicates)""");
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown option " + args[i] + " (try --help)");
                }
            }
            return o;
        }
    }
}
