package com.revshare.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.Ports;
import com.revshare.infra.ServiceProcess;

/**
 * The three services, each in its own JVM from its built jar, on the JVM's real broker and
 * PostgreSQL; started once for all end-to-end tests of this module.
 */
final class RunningSystem {
    private static RunningSystem instance;

    final Infrastructure infra;
    ServiceProcess ingest;
    ServiceProcess ledger;
    ServiceProcess reporting;
    private final Path logs;

    private RunningSystem(Infrastructure infra, Path logs) {
        this.infra = infra;
        this.logs = logs;
    }

    static synchronized RunningSystem get() throws Exception {
        if (instance == null) {
            Path logs = Path.of("target", "e2e-logs").toAbsolutePath();
            Files.createDirectories(logs);
            RunningSystem system = new RunningSystem(Infrastructure.shared(), logs);
            system.ingest = system.start("ingest");
            system.ledger = system.start("ledger");
            system.reporting = system.start("reporting");
            for (ServiceProcess s : List.of(system.ingest, system.ledger, system.reporting)) {
                s.awaitReady(Duration.ofSeconds(120));
            }
            instance = system;
        }
        return instance;
    }

    /** Starts (or restarts, after a kill) one service on a fresh port with its own database. */
    ServiceProcess start(String service) {
        Map<String, String> props = Map.of(
                "kafka.bootstrap.servers", infra.kafkaBootstrap(),
                "quarkus.datasource.jdbc.url", infra.createDatabase("e2e_" + service),
                "quarkus.datasource.username", infra.pgUser(),
                "quarkus.datasource.password", infra.pgPassword(),
                "mp.jwt.verify.publickey.location", infra.jwt().publicKeyPath().toString());
        return ServiceProcess.start(service + "-service", Ports.free(), props,
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), logs);
    }

    void produceRaw(String key, String value) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(com.revshare.infra.Topics.USAGE_RAW, key, value));
            producer.flush();
        }
    }

    String admin() {
        return infra.jwt().admin(Duration.ofHours(1));
    }

    String finance() {
        return infra.jwt().finance(Duration.ofHours(1));
    }
}
