package com.revshare.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.revshare.infra.EmbeddedKafka;
import com.revshare.infra.EmbeddedPostgresServer;
import com.revshare.infra.Infrastructure;
import com.revshare.infra.JwtKeys;
import com.revshare.infra.Ports;
import com.revshare.infra.ServiceProcess;
import com.revshare.infra.Topics;

/**
 * The system under fault: one real broker, one PostgreSQL server (crash-safe commits) and two
 * instances of each service from their built jars, each instance with its own API and management
 * port, both instances of a service on the same database and in the same consumer groups.
 */
final class ChaosSystem implements AutoCloseable {
    static final List<String> SERVICES = List.of("ingest", "ledger", "reporting");
    static final int INSTANCES = 2;
    private static final List<String> JVM = List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1");

    final EmbeddedPostgresServer postgres;
    final EmbeddedKafka kafka;
    final Infrastructure infra;
    /** name (e.g. ledger-2) → instance. */
    final Map<String, ServiceProcess> instances = new LinkedHashMap<>();

    private ChaosSystem(EmbeddedPostgresServer postgres, EmbeddedKafka kafka, Infrastructure infra) {
        this.postgres = postgres;
        this.kafka = kafka;
        this.infra = infra;
    }

    static ChaosSystem start(Path work) {
        EmbeddedPostgresServer pg = EmbeddedPostgresServer.startCrashSafe(work.resolve("postgres"), 0);
        EmbeddedKafka kafka = EmbeddedKafka.start(work.resolve("kafka"), 0, Duration.ofSeconds(120));
        JwtKeys jwt = JwtKeys.loadOrCreate(work.resolve("jwt"));
        Infrastructure infra = Infrastructure.of(kafka.bootstrapServers(), pg.serverUrl(), "postgres", "postgres", jwt);
        infra.ensureTopics(Topics.ALL);
        ChaosSystem system = new ChaosSystem(pg, kafka, infra);
        Path logs = work.resolve("logs");
        for (String service : SERVICES) {
            // a copy of the built app: other builds in the same tree must not change it mid-run
            Path jar = ServiceProcess.snapshotApp(service + "-service", work.resolve("apps"));
            Map<String, String> props = new LinkedHashMap<>();
            props.put("kafka.bootstrap.servers", infra.kafkaBootstrap());
            props.put("quarkus.datasource.jdbc.url", infra.createDatabase("chaos_" + service));
            props.put("quarkus.datasource.username", infra.pgUser());
            props.put("quarkus.datasource.password", infra.pgPassword());
            props.put("mp.jwt.verify.publickey.location", jwt.publicKeyPath().toString());
            for (int i = 1; i <= INSTANCES; i++) {
                String name = service + "-" + i;
                system.instances.put(name, ServiceProcess.start(name, service + "-service", jar, Ports.free(), Ports.free(),
                        props, JVM, logs));
            }
        }
        for (ServiceProcess p : system.instances.values()) {
            p.awaitReady(Duration.ofSeconds(240));
        }
        return system;
    }

    List<ServiceProcess> of(String service) {
        List<ServiceProcess> list = new ArrayList<>();
        instances.forEach((name, p) -> {
            if (name.startsWith(service + "-")) {
                list.add(p);
            }
        });
        return list;
    }

    @Override
    public void close() {
        instances.values().forEach(ServiceProcess::stop);
        kafka.close();
        postgres.close();
    }
}
