package com.revshare.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;

import org.junit.jupiter.api.Test;

import com.revshare.infra.Readiness;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * SPEC §8 v2: health and metrics on the management port only (404 on the API port), without a token;
 * ready = Kafka + database + partner registry loaded, and 503 DOWN naming the database check while the
 * database is unreachable; OpenAPI stays on the API port.
 */
@QuarkusTest
class HealthTest {
    @TestHTTPResource(value = "/", management = true)
    URL management;
    @Inject
    PartnerRegistry registry;

    private String managementUrl(String path) {
        return management.getProtocol() + "://" + management.getHost() + ":" + management.getPort() + path;
    }

    @Test
    void readyReportsKafkaDatabaseAndTheLoadedPartnerRegistryOnTheManagementPort() {
        given().when().get(managementUrl("/q/health/ready")).then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("partner-registry"))
                .body("checks.name", hasItem(containsString("Kafka")))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.find { it.name == 'partner-registry' }.status", is("UP"));
        given().when().get(managementUrl("/q/health/live")).then().statusCode(200).body("status", is("UP"));
    }

    /**
     * Issue 11.6: readiness can fail. The real database refuses the service (its sessions ended, new
     * ones refused): ready answers 503 DOWN with the database check DOWN and Kafka's still UP; once the
     * database is back the service returns to UP by itself ({@link Readiness}, the same check in every
     * service).
     */
    @Test
    void readyIsDownNamingTheDatabaseWhileItIsUnreachableThenUpAgain() {
        Readiness.assertDownWhileTheDatabaseIsUnreachableThenUpAgain(managementUrl("/q/health/ready"), "ingest");
    }

    /**
     * The ingest series exist from startup, before any record or failure (they used to appear only once the
     * metrics bean was first used, so a scrape right after boot had none of them).
     */
    @Test
    void metricsNeedNoTokenOnTheManagementPort() {
        given().when().get(managementUrl("/q/metrics")).then().statusCode(200)
                .body(containsString("revshare_ingest_partners_known"))
                .body(containsString("revshare_ingest_records_read_total{channel=\"http\"}"))
                .body(containsString("revshare_ingest_records_read_total{channel=\"kafka\"}"))
                .body(containsString("revshare_ingest_loop_errors_total{loop=\"relay\"}"))
                .body(containsString("revshare_ingest_loop_errors_total{loop=\"usage-consumer\"}"))
                .body(containsString("revshare_ingest_events_unstorable_total"))
                .body(containsString("revshare_ingest_partner_records_unreadable_total"));
    }

    /**
     * Ingest's share of the end-to-end latency is readable: the forward-lag timer has buckets at the latency
     * budget's marks (le 0.15 s and 0.5 s: the p50 and p99 goals of issue 14) once an event was published.
     */
    @Test
    void theForwardLagHasBucketsAtTheLatencyBudget() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("lag"));
        IngestTestSupport.post(p, IngestTestSupport.SINGLE, Events.minimal(p, "lag-1", 1)).statusCode(202);
        await().atMost(IngestTestSupport.WAIT).until(() -> given().when().get(managementUrl("/q/metrics")).asString()
                .lines().anyMatch(l -> l.startsWith("revshare_ingest_forward_lag_seconds_bucket{")
                        && l.contains("partner=\"" + p + "\"") && l.contains("le=\"0.15\"")));
        String metrics = given().when().get(managementUrl("/q/metrics")).asString();
        assertTrue(metrics.lines().anyMatch(l -> l.startsWith("revshare_ingest_forward_lag_seconds_bucket{")
                && l.contains("partner=\"" + p + "\"") && l.contains("le=\"0.5\"")), metrics);
    }

    @Test
    void healthAndMetricsAre404OnTheApiPortWhereOpenApiStays() {
        for (String path : new String[] {"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live"}) {
            given().when().get(path).then().statusCode(404);
        }
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/usage-events"))
                .body(containsString("/api/v1/partners/{id}/intake"));
        given().when().get(managementUrl("/q/openapi")).then().statusCode(404);
    }
}
