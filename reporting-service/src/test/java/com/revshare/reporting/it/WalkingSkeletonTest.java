package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.revshare.infra.RevshareTestResource;
import com.revshare.infra.TestTokens;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The walking skeleton's reporting slice against a real broker and PostgreSQL: a partner from
 * revshare.partners, entries from revshare.ledger.entries (one re-delivered), and the period
 * overview's figures to the last digit. This class carries the module's one test resource.
 */
@QuarkusTest
@QuarkusTestResource(value = RevshareTestResource.class, initArgs = @ResourceArg(name = "database", value = "reporting"))
class WalkingSkeletonTest {
    private static final String PERIOD = "2026-11";

    @Test
    void entriesAreAppliedOnceAndTheOverviewShowsExactTotals() {
        String partner = "wsk-acme";
        Publisher.partner(partner, "USD");
        EntryFixtures.Entry e1 = EntryFixtures.usage(partner, 1, PERIOD, "llama-3.1-70b-instruct", "output_tokens",
                125000, "0.28125000", "1.87500000", "USD");
        EntryFixtures.Entry e2 = EntryFixtures.usage(partner, 2, PERIOD, "llama-3.1-70b-instruct", "input_tokens",
                1000000, "0.10000001", "0.66666667", "USD");
        EntryFixtures.Entry e3 = EntryFixtures.usage(partner, 3, PERIOD, "llama-3.1-8b-instruct", "output_tokens", 3,
                "0.00000001", null, "USD");
        Publisher.entries(e1, e2, e2, e3); // e2 re-delivered
        Publisher.awaitApplied(partner, 3);

        // independently: 0.28125000 + 0.10000001 + 0.00000001, counted once each
        BigDecimal total = new BigDecimal("0.28125000").add(new BigDecimal("0.10000001"))
                .add(new BigDecimal("0.00000001"));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/periods/" + PERIOD)
                .then().statusCode(200)
                .body("findAll { it.partnerId == 'wsk-acme' }", hasSize(1))
                .body("find { it.partnerId == 'wsk-acme' }.total", equalTo(total.toPlainString()))
                .body("find { it.partnerId == 'wsk-acme' }.total", equalTo("0.38125002"))
                .body("find { it.partnerId == 'wsk-acme' }.amountDue",
                        equalTo(total.setScale(2, RoundingMode.HALF_EVEN).toPlainString()))
                .body("find { it.partnerId == 'wsk-acme' }.usageAmount", equalTo("0.38125002"))
                .body("find { it.partnerId == 'wsk-acme' }.adjustmentsAmount", equalTo("0.00000000"))
                .body("find { it.partnerId == 'wsk-acme' }.status", equalTo("OPEN"))
                .body("find { it.partnerId == 'wsk-acme' }.currency", equalTo("USD"))
                .body("find { it.partnerId == 'wsk-acme' }.eventCount", equalTo(3))
                .body("find { it.partnerId == 'wsk-acme' }.quantities.output_tokens", equalTo("125003"))
                .body("find { it.partnerId == 'wsk-acme' }.quantities.input_tokens", equalTo("1000000"));

        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/freshness")
                .then().statusCode(200)
                .body("find { it.partnerId == 'wsk-acme' }.sequence", equalTo(3))
                .body("find { it.partnerId == 'wsk-acme' }.postedAt", equalTo(e3.get("postedAt")));
    }

    @Test
    void amountDueUsesTheCurrencyMinorUnitHalfEven() {
        String partner = "wsk-yen";
        Publisher.partner(partner, "JPY");
        Publisher.entries(
                EntryFixtures.usage(partner, 1, PERIOD, "m", "requests", 10, "1000.25000000", null, "JPY"),
                EntryFixtures.usage(partner, 2, PERIOD, "m", "requests", 10, "234.25000000", null, "JPY"));
        Publisher.awaitApplied(partner, 2);
        // 1234.5 JPY: HALF_EVEN to 0 digits is 1234 (HALF_UP would say 1235)
        given().auth().oauth2(TestTokens.admin()).get("/api/v1/reports/periods/" + PERIOD)
                .then().statusCode(200)
                .body("find { it.partnerId == 'wsk-yen' }.total", equalTo("1234.50000000"))
                .body("find { it.partnerId == 'wsk-yen' }.amountDue", equalTo("1234"));
    }

    @Test
    void amountDueOfACurrencyWithoutAnIsoMinorUnitHasTwoDigitsAsTheLedgersBalance() {
        // ISO 4217 gives XAU no minor unit; the ledger's balance then rounds amountDue to 2 digits
        String partner = "wsk-gold";
        Publisher.partner(partner, "XAU");
        Publisher.entries(EntryFixtures.usage(partner, 1, PERIOD, "m", "requests", 1, "1.23500000", null, "XAU"));
        Publisher.awaitApplied(partner, 1);
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + partner + "/statements/" + PERIOD)
                .then().statusCode(200).body("total", is("1.23500000")).body("amountDue", is("1.24"));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/periods/" + PERIOD).then().statusCode(200)
                .body("find { it.partnerId == 'wsk-gold' }.amountDue", equalTo("1.24"));
    }

    @Test
    void aKnownPartnerWithoutEntriesHasAStatementOfZerosAndAnUnknownOneIs404() {
        Publisher.partner("wsk-empty", "EUR");
        Publisher.awaitPartner("wsk-empty");
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/wsk-empty/statements/2026-10")
                .then().statusCode(200)
                .body("partnerId", is("wsk-empty"))
                .body("period", is("2026-10"))
                .body("status", is("OPEN"))
                .body("closedAt", nullValue())
                .body("currency", is("EUR"))
                .body("lines", hasSize(0))
                .body("adjustments", hasSize(0))
                .body("total", is("0.00000000"))
                .body("amountDue", is("0.00"))
                .body("eventCount", is(0));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/wsk-nobody/statements/2026-10")
                .then().statusCode(404)
                .contentType("application/problem+json")
                .body("status", is(404));
        // a period without entries of a known partner is not in the overview
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/periods/2026-10")
                .then().statusCode(200).body("findAll { it.partnerId == 'wsk-empty' }", equalTo(List.of()));
    }
}
