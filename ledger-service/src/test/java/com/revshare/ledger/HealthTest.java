package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.net.URL;

import org.junit.jupiter.api.Test;

import com.revshare.infra.Readiness;
import com.revshare.infra.RevshareTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC §8 v2: health and metrics on the management port only, without a token; ready is 503 DOWN naming
 * the database check while the database is unreachable; OpenAPI on the API port.
 */
@QuarkusTest
@QuarkusTestResource(value = RevshareTestResource.class, initArgs = @ResourceArg(name = "database", value = "ledger"))
class HealthTest {
    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Test
    void readyOnlyWhenKafkaAndDatabaseAreUp() {
        given().when().get(Management.url(management, "/q/health/ready")).then().statusCode(200)
                .body("status", is("UP"));
        given().when().get(Management.url(management, "/q/health/live")).then().statusCode(200);
    }

    /**
     * Issue 11.6: readiness can fail. The real database refuses the service (its sessions ended, new
     * ones refused): ready answers 503 DOWN with the database check DOWN and Kafka's still UP; once the
     * database is back the service returns to UP by itself ({@link Readiness}, the same check in every
     * service).
     */
    @Test
    void readyIsDownNamingTheDatabaseWhileItIsUnreachableThenUpAgain() {
        Readiness.assertDownWhileTheDatabaseIsUnreachableThenUpAgain(
                Management.url(management, "/q/health/ready"), "ledger");
    }

    @Test
    void metricsAreOnTheManagementPortWithoutTokenAndNotOnTheApiPort() {
        given().when().get(Management.url(management, "/q/metrics")).then().statusCode(200)
                .body(containsString("jvm_"));
        given().when().get("/q/metrics").then().statusCode(404);
        given().when().get("/q/health").then().statusCode(404);
        given().when().get("/q/health/ready").then().statusCode(404);
        given().when().get("/q/health/live").then().statusCode(404);
    }

    @Test
    void openApiStaysOnTheApiPort() {
        given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200);
        given().queryParam("format", "json").when().get(Management.url(management, "/q/openapi")).then()
                .statusCode(404);
    }
}
