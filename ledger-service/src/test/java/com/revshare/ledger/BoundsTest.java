package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * SPEC §2.1, §3.1, §3.3, §3.7 v2 "accepted means bookable": every admin bound at its limit is accepted
 * and one past it is a 400 naming the field by its full path; with every bound at its maximum the
 * largest possible entries are booked exactly (each below 10^30, so it fits numeric(38,8)).
 */
@QuarkusTest
class BoundsTest {
    private static final String MAX_PRICE = "999999.999999999999"; // 6 integer, 12 fraction digits
    private static final String MAX_AMOUNT = "999999999999999999.99999999"; // 18 integer, 8 fraction digits
    private static final String MAX_FX = "999999.9999999999"; // 6 integer, 10 fraction digits

    @Inject
    LedgerService ledger;

    private static ValidatableResponse addAgreement(String partner, String json) {
        return given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body(json)
                .post("/api/v1/partners/" + partner + "/agreements").then();
    }

    private static String percent(String from, String rate, String minimum, String cap) {
        return "{\"effectiveFrom\":\"" + from + "\",\"currency\":\"USD\",\"monthlyMinimum\":" + minimum
                + ",\"monthlyCap\":" + cap + ",\"rules\":[{\"id\":\"r\",\"model\":\"*\",\"metric\":\"*\","
                + "\"type\":\"PERCENT_OF_REVENUE\",\"rate\":\"" + rate + "\"}]}";
    }

    private static String perUnit(String from, String unitPrice) {
        return "{\"effectiveFrom\":\"" + from + "\",\"currency\":\"USD\",\"rules\":[{\"id\":\"u\",\"model\":\"*\","
                + "\"metric\":\"*\",\"type\":\"PER_UNIT\",\"unitPrice\":\"" + unitPrice + "\",\"unitSize\":1}]}";
    }

    private static String tiered(String from, String upTo) {
        return "{\"effectiveFrom\":\"" + from + "\",\"currency\":\"USD\",\"rules\":[{\"id\":\"t\",\"model\":\"*\","
                + "\"metric\":\"*\",\"type\":\"TIERED\",\"basis\":\"QUANTITY\",\"mode\":\"GRADUATED\",\"tiers\":["
                + "{\"upTo\":" + upTo + ",\"unitPrice\":\"" + MAX_PRICE + "\",\"unitSize\":1},"
                + "{\"upTo\":null,\"unitPrice\":\"0.1\",\"unitSize\":1}]}]}";
    }

    private static void rejected(ValidatableResponse r, String field) {
        r.statusCode(400).contentType("application/problem+json").body("field", is(field));
    }

    @Test
    void agreementBoundsAtTheirLimitAreAcceptedAndOnePastIsA400NamingTheField() {
        String p = "bounds-agreement";
        Fixtures.partner(p, "USD");
        rejected(addAgreement(p, percent("2026-01-01T00:00:00Z", "1000000", "null", "null")), "rules[0].rate");
        rejected(addAgreement(p, percent("2026-01-01T00:00:00Z", "0.1234567890123", "null", "null")),
                "rules[0].rate");
        rejected(addAgreement(p, perUnit("2026-01-01T00:00:00Z", "1000000.5")), "rules[0].unitPrice");
        rejected(addAgreement(p, percent("2026-01-01T00:00:00Z", "0.1", "\"1000000000000000000\"", "null")),
                "monthlyMinimum");
        rejected(addAgreement(p, percent("2026-01-01T00:00:00Z", "0.1", "null", "\"1000000000000000000.5\"")),
                "monthlyCap");
        rejected(addAgreement(p, percent("2026-01-01T00:00:00Z", "0.1", "null", "\"1.123456789\"")),
                "monthlyCap");
        rejected(addAgreement(p, tiered("2026-01-01T00:00:00Z", "1000000000000000001")), "rules[0].tiers[0].upTo");

        addAgreement(p, percent("2026-01-01T00:00:00Z", MAX_PRICE, "\"" + MAX_AMOUNT + "\"", "\"" + MAX_AMOUNT + "\""))
                .statusCode(201).body("rules[0].rate", is(MAX_PRICE)).body("monthlyMinimum", is(MAX_AMOUNT));
        addAgreement(p, perUnit("2026-02-01T00:00:00Z", MAX_PRICE)).statusCode(201);
        addAgreement(p, tiered("2026-03-01T00:00:00Z", "1000000000000000000")).statusCode(201);
    }

