package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/** SPEC §5 partner registry: status codes, roles, and 400s that name the field (SPEC §7). */
@QuarkusTest
class PartnerApiTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;


    @Test
    void putCreatesWith201ThenUpdatesWith200AndGetReadsIt() {
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"Groq\",\"currency\":\"USD\"}").put("/api/v1/partners/reg-groq")
                .then().statusCode(201).body("partnerId", equalTo("reg-groq")).body("currency", equalTo("USD"));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"Groq Inc.\",\"currency\":\"USD\"}").put("/api/v1/partners/reg-groq")
                .then().statusCode(200).body("name", equalTo("Groq Inc."));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/reg-groq")
                .then().statusCode(200).body("name", equalTo("Groq Inc.")).body("status", equalTo("ACTIVE"));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners")
                .then().statusCode(200).body("partnerId", hasItem("reg-groq"));
    }

    @Test
    void invalidIdOrCurrencyIs400NamingTheField() {
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"currency\":\"USD\"}").put("/api/v1/partners/Bad_Id")
                .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("id"));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"currency\":\"usd\"}").put("/api/v1/partners/reg-bad")
                .then().statusCode(400).body("detail", containsString("currency")).body("status", equalTo(400));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{not json").put("/api/v1/partners/reg-bad")
                .then().statusCode(400).contentType("application/problem+json");
    }

    @Test
    void currencyChangeOnceVersionsExistIs409() {
        Fixtures.partner("reg-cur", "USD");
        Fixtures.agreement("reg-cur", "{\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\","
                + "\"rules\":[{\"id\":\"r\",\"model\":\"*\",\"metric\":\"*\",\"type\":\"PERCENT_OF_REVENUE\",\"rate\":\"0.1\"}]}");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"currency\":\"EUR\"}").put("/api/v1/partners/reg-cur")
                .then().statusCode(409).contentType("application/problem+json");
    }

    @Test
    void rolesAreEnforced() {
        given().contentType(ContentType.JSON).body("{\"name\":\"X\",\"currency\":\"USD\"}")
                .put("/api/v1/partners/reg-x").then().statusCode(401);
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"name\":\"X\",\"currency\":\"USD\"}").put("/api/v1/partners/reg-x").then().statusCode(403);
        given().header("Authorization", "Bearer " + com.revshare.infra.TestTokens.partner("reg-x"))
                .get("/api/v1/partners").then().statusCode(403);
        given().get("/api/v1/partners").then().statusCode(401);
    }

    @Test
    void unknownPartnerIs404() {
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/nobody-here")
                .then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/nobody-here/balance")
                .then().statusCode(404);
    }

    @Test
    void openApiAndMetricsAreOpen() {
        given().get("/q/openapi").then().statusCode(200).body(containsString("/api/v1/partners"));
        given().get(Management.url(management, "/q/metrics")).then().statusCode(200).body(containsString("revshare_ledger"));
    }
}
