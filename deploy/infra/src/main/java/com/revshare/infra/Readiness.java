package com.revshare.infra;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What every service's readiness must show when its database goes away (issue 11.6), checked the
 * same way in the three services' HealthTests: the real database refuses the service ({@link
 * DatabaseOutage}), readiness answers 503 DOWN with the database check DOWN and Kafka's still UP,
 * and once the database is back the service returns to UP by itself. Nothing of the service or of
 * its checks is replaced.
 */
public final class Readiness {
    /** Quarkus's names of its own readiness checks. */
    public static final String DATABASE_CHECK = "Database connections health check";
    public static final String KAFKA_CHECK = "Kafka connection health check";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private Readiness() {
    }

    /** One answer of a health endpoint: HTTP status and body. */
    public record Answer(int httpStatus, JsonNode body) {
        /** The overall status ({@code UP}/{@code DOWN}). */
        public String status() {
            return body.path("status").asText();
        }

        /** The status of the check named {@code name}, or null when the answer has no such check. */
        public String check(String name) {
            for (JsonNode check : body.path("checks")) {
                if (name.equals(check.path("name").asText())) {
                    return check.path("status").asText();
                }
            }
            return null;
        }

        void expect(int http, String overall, String... checksAndStatuses) {
            StringBuilder wrong = new StringBuilder();
            if (httpStatus != http || !overall.equals(status())) {
                wrong.append("expected ").append(http).append(' ').append(overall).append("; ");
            }
            for (int i = 0; i < checksAndStatuses.length; i += 2) {
                if (!checksAndStatuses[i + 1].equals(check(checksAndStatuses[i]))) {
                    wrong.append("expected check '").append(checksAndStatuses[i]).append("' ")
                            .append(checksAndStatuses[i + 1]).append("; ");
                }
            }
            if (wrong.length() > 0) {
                throw new AssertionError(wrong + "got " + httpStatus + " " + body);
            }
        }
    }

    /** GETs {@code url} (a service's {@code /q/health/ready} on its management port). */
    public static Answer probe(String url) {
        try {
            HttpResponse<String> response = HTTP.send(
                    HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            String body = response.body();
            return new Answer(response.statusCode(), body == null || body.isBlank()
                    ? JSON.createObjectNode() : JSON.readTree(body));
        } catch (IOException e) {
            throw new AssertionError("no answer from " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Ready before; 503 DOWN naming the database check (Kafka's UP) while {@code database} is
     * unreachable; UP again, database check included, once it is back.
     */
    public static void assertDownWhileTheDatabaseIsUnreachableThenUpAgain(String readyUrl, String database) {
        Awaitility.await("ready before the outage").atMost(Duration.ofSeconds(60))
                .until(() -> probe(readyUrl).httpStatus() == 200);
        try (DatabaseOutage outage = Infrastructure.shared().databaseOutage(database)) {
            Awaitility.await("ready DOWN, naming the database check").atMost(Duration.ofSeconds(60))
                    .untilAsserted(() -> probe(readyUrl).expect(503, "DOWN", DATABASE_CHECK, "DOWN", KAFKA_CHECK, "UP"));
        }
        Awaitility.await("ready UP again once the database is back").atMost(Duration.ofSeconds(120))
                .untilAsserted(() -> probe(readyUrl).expect(200, "UP", DATABASE_CHECK, "UP"));
    }
}
