package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.domain.UsageEvent;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** SPEC §3.8 and §5 through the API: paymentTermsDays, payments (every rule), PAYMENT entries, the balance. */
@QuarkusTest
class PaymentsApiTest {
    private static final String TERMS = "{\"effectiveFrom\":\"2026-09-01T00:00:00Z\",\"currency\":\"%s\","
            + "\"rules\":[{\"id\":\"u\",\"model\":\"*\",\"metric\":\"*\",\"type\":\"PER_UNIT\",\"unitPrice\":\"0.01\","
            + "\"unitSize\":1}]}";

    @Inject
    LedgerService ledger;

    private static io.restassured.response.ValidatableResponse pay(String partner, String body) {
        return given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON).body(body)
                .post("/api/v1/partners/" + partner + "/payments").then();
    }

    private static String payment(String id, String amount, String currency, String receivedOn, String reference) {
        return "{\"paymentId\":\"" + id + "\",\"amount\":\"" + amount + "\",\"currency\":\"" + currency
                + "\",\"receivedOn\":\"" + receivedOn + "\",\"reference\":"
                + (reference == null ? "null" : "\"" + reference + "\"") + "}";
    }

    private static JsonPath balance(String partner) {
        return given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + partner + "/balance")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void paymentTermsDaysDefaultsTo30IsKeptWhenAbsentAndIsBounded() {
        String p = "pay-terms";
        Fixtures.partner(p, "USD");
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p).then()
                .body("paymentTermsDays", equalTo(30));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"T\",\"currency\":\"USD\",\"paymentTermsDays\":45}").put("/api/v1/partners/" + p)
                .then().statusCode(200).body("paymentTermsDays", equalTo(45));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"T2\",\"currency\":\"USD\"}").put("/api/v1/partners/" + p)
                .then().statusCode(200).body("paymentTermsDays", equalTo(45)).body("name", equalTo("T2"));
        for (String bad : List.of("366", "-1", "\"30\"", "30.5", "true")) {
            given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                    .body("{\"name\":\"T\",\"currency\":\"USD\",\"paymentTermsDays\":" + bad + "}")
                    .put("/api/v1/partners/" + p).then().statusCode(400).body("detail", containsString("paymentTermsDays"));
        }
        for (String good : List.of("0", "365")) {
            given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                    .body("{\"name\":\"T\",\"currency\":\"USD\",\"paymentTermsDays\":" + good + "}")
                    .put("/api/v1/partners/" + p).then().statusCode(200).body("paymentTermsDays", equalTo(
                            Integer.parseInt(good)));
        }
    }

    @Test
    void aPaymentIsAPaymentEntryInTheEarliestOpenPeriodAndIdempotentByPaymentId() {
        String p = "pay-main";
        Fixtures.partner(p, "USD");
        // given a partner without an agreement version: 409
        pay(p, payment("w-1", "100.50", "USD", "2026-10-20", "wire 1")).statusCode(409)
                .contentType("application/problem+json");
        Fixtures.agreement(p, String.format(TERMS, "USD"));
        ledger.recordUsage(List.of(new UsageEvent(p, "e-1", java.time.Instant.parse("2026-09-03T00:00:00Z"), "m",
                "requests", 1000, null, null)));
        // when finance records a payment
        String entryId = pay(p, payment("w-1", "100.50", "USD", "2026-10-20", "wire 1")).statusCode(201)
                .body("kind", equalTo("PAYMENT")).body("period", equalTo("2026-09"))
                .body("amount", equalTo("100.50000000")).body("currency", equalTo("USD"))
                .body("debitAccount", equalTo("cash/USD")).body("creditAccount", equalTo("partners/" + p + "/receivable"))
                .body("paymentId", equalTo("w-1")).body("receivedOn", equalTo("2026-10-20"))
                .body("reference", equalTo("wire 1")).body("usageEventId", nullValue()).body("actor", equalTo("finance"))
                .body("sequence", equalTo(2)).extract().path("entryId");
        // then the same body (amount compared by value) is 200 with the same entry, another body 409
        pay(p, payment("w-1", "100.5", "USD", "2026-10-20", "wire 1")).statusCode(200)
                .body("entryId", equalTo(entryId));
        pay(p, payment("w-1", "100.51", "USD", "2026-10-20", "wire 1")).statusCode(409);
        pay(p, payment("w-1", "100.50", "USD", "2026-10-21", "wire 1")).statusCode(409);
        pay(p, payment("w-1", "100.50", "USD", "2026-10-20", null)).statusCode(409);
        // and the balance: receivable net of payments, period figures without the payment
        JsonPath b = balance(p);
        assertThat(b.getString("receivable"), is("-90.50000000"));
        assertThat(b.getInt("lastSequence"), is(2));
        assertThat(b.getString("periods[0].period"), is("2026-09"));
        assertThat(b.getString("periods[0].total"), is("10.00000000"));
        assertThat(b.getString("periods[0].amountDue"), is("10.00"));
        assertThat(b.getInt("periods[0].eventCount"), is(1));
        assertThat(b.getList("periods").size(), is(1));
        // a later payment received earlier is listed first (receivedOn, then sequence)
        pay(p, payment("w-2", "1", "USD", "2026-10-01", null)).statusCode(201).body("reference", nullValue());
        pay(p, payment("w-3", "2", "USD", "2026-10-20", null)).statusCode(201);
        given().header("Authorization", Fixtures.admin()).get("/api/v1/partners/" + p + "/payments").then()
                .statusCode(200).body("paymentId", contains("w-2", "w-1", "w-3"))
                .body("kind", contains("PAYMENT", "PAYMENT", "PAYMENT"));
        // closing September: later payments go to the earliest OPEN period, October
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/periods/2026-09/close")
                .then().statusCode(200).body("total", equalTo("10.00000000"));
        pay(p, payment("w-4", "3", "USD", "2026-11-02", null)).statusCode(201).body("period", equalTo("2026-10"));
        assertThat(balance(p).getString("receivable"), is("-96.50000000"));
    }

    @Test
    void everyRuleOfAPaymentIsA400NamingTheField() {
        String p = "pay-rules";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, String.format(TERMS, "USD"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        String tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(2).toString();
        Object[][] cases = {
            {payment("bad id", "1", "USD", today, null), "paymentId"},
            {payment("x".repeat(65), "1", "USD", today, null), "paymentId"},
            {payment("", "1", "USD", today, null), "paymentId"},
            {"{\"amount\":\"1\",\"currency\":\"USD\",\"receivedOn\":\"" + today + "\"}", "paymentId"},
            {payment("a", "0", "USD", today, null), "amount"},
            {payment("a", "-1", "USD", today, null), "amount"},
            {payment("a", "1.234", "USD", today, null), "amount"},
            {payment("a", "1e3", "USD", today, null), "amount"},
            {payment("a", "1" + "0".repeat(18), "USD", today, null), "amount"},
            {payment("a", "1", "EUR", today, null), "currency"},
            {"{\"paymentId\":\"a\",\"amount\":\"1\",\"receivedOn\":\"" + today + "\"}", "currency"},
            {payment("a", "1", "USD", tomorrow, null), "receivedOn"},
            {payment("a", "1", "USD", "2026-13-01", null), "receivedOn"},
            {payment("a", "1", "USD", "2026-1-01", null), "receivedOn"},
            {payment("a", "1", "USD", today, "é".repeat(1001)), "reference"},
        };
        for (Object[] c : cases) {
            pay(p, (String) c[0]).statusCode(400).contentType("application/problem+json")
                    .body("detail", containsString((String) c[1]));
        }
        // at the limits: 18 integer digits and 2 fraction digits, ids of 64 of the allowed characters, 1000 code points
        pay(p, payment("A-z_0.9:" + "x".repeat(56), "9".repeat(18) + ".99", "USD", today, "é".repeat(1000)))
                .statusCode(201).body("amount", equalTo("9".repeat(18) + ".99000000"));
        // a number is accepted as the amount too
        pay(p, "{\"paymentId\":\"num\",\"amount\":12.5,\"currency\":\"USD\",\"receivedOn\":\"" + today + "\"}")
                .statusCode(201).body("amount", equalTo("12.50000000"));
        // unknown partner 404, roles admin and finance only
        pay("pay-nobody", payment("a", "1", "USD", today, null)).statusCode(404);
        given().header("Authorization", "Bearer " + com.revshare.infra.TestTokens.partner(p))
                .contentType(ContentType.JSON).body(payment("b", "1", "USD", today, null))
                .post("/api/v1/partners/" + p + "/payments").then().statusCode(403);
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body(payment("b", "1", "USD", today, null)).post("/api/v1/partners/" + p + "/payments").then()
                .statusCode(201);
    }

    @Test
    void aYenPaymentHasNoFractionAndAPartnerWhosePeriodsHaveNotBegunBooksIntoTheCurrentMonth() {
        String p = "pay-jpy";
        Fixtures.partner(p, "JPY");
        Fixtures.agreement(p, String.format(TERMS, "JPY").replace("2026-09-01", "2099-01-01"));
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        pay(p, payment("y-1", "100.5", "JPY", today, null)).statusCode(400).body("detail", containsString("amount"));
        pay(p, payment("y-1", "100", "JPY", today, null)).statusCode(201).body("amount", equalTo("100.00000000"))
                .body("period", equalTo(today.substring(0, 7)));
        assertThat(balance(p).getString("receivable"), is("-100.00000000"));
        assertThat(balance(p).getList("periods").size(), is(0)); // a period with only payments has no figures
    }
}
