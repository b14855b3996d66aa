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

    /**
     * The ingest series exist from startup, before any record or failure (they used to appear only once the
     * metrics bean was first used, so a scrape right after boot had none of them).
     */
    @Test
    void metricsAndOpenApiNeedNoToken() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("revshare_ingest_partners_known"))
                .body(containsString("revshare_ingest_records_read_total{channel=\"http\"}"))
                .body(containsString("revshare_ingest_records_read_total{channel=\"kafka\"}"))
                .body(containsString("revshare_ingest_loop_errors_total{loop=\"relay\"}"))
                .body(containsString("revshare_ingest_loop_errors_total{loop=\"usage-consumer\"}"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/usage-events"));
    }
}
