package com.revshare.browser;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.Ports;
import com.revshare.infra.ServiceProcess;

/**
 * The whole system for a browser test: ingest, ledger and reporting from their built jars on the
 * test infrastructure, each with its own database ({@code <prefix>_ingest}, …), the ledger and
 * ingest allowing reporting's origin by CORS and reporting's dashboard pointed at them — what
 * LiveSystemDashboardIT and FinanceViewsDemoIT both run against. Closing it stops the three.
 */
final class LiveSystem implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);
    private static final List<String> JVM = List.of("-Xms64m", "-Xmx320m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    private final ServiceProcess ingest;
    private final ServiceProcess ledger;
    private final ServiceProcess reporting;

    private LiveSystem(ServiceProcess ingest, ServiceProcess ledger, ServiceProcess reporting) {
        this.ingest = ingest;
        this.ledger = ledger;
        this.reporting = reporting;
    }

    /** Starts the three services, logs under {@code logs}, and waits until each is ready. */
    static LiveSystem start(Infrastructure infra, String databasePrefix, Path logs) {
        int reportingPort = Ports.free();
        String origin = "http://127.0.0.1:" + reportingPort;
        ServiceProcess ingest = null;
        ServiceProcess ledger = null;
        ServiceProcess reporting = null;
        try {
            ingest = start(infra, "ingest", databasePrefix, Ports.free(),
                    Map.of("quarkus.http.cors.origins", origin), logs);
            ledger = start(infra, "ledger", databasePrefix, Ports.free(),
                    Map.of("quarkus.http.cors.origins", origin), logs);
            reporting = start(infra, "reporting", databasePrefix, reportingPort, Map.of(
                    "revshare.dashboard.ledger-url", ledger.baseUrl(),
                    "revshare.dashboard.ingest-url", ingest.baseUrl()), logs);
            LiveSystem system = new LiveSystem(ingest, ledger, reporting);
            for (ServiceProcess s : List.of(ingest, ledger, reporting)) {
                s.awaitReady(READY_TIMEOUT);
            }
            return system;
        } catch (RuntimeException | Error e) {
            new LiveSystem(ingest, ledger, reporting).close();
            throw e;
        }
    }

    private static ServiceProcess start(Infrastructure infra, String service, String databasePrefix, int port,
            Map<String, String> extra, Path logs) {
        Map<String, String> props = new LinkedHashMap<>(Map.of(
                "kafka.bootstrap.servers", infra.kafkaBootstrap(),
                "quarkus.datasource.jdbc.url", infra.createDatabase(databasePrefix + "_" + service),
                "quarkus.datasource.username", infra.pgUser(),
                "quarkus.datasource.password", infra.pgPassword(),
                "mp.jwt.verify.publickey.location", infra.jwt().publicKeyPath().toString()));
        props.putAll(extra);
        return ServiceProcess.start(service + "-service", port, props, JVM, logs);
    }

    ServiceProcess ingest() {
        return ingest;
    }

    ServiceProcess ledger() {
        return ledger;
    }

    ServiceProcess reporting() {
        return reporting;
    }

    /** Stops reporting, the ledger and ingest, whichever were started. */
    @Override
    public void close() {
        for (ServiceProcess s : new ServiceProcess[] {reporting, ledger, ingest}) {
            if (s != null) {
                s.stop();
            }
        }
    }
}
