package com.revshare.ledger;

import static io.restassured.RestAssured.given;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** SPEC §8 and issue 12: every API endpoint without a token is 401 (the service denies unannotated endpoints). */
@QuarkusTest
class UnauthenticatedTest {
    private static final String[][] ENDPOINTS = {
        {"GET", "/api/v1/partners"}, {"GET", "/api/v1/partners/any"}, {"PUT", "/api/v1/partners/any"},
        {"POST", "/api/v1/partners/any/agreements"}, {"GET", "/api/v1/partners/any/agreements"},
        {"PUT", "/api/v1/fx-rates/2026-01-01"}, {"POST", "/api/v1/partners/any/periods/2026-01/close"},
        {"POST", "/api/v1/partners/any/adjustments"}, {"GET", "/api/v1/partners/any/unrated"},
        {"POST", "/api/v1/partners/any/unrated/e/write-off"}, {"POST", "/api/v1/partners/any/unrated/retry"},
        {"GET", "/api/v1/partners/any/balance"}, {"POST", "/api/v1/partners/any/payments"},
        {"GET", "/api/v1/partners/any/payments"}, {"GET", "/api/v1/partners/any/periods/2026-01/proof"},
        {"GET", "/api/v1/audit"}, {"GET", "/api/v1/operations/unreadable-records"},
    };

    @Test
    void everyApiEndpointWithoutATokenIs401() {
        for (String[] e : ENDPOINTS) {
            given().contentType("application/json").body("{}").request(e[0], e[1]).then().statusCode(401);
        }
    }
}
