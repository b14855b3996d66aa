package com.revshare.k8s;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.Topics;

/**
 * deploy/compose cannot run here (no Docker engine), so it is checked against the code instead:
 * the topics it creates are the local run's (deploy/infra Topics.ALL: names, partitions, configs),
 * the databases are the ones the services are pointed at, the ports are the services' API and
 * management ports, and every environment variable is one the service reads.
 */
class ComposeTest {
    private static final Pattern CREATE = Pattern.compile("--topic (\\S+) --partitions (\\d+)((?: --config \\S+)*)$", Pattern.MULTILINE);

    private final JsonNode compose = Kustomize.read(Repo.root().resolve("deploy/compose/compose.yaml")).get(0);

    @Test
    void createsTheLocalRunsTopicsWithTheirPartitionsAndConfigs() {
        // given
        Map<String, String> expected = new TreeMap<>();
        for (Topics.Spec spec : Topics.ALL) {
            expected.put(spec.name(), spec.partitions() + " " + new TreeMap<>(spec.configs()));
        }

        // when
        Map<String, String> created = new TreeMap<>();
        StringBuilder script = new StringBuilder();
        compose.path("services").path("kafka-topics").path("command").forEach(line -> script.append(line.asText()).append('\n'));
        Matcher m = CREATE.matcher(script);
        while (m.find()) {
            Map<String, String> configs = new TreeMap<>();
            for (String c : m.group(3).trim().split("\\s*--config\\s+")) {
                if (!c.isBlank()) {
                    configs.put(c.substring(0, c.indexOf('=')), c.substring(c.indexOf('=') + 1));
                }
            }
            created.put(m.group(1), m.group(2) + " " + configs);
        }

        // then
        assertEquals(expected, created);
        assertEquals(new java.util.TreeSet<>(Repo.topics().values()), created.keySet(), "the services' topics");
    }

    @Test
    void eachServiceGetsItsOwnDatabasePortsAndOnlyVariablesItReads() throws IOException {
        String initSql = Files.readString(Repo.root().resolve("deploy/compose/init-databases.sql"));
        List<String> problems = new ArrayList<>();
        for (String service : Repo.SERVICES) {
            JsonNode s = compose.path("services").path(service + "-service");
            if (s.isMissingNode()) {
                problems.add("no compose service " + service + "-service");
                continue;
            }
            Map<String, String> env = new LinkedHashMap<>();
            s.path("environment").fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
            List<String> read = Repo.environmentVariables(service);
            env.keySet().forEach(k -> CrossReferenceTest.check(problems, read.contains(k) || k.startsWith("KAFKA_"),
                    service + ": compose sets " + k + ", which the service does not read"));
            String database = "revshare_" + service;
            String url = env.get(Repo.environmentVariable(service, "quarkus.datasource.jdbc.url"));
            CrossReferenceTest.check(problems, ("jdbc:postgresql://postgres:5432/" + database).equals(url),
                    service + ": database URL " + url);
            CrossReferenceTest.check(problems, initSql.contains("CREATE DATABASE " + database + ";"),
                    "init-databases.sql does not create " + database);
            CrossReferenceTest.check(problems, "kafka:9092".equals(env.get(Repo.environmentVariable(service, "kafka.bootstrap.servers"))),
                    service + ": Kafka bootstrap " + env);
            for (String key : List.of("quarkus.datasource.username", "quarkus.datasource.password", "mp.jwt.verify.publickey.location")) {
                CrossReferenceTest.check(problems, Repo.environmentVariables(service, key).stream().anyMatch(env::containsKey),
                        service + ": " + key + " is not set");
            }
            String ports = s.path("ports").toString();
            int api = Repo.port(service, "quarkus.http.port");
            int management = Repo.port(service, "quarkus.management.port");
            CrossReferenceTest.check(problems, ports.contains("\"" + api + ":" + api + "\""), service + ": API port " + api + " in " + ports);
            CrossReferenceTest.check(problems, ports.contains(":" + management + ":" + management + "\""),
                    service + ": management port " + management + " in " + ports);
            CrossReferenceTest.check(problems, s.path("healthcheck").toString().contains("/" + management + " ")
                    || s.path("healthcheck").toString().contains("/" + management + "&"),
                    service + ": healthcheck not on the management port " + management);
            CrossReferenceTest.check(problems, ("deploy/docker/Dockerfile.jvm").equals(s.path("build").path("dockerfile").asText())
                    && (service + "-service").equals(s.path("build").path("args").path("SERVICE").asText()),
                    service + ": not built from deploy/docker/Dockerfile.jvm");
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
        assertTrue(compose.path("services").path("kafka").path("image").asText().startsWith("apache/kafka:"));
        assertTrue(compose.path("services").path("postgres").path("image").asText().startsWith("postgres:"));
    }
}