    @Test
    void fxRateMemoAndAdjustmentBoundsAtTheirLimitAreAcceptedAndOnePastIsA400() {
        String p = "bounds-admin";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, perUnit("2026-01-01T00:00:00Z", "1"));
        rejected(given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1000000\"}").put("/api/v1/fx-rates/2026-01-02")
                .then(), "rate");
        rejected(given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1.12345678901\"}")
                .put("/api/v1/fx-rates/2026-01-02").then(), "rate");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"GBP\",\"quote\":\"USD\",\"rate\":\"" + MAX_FX + "\"}")
                .put("/api/v1/fx-rates/2026-01-02").then().statusCode(201).body("rate", is(MAX_FX));

        String astralMemo = "\uD835\uDC00".repeat(1000); // 1000 code points, 2000 UTF-16 units
        rejected(adjust(p, "1000000000000000000", "m"), "amount");
        rejected(adjust(p, "1.123456789", "m"), "amount");
        rejected(adjust(p, "1", astralMemo + "x"), "memo");
        adjust(p, "-" + MAX_AMOUNT, astralMemo).statusCode(201).body("amount", is("-" + MAX_AMOUNT))
                .body("memo", is(astralMemo));
        adjust(p, MAX_AMOUNT, "back").statusCode(201);
    }

    private static ValidatableResponse adjust(String partner, String amount, String memo) {
        return given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-01\",\"amount\":\"" + amount + "\",\"memo\":\"" + memo + "\"}")
                .post("/api/v1/partners/" + partner + "/adjustments").then();
    }

    @Test
    void withEveryBoundAtItsMaximumTheLargestEntriesAreBookedExactlyAndFitNumeric38Of8() {
        String p = "bounds-max";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, percent("2026-01-01T00:00:00Z", MAX_PRICE, "null", "null"));
        Fixtures.agreement(p, perUnit("2026-02-01T00:00:00Z", MAX_PRICE));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"" + MAX_FX + "\"}")
                .put("/api/v1/fx-rates/2026-01-15").then().statusCode(201);
        ledger.recordUsage(List.of(
                new UsageEvent(p, "max-revenue", Instant.parse("2026-01-15T23:59:59.999999999Z"), "m",
                        "output_tokens", 1_000_000_000_000_000L, new Revenue(new BigDecimal(MAX_AMOUNT), "EUR"),
                        "\uD835\uDC00".repeat(64)),
                new UsageEvent(p, "max-quantity", Instant.parse("2026-02-01T00:00:00Z"), "m", "requests",
                        1_000_000_000_000_000L, null, null)));

        BigDecimal revenueShare = new BigDecimal(MAX_AMOUNT).multiply(new BigDecimal(MAX_FX))
                .multiply(new BigDecimal(MAX_PRICE)).setScale(8, RoundingMode.HALF_EVEN);
        BigDecimal unitShare = new BigDecimal("1000000000000000").multiply(new BigDecimal(MAX_PRICE))
                .setScale(8, RoundingMode.HALF_EVEN);
        var balance = given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance")
                .then().statusCode(200).extract().jsonPath();
        assertThat(balance.getInt("unratedCount"), is(0));
        assertThat(balance.getString("periods[0].total"), is(revenueShare.toPlainString()));
        assertThat(balance.getString("periods[1].total"), is(unitShare.toPlainString()));
        for (BigDecimal share : List.of(revenueShare, unitShare)) {
            assertThat(share.precision() - share.scale(), lessThan(31)); // numeric(38,8): 30 integer digits
        }
    }
}
