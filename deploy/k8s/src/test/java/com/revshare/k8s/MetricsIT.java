package com.revshare.k8s;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.Ports;
import com.revshare.infra.ServiceProcess;

/**
 * No dashboard panel and no alert refers to a metric that does not exist: the three services run
 * from their jars (as deploy/e2e runs them, on a real broker and PostgreSQL), a partner is
 * registered and sends a usage event, a control event and an event from the future (a rejection),
 * and then every revshare_* name the dashboard and the alert rules use must be served on the
 * services' management ports (/q/metrics). Names from external exporters (Observability.EXTERNAL)
 * are not the services' to serve.
 */
class MetricsIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String PARTNER = "metrics-partner";
    private static Infrastructure infra;
    private static List<ServiceProcess> services;

    @BeforeAll
    static void startServices() throws Exception {
        infra = Infrastructure.shared();
        Path logs = Path.of("target", "metrics-it-logs").toAbsolutePath();
        Files.createDirectories(logs);
        // copies of the built apps, so that a rebuild of a service while this runs cannot break it
        Path apps = Path.of("target", "metrics-it-apps").toAbsolutePath();
        services = Repo.SERVICES.stream().map(s -> ServiceProcess.start(s + "-service", s + "-service",
                ServiceProcess.snapshotApp(s + "-service", apps), Ports.free(), 0, Map.of(
                "kafka.bootstrap.servers", infra.kafkaBootstrap(),
                "quarkus.datasource.jdbc.url", infra.createDatabase("metrics_" + s),
                "quarkus.datasource.username", infra.pgUser(),
                "quarkus.datasource.password", infra.pgPassword(),
                "mp.jwt.verify.publickey.location", infra.jwt().publicKeyPath().toString()),
                List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), logs)).toList();
        for (ServiceProcess s : services) {
            s.awaitReady(Duration.ofSeconds(120));
        }
    }

    @AfterAll
    static void stopServices() {
        if (services != null) {
            services.forEach(ServiceProcess::stop);
        }
    }

    @Test
    void everyServiceMetricTheDashboardAndTheAlertsUseIsServed() throws Exception {
        // given: a partner with an agreement, known to ingest
        ServiceProcess ingest = services.get(0);
        ServiceProcess ledger = services.get(1);
        String admin = infra.jwt().admin(Duration.ofHours(1));
        String partnerToken = infra.jwt().partner(PARTNER, Duration.ofHours(1));
        assertTrue(Set.of(200, 201).contains(send("PUT", ledger.baseUrl() + "/api/v1/partners/" + PARTNER, admin,
                "application/json", "{\"name\":\"Metrics partner\",\"currency\":\"USD\"}")));
        assertEquals(201, send("POST", ledger.baseUrl() + "/api/v1/partners/" + PARTNER + "/agreements", admin,
                "application/json", """
                        {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","monthlyMinimum":null,"monthlyCap":null,
                         "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.15"}]}"""));
        String future = event("future-probe", Instant.now().plus(Duration.ofDays(1)));
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200)).until(() ->
                body("POST", ingest.baseUrl() + "/api/v1/usage-events", partnerToken, "application/cloudevents+json", future)
                        .contains("FUTURE_EVENT"));

        // when: a usage event, and a control event for the last whole hour that reports two events
        // there (none arrived: SHORT)
        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        assertEquals(202, send("POST", ingest.baseUrl() + "/api/v1/usage-events", partnerToken,
                "application/cloudevents+json", event("metrics-1", time)));
        Instant to = Instant.now().truncatedTo(ChronoUnit.HOURS);
        String control = body("POST", ingest.baseUrl() + "/api/v1/usage-events", partnerToken, "application/cloudevents+json", """
                {"specversion":"1.0","id":"control-1","source":"partners/%s","type":"revshare.control.v1","time":"%s",
                 "partnerid":"%s","datacontenttype":"application/json",
                 "data":{"from":"%s","to":"%s","eventCount":2,"quantities":{},"revenue":{}}}"""
                .formatted(PARTNER, time, PARTNER, to.minus(Duration.ofHours(1)), to));
        assertTrue(control.contains("\"accepted\":1") || control.contains("\"accepted\": 1"), control);

        // then
        Set<String> wanted = new TreeSet<>();
        Observability.allMetricNames().stream().filter(n -> !Observability.EXTERNAL.containsKey(n)).forEach(wanted::add);
        Set<String> missing = new TreeSet<>(wanted);
        try {
            await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Set<String> served = served();
                missing.clear();
                wanted.stream().filter(n -> !served.contains(n)).forEach(missing::add);
                return missing.isEmpty();
            });
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("metrics used by the dashboard or the alerts that no service serves: " + missing
                    + " (served: " + served() + ")", e);
        }
        System.out.println("[metrics-it] all " + wanted.size() + " service metrics served: " + wanted);
    }

    /** Sample names of every service's /q/metrics on its management port. */
    private static Set<String> served() throws Exception {
        Set<String> names = new TreeSet<>();
        for (ServiceProcess s : services) {
            String text = body("GET", s.managementUrl() + "/q/metrics", null, null, null);
            for (String line : text.split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
        }
        return names;
    }

    private static String event(String id, Instant time) {
        return """
                {"specversion":"1.0","id":"%s","source":"partners/%s","type":"revshare.usage.v1","time":"%s",
                 "partnerid":"%s","datacontenttype":"application/json",
                 "data":{"model":"llama-3.1-70b-instruct","metric":"output_tokens","quantity":1000,
                         "revenue":{"amount":"1.25","currency":"USD"},"region":"us-east-1"}}"""
                .formatted(id, PARTNER, time, PARTNER);
    }

    private static int send(String method, String url, String token, String type, String body) throws Exception {
        return exchange(method, url, token, type, body).statusCode();
    }

    private static String body(String method, String url, String token, String type, String body) throws Exception {
        return exchange(method, url, token, type, body).body();
    }

    private static HttpResponse<String> exchange(String method, String url, String token, String type, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
