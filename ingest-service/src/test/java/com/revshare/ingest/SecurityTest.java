package com.revshare.ingest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 12 least privilege: every API endpoint refuses a request without a token (401, as problem details),
 * endpoints are denied by default (quarkus.security.jaxrs.deny-unannotated-endpoints), and CORS lets only the
 * dashboard's origin read with an Authorization header.
 */
@QuarkusTest
class SecurityTest {

    @ParameterizedTest
    @CsvSource({
            "POST, /api/v1/usage-events",
            "GET, /api/v1/partners/aws/intake",
            "GET, /api/v1/partners/aws/rejections",
            "GET, /api/v1/partners/aws/controls",
            "POST, /api/v1/admin/partners/aws/republish?fromSequence=1"})
    void everyApiEndpointWithoutATokenIs401(String method, String path) {
        given().contentType("application/cloudevents+json").body("{}").when().request(method, path).then()
                .statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("not-a-token").contentType("application/cloudevents+json").body("{}").when()
                .request(method, path).then().statusCode(401);
    }

    @Test
    void theDashboardOriginMayReadWithAnAuthorizationHeaderAndOtherOriginsMayNot() {
        // a preflight from the dashboard's origin (default http://localhost:8083) is allowed
        given().header("Origin", "http://localhost:8083").header("Access-Control-Request-Method", "GET")
                .header("Access-Control-Request-Headers", "authorization").when()
                .options("/api/v1/partners/aws/controls").then().statusCode(200)
                .header("Access-Control-Allow-Origin", is("http://localhost:8083"));
        // and the read itself carries the header
        given().header("Origin", "http://localhost:8083").auth().oauth2(TestTokens.finance()).when()
                .get("/api/v1/partners/nobody-cors/controls").then()
                .header("Access-Control-Allow-Origin", is("http://localhost:8083"));
        // another origin gets no permission
        given().header("Origin", "http://evil.example").header("Access-Control-Request-Method", "GET").when()
                .options("/api/v1/partners/aws/controls").then()
                .header("Access-Control-Allow-Origin", nullValue());
    }
}
