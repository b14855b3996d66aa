package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/** Every parameter is validated: 400 problem details naming the parameter, no stack traces. */
@QuarkusTest
class ValidationTest {

    private static void badRequest(String path, Map<String, String> query, String parameter) {
        given().auth().oauth2(TestTokens.finance()).queryParams(query).get(path).then()
                .statusCode(400)
                .contentType(startsWith("application/problem+json"))
                .body("status", is(400))
                .body("type", not(is("")))
                .body("title", is("Invalid parameter"))
                .body("parameter", is(parameter))
                .body("detail", startsWith(parameter + ":"))
                .body("detail", not(containsString("Exception")));
    }

    @Test
    void periodsMustBeMonths() {
        for (String bad : List.of("2026-13", "2026-00", "2026-1", "26-11", "2026-11-01", "abcd-ef", "2026_11")) {
            badRequest("/api/v1/reports/periods/" + bad, Map.of(), "period");
            badRequest("/api/v1/reports/partners/aws/statements/" + bad, Map.of(), "period");
            badRequest("/api/v1/reports/partners/aws/statements/" + bad + ".csv", Map.of(), "period");
            badRequest("/api/v1/reports/partners/aws/entries", Map.of("period", bad), "period");
            badRequest("/api/v1/reports/summary", Map.of("from", bad), "from");
            badRequest("/api/v1/reports/summary", Map.of("to", bad), "to");
        }
        badRequest("/api/v1/reports/summary", Map.of("from", "2026-11", "to", "2026-10"), "from");
    }

    @Test
    void partnerIdsMustBeWellFormed() {
        for (String bad : List.of("AWS", "a", "-aws", "aws_1", "x".repeat(64))) {
            badRequest("/api/v1/reports/partners/" + bad + "/statements/2026-11", Map.of(), "id");
            badRequest("/api/v1/reports/partners/" + bad + "/entries", Map.of(), "id");
        }
    }

    @Test
    void summaryGroupByAcceptsOnlyItsFourKeysOnce() {
        for (String bad : List.of("partnerId", "partner,", ",metric", "model,model", "kind", "PERIOD")) {
            badRequest("/api/v1/reports/summary", Map.of("groupBy", bad), "groupBy");
        }
        given().auth().oauth2(TestTokens.finance()).queryParam("groupBy", "metric,period,model,partner")
                .get("/api/v1/reports/summary").then().statusCode(200);
    }

    @Test
    void entriesLimitKindAndCursorAreChecked() {
        Publisher.partner("vl-known", "USD");
        Publisher.awaitPartner("vl-known");
        String path = "/api/v1/reports/partners/vl-known/entries";
        for (String bad : List.of("0", "1001", "-1", "ten", "1.5", "")) {
            badRequest(path, Map.of("limit", bad), "limit");
        }
        badRequest(path, Map.of("kind", "usage"), "kind");
        badRequest(path, Map.of("kind", "FEE"), "kind");
        for (String bad : List.of("not-a-cursor", "YWZ0ZXI6LTE", "%%%")) {
            badRequest(path, Map.of("cursor", bad), "cursor");
        }
        given().auth().oauth2(TestTokens.finance()).queryParam("limit", "1000").get(path).then().statusCode(200)
                .body("entries", is(List.of())).body("nextCursor", is((Object) null));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/vl-nobody/entries").then()
                .statusCode(404).contentType(startsWith("application/problem+json"));
    }

    @Test
    void unknownPathsAreProblemDetailsToo() {
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/nothing-here").then().statusCode(404)
                .contentType(startsWith("application/problem+json")).body("status", is(404));
    }
}
