package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import org.junit.jupiter.api.Test;

import com.revshare.infra.RevshareTestResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = RevshareTestResource.class, initArgs = @ResourceArg(name = "database", value = "ledger"))
class HealthTest {
    @Test
    void readyOnlyWhenKafkaAndDatabaseAreUp() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", is("UP"));
    }

    @Test
    void metricsAreExposedWithoutToken() {
        given().when().get("/q/metrics").then().statusCode(200).body(containsString("jvm_"));
    }
}
