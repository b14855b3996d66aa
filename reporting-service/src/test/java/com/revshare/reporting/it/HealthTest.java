package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Operations endpoints (SPEC §8): ready = Kafka, database and consumers UP; metrics and OpenAPI open. */
@QuarkusTest
class HealthTest {
    @Test
    void readyWhenKafkaDatabaseAndConsumersAreUp() {
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60))
                .until(() -> given().get("/q/health/ready").statusCode() == 200);
        given().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("Kafka connection health check"))
                .body("checks.name", hasItem("Database connections health check"))
                .body("checks.name", hasItem("revshare-reporting-consumers"));
        given().get("/q/health/live").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAndOpenApiNeedNoToken() {
        given().get("/q/metrics").then().statusCode(200).body(containsString("revshare_reporting_entries_applied"));
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/reports/summary"));
    }
}
