package com.revshare.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** Ready = Kafka + database + partner registry loaded; metrics and OpenAPI open without a token. */
@QuarkusTest
class HealthTest {
    @Test
    void readyReportsKafkaDatabaseAndTheLoadedPartnerRegistry() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"))
                .body("checks.name", hasItem("partner-registry"))
                .body("checks.name", hasItem(containsString("Kafka")))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.find { it.name == 'partner-registry' }.status", is("UP"));
    }

    @Test
    void metricsAndOpenApiNeedNoToken() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("revshare_ingest_partners_known"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/usage-events"));
    }
}
