package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import java.time.Duration;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Readiness;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Operations endpoints (SPEC §8 v2): health and metrics on the management port, without a token
 * (ready = Kafka, database and consumers UP, and DOWN with 503 naming the database check while the
 * database is unreachable); on the API port they are 404; OpenAPI and the dashboard stay on the
 * API port.
 */
@QuarkusTest
class HealthTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementRoot;

    @org.junit.jupiter.api.BeforeEach
    void useManagementPort() {
        OpsUrls.use(managementRoot);
    }

    @Test
    void readyWhenKafkaDatabaseAndConsumersAreUp() {
        String ready = OpsUrls.management("/q/health/ready");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> given().get(ready).statusCode() == 200);
        given().get(ready).then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("revshare-reporting-consumers"));
        given().get(OpsUrls.management("/q/health/live")).then().statusCode(200).body("status", is("UP"));
    }

    /**
     * Issue 11.6: readiness can fail. The real database refuses the service (its sessions ended, new
     * ones refused): ready answers 503 DOWN with the database check DOWN and Kafka's still UP; once the
     * database is back the service returns to UP by itself ({@link Readiness}, the same check in every
     * service).
     */
    @Test
    void readyIsDownNamingTheDatabaseWhileItIsUnreachableThenUpAgain() {
        Readiness.assertDownWhileTheDatabaseIsUnreachableThenUpAgain(OpsUrls.management("/q/health/ready"), "reporting");
    }

    @Test
    void metricsAreOnTheManagementPortOnlyAndOpenApiOnTheApiPort() {
        given().get(OpsUrls.management("/q/metrics")).then().statusCode(200)
                .body(containsString("revshare_reporting_entries_applied"));
        for (String path : new String[] { "/q/metrics", "/q/health", "/q/health/ready", "/q/health/live" }) {
            given().get(path).then().statusCode(404);
        }
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/reports/summary"));
        given().get("/").then().statusCode(200);
    }
}
