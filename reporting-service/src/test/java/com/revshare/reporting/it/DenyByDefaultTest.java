package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12.5, deny by default: every API endpoint refuses a request without a token (401, problem
 * details), reads and writes alike, while the dashboard's static files and its
 * {@code /dashboard/config.json} stay public. With
 * {@code quarkus.security.jaxrs.deny-unannotated-endpoints=true} an endpoint that someone forgets
 * to annotate is refused too, instead of being open.
 */
@QuarkusTest
class DenyByDefaultTest {
    private static final List<String> GETS = List.of(
            "/api/v1/reports/periods/2026-01",
            "/api/v1/reports/partners/deny-a/statements/2026-01",
            "/api/v1/reports/partners/deny-a/statements/2026-01.csv",
            "/api/v1/reports/summary",
            "/api/v1/reports/partners/deny-a/entries",
            "/api/v1/reports/freshness",
            "/api/v1/reports/receivables",
            "/api/v1/reports/gaps",
            "/api/v1/reports/rebuild",
            "/api/v1/operations/held-records",
            "/api/v1/operations/held-records/1");

    @Test
    void everyApiEndpointWithoutATokenIs401() {
        for (String path : GETS) {
            given().get(path).then().statusCode(401).contentType(startsWith("application/problem+json"))
                    .body("status", is(401));
        }
        given().contentType("application/json").body("{}").post("/api/v1/reports/rebuild").then().statusCode(401);
        given().contentType("application/json").body("{\"memo\":\"x\"}")
                .post("/api/v1/operations/held-records/1/acknowledge").then().statusCode(401);
    }

    @Test
    void theDashboardAndItsConfigStayPublic() {
        given().get("/").then().statusCode(200);
        given().get("/dashboard/config.json").then().statusCode(200);
    }
}
