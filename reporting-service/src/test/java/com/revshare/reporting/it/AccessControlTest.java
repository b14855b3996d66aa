package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC §6/§8 access control on every endpoint: finance and admin see all; a partner token only
 * its own partner (403 for another's statement or entries, filtered overview, summary and
 * freshness); 401 without or with a bad token; rebuild only for admin; problem details throughout.
 */
@QuarkusTest
class AccessControlTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementRoot;

    @org.junit.jupiter.api.BeforeEach
    void useManagementPort() {
        OpsUrls.use(managementRoot);
    }

    private static final String A = "ac-a";
    private static final String B = "ac-b";
    private static final String PERIOD = "2026-08";

    private static final List<String> PARTNER_ENDPOINTS = List.of(
            "/api/v1/reports/periods/" + PERIOD,
            "/api/v1/reports/partners/" + A + "/statements/" + PERIOD,
            "/api/v1/reports/partners/" + A + "/statements/" + PERIOD + ".csv",
            "/api/v1/reports/summary",
            "/api/v1/reports/partners/" + A + "/entries",
            "/api/v1/reports/freshness");

    @BeforeEach
    void publish() {
        Publisher.partner(A, "USD");
        Publisher.partner(B, "USD");
        Publisher.entries(
                EntryFixtures.usage(A, 1, PERIOD, "m", "requests", 1, "1.00000000", null, "USD"),
                EntryFixtures.usage(B, 1, PERIOD, "m", "requests", 2, "2.00000000", null, "USD"));
        Publisher.awaitApplied(A, 1);
        Publisher.awaitApplied(B, 1);
    }

    @Test
    void withoutAValidTokenEveryEndpointIs401WithProblemDetails() {
        String expired = Infrastructure.shared().jwt().sign("x", List.of("finance"), null, Duration.ofSeconds(-120));
        String foreignIssuer = "eyJhbGciOiJub25lIn0.eyJpc3MiOiJldmlsIiwiZ3JvdXBzIjpbImFkbWluIl19.";
        for (String path : concat(PARTNER_ENDPOINTS, List.of("/api/v1/reports/rebuild", "/api/v1/reports/gaps"))) {
            given().get(path).then().statusCode(401).contentType(startsWith("application/problem+json"))
                    .body("status", is(401)).body("title", is("Unauthorized"));
            given().auth().oauth2(expired).get(path).then().statusCode(401);
            given().auth().oauth2(foreignIssuer).get(path).then().statusCode(401);
        }
        given().post("/api/v1/reports/rebuild").then().statusCode(401);
    }

    @Test
    void aPartnerSeesOnlyItsOwnPartner() {
        String a = TestTokens.partner(A);
        given().auth().oauth2(a).get("/api/v1/reports/periods/" + PERIOD).then().statusCode(200)
                .body("partnerId", everyItem(is(A))).body("partnerId", hasItem(A));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/periods/" + PERIOD).then().statusCode(200)
                .body("partnerId", hasItem(A)).body("partnerId", hasItem(B));

        given().auth().oauth2(a).get("/api/v1/reports/partners/" + A + "/statements/" + PERIOD).then()
                .statusCode(200).body("total", is("1.00000000"));
        for (String path : List.of("/api/v1/reports/partners/" + B + "/statements/" + PERIOD,
                "/api/v1/reports/partners/" + B + "/statements/" + PERIOD + ".csv",
                "/api/v1/reports/partners/" + B + "/entries",
                "/api/v1/reports/partners/ac-unknown/statements/" + PERIOD)) {
            given().auth().oauth2(a).get(path).then().statusCode(403)
                    .contentType(startsWith("application/problem+json")).body("status", is(403));
        }
        given().auth().oauth2(a).accept("text/csv").get("/api/v1/reports/partners/" + B + "/statements/" + PERIOD)
                .then().statusCode(403).contentType(startsWith("application/problem+json"));
        given().auth().oauth2(a).get("/api/v1/reports/partners/" + A + "/entries").then().statusCode(200)
                .body("entries.partnerId", everyItem(is(A)));

        given().auth().oauth2(a).queryParam("groupBy", "partner").get("/api/v1/reports/summary").then()
                .statusCode(200).body("partnerId", everyItem(is(A))).body("partnerId", hasItem(A));
        String ownTotal = given().auth().oauth2(a).queryParam("from", PERIOD).queryParam("to", PERIOD)
                .get("/api/v1/reports/summary").then().statusCode(200).extract().jsonPath().getString("[0].amount");
        assertEquals("1.00000000", ownTotal);

        given().auth().oauth2(a).get("/api/v1/reports/freshness").then().statusCode(200)
                .body("partnerId", is(List.of(A)));
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/reports/freshness").then().statusCode(200)
                .body("partnerId", hasItem(B));
    }

    @Test
    void aPartnerTokenForAnUnknownPartnerGets404ForItselfAndNothingElse() {
        String ghost = TestTokens.partner("ac-ghost");
        given().auth().oauth2(ghost).get("/api/v1/reports/partners/ac-ghost/statements/" + PERIOD).then()
                .statusCode(404).contentType(startsWith("application/problem+json"));
        given().auth().oauth2(ghost).get("/api/v1/reports/periods/" + PERIOD).then().statusCode(200)
                .body("$", is(List.of()));
        given().auth().oauth2(ghost).get("/api/v1/reports/freshness").then().statusCode(200).body("$", is(List.of()));
    }

    @Test
    void tokensWithoutAReportingRoleOrPartnerClaimAre403() {
        String noRole = Infrastructure.shared().jwt().sign("nobody", List.of("viewer"), null, Duration.ofHours(1));
        String partnerWithoutClaim = Infrastructure.shared().jwt().sign("p", List.of("partner"), null,
                Duration.ofHours(1));
        for (String path : PARTNER_ENDPOINTS) {
            given().auth().oauth2(noRole).get(path).then().statusCode(403)
                    .contentType(startsWith("application/problem+json"));
            given().auth().oauth2(partnerWithoutClaim).get(path).then().statusCode(403);
        }
    }

    @Test
    void onlyAdminStartsARebuildAndPartnersSeeNoOperations() {
        for (String token : List.of(TestTokens.finance(), TestTokens.partner(A))) {
            given().auth().oauth2(token).post("/api/v1/reports/rebuild").then().statusCode(403)
                    .contentType(startsWith("application/problem+json"));
        }
        given().auth().oauth2(TestTokens.partner(A)).get("/api/v1/reports/rebuild").then().statusCode(403);
        given().auth().oauth2(TestTokens.partner(A)).get("/api/v1/reports/gaps").then().statusCode(403);
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/rebuild").then().statusCode(200)
                .body("state", not(is("")));
        // operations endpoints stay open, on the management port
        given().get(OpsUrls.management("/q/health/live")).then().statusCode(200);
        given().get(OpsUrls.management("/q/metrics")).then().statusCode(200);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
