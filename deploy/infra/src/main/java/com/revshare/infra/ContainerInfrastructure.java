package com.revshare.infra;

import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The optional Testcontainers path ({@code -Drevshare.infra=testcontainers}), for machines with Docker. */
final class ContainerInfrastructure {
    private final KafkaContainer kafka;
    private final PostgreSQLContainer postgres;

    private ContainerInfrastructure(KafkaContainer kafka, PostgreSQLContainer postgres) {
        this.kafka = kafka;
        this.postgres = postgres;
    }

    static ContainerInfrastructure start() {
        KafkaContainer kafka = new KafkaContainer("apache/kafka:4.1.2");
        PostgreSQLContainer postgres = new PostgreSQLContainer("postgres:17-alpine");
        kafka.start();
        postgres.start();
        return new ContainerInfrastructure(kafka, postgres);
    }

    String kafkaBootstrap() {
        return kafka.getBootstrapServers();
    }

    String pgServerUrl() {
        return "jdbc:postgresql://" + postgres.getHost() + ":" + postgres.getMappedPort(5432);
    }

    String pgUser() {
        return postgres.getUsername();
    }

    String pgPassword() {
        return postgres.getPassword();
    }
}
