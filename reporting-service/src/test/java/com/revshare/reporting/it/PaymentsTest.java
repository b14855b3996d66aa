package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.infra.Topics;

import io.quarkus.test.junit.QuarkusTest;

/**
 * SPEC v2 §3.8, §4, §4.1, §6 in reporting, on the real broker: v2 entry fields stored and returned
 * (older entries without them accepted), PAYMENT entries no charge anywhere, statement proof and
 * settlement, and the receivables report with allocation and aging.
 */
@QuarkusTest
class PaymentsTest {
    private static final String A = "pay-a";
    private static final String B = "pay-b";
    private static List<EntryFixtures.Entry> entriesOfMarch;

    private static boolean published;

    @BeforeEach
    synchronized void publish() {
        if (published) {
            return;
        }
        published = true;
        // pay-a: terms 10 days; pay-b: no terms in its record (an older ledger): 30
        Publisher.raw(Topics.PARTNERS, A, "{\"partnerId\":\"pay-a\",\"name\":\"A\",\"currency\":\"USD\","
                + "\"status\":\"ACTIVE\",\"paymentTermsDays\":10}");
        Publisher.partner(B, "EUR");
        EntryFixtures.Entry usage = EntryFixtures.usage(A, 1, "2026-03", "m", "requests", 4, "100.00000000",
                "400.00000000", "USD").v2("debitAccount", "partners/pay-a/receivable")
                .v2("creditAccount", "revenue/pay-a/share");
        EntryFixtures.Entry pay1 = EntryFixtures.payment(A, 2, "2026-03", "30.00000000", "USD", "p-1", "2026-04-05",
                "wire 1");
        EntryFixtures.Entry close = EntryFixtures.periodClosed(A, 3, "2026-03", "USD",
                Instant.parse("2026-04-01T00:00:00Z"));
        EntryFixtures.Entry pay2 = EntryFixtures.payment(A, 4, "2026-04", "50.00000000", "USD", "p-2", "2026-04-20",
                null);
        EntryFixtures.Entry pay3 = EntryFixtures.payment(A, 5, "2026-05", "5.00000000", "USD", "p-3", "2026-05-02",
                null);
        EntryFixtures.Entry payB = EntryFixtures.payment(B, 1, "2026-03", "12.00000000", "EUR", "b-1", "2026-03-20",
                "advance");
        entriesOfMarch = List.of(usage, pay1, close);
        Publisher.entries(usage, pay1, close, pay2, pay3, payB);
        Publisher.awaitApplied(A, 5);
        Publisher.awaitApplied(B, 1);
    }

    private static String proofOf(List<EntryFixtures.Entry> entries) throws Exception {
        StringBuilder text = new StringBuilder();
        for (EntryFixtures.Entry e : entries) {
            text.append(e.sequence());
            for (String f : new String[] { "entryId", "kind", "amount", "currency", "usageEventId", "model", "metric",
                    "quantity", "settlementRevenue", "agreementVersion", "ruleId", "reversesEntryId",
                    "originalPeriod" }) {
                Object v = e.get(f);
                text.append('|').append(v == null ? "" : v.toString());
            }
            text.append('\n');
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void paymentsAreNoChargeAndTheStatementCarriesProofAndSettlement() throws Exception {
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + A + "/statements/2026-03")
                .then().statusCode(200).body("status", is("CLOSED")).body("total", is("100.00000000"))
                .body("amountDue", is("100.00")).body("eventCount", is(1)).body("adjustments", empty())
                .body("proof.entryCount", is(3)).body("proof.firstSequence", is(1)).body("proof.lastSequence", is(3))
                .body("proof.sha256", is(proofOf(entriesOfMarch)))
                // as of today: due 2026-04-01 + 10 days; all three payments (85.00) are allocated to it
                .body("settlement.dueOn", is("2026-04-11")).body("settlement.allocated", is("85.00"))
                .body("settlement.outstanding", is("15.00"));
        // a period whose only entries are payments: no overview row, an OPEN statement of zeros, its proof
        for (String period : List.of("2026-04", "2026-05")) {
            given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/periods/" + period).then()
                    .statusCode(200).body("findAll { it.partnerId == 'pay-a' }", empty());
            given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + A + "/statements/" + period)
                    .then().body("total", is("0.00000000")).body("eventCount", is(0)).body("status", is("OPEN"))
                    .body("settlement", is((Object) null)).body("proof.entryCount", is(1));
        }
        given().auth().oauth2(TestTokens.finance()).queryParam("groupBy", "partner").queryParam("from", "2026-03")
                .queryParam("to", "2026-05").get("/api/v1/reports/summary").then()
                .body("find { it.partnerId == 'pay-a' }.amount", is("100.00000000"))
                .body("findAll { it.partnerId == 'pay-b' }", empty());
    }

    @Test
    void theEntriesApiReturnsTheV2FieldsAndFiltersPayments() {
        given().auth().oauth2(TestTokens.finance()).queryParam("kind", "PAYMENT")
                .get("/api/v1/reports/partners/" + A + "/entries").then().statusCode(200)
                .body("entries.sequence", is(List.of(2, 4, 5)))
                .body("entries[0].paymentId", is("p-1")).body("entries[0].receivedOn", is("2026-04-05"))
                .body("entries[0].reference", is("wire 1")).body("entries[0].debitAccount", is("cash/USD"))
                .body("entries[0].creditAccount", is("partners/pay-a/receivable"))
                .body("entries[0].amount", is("30.00000000"));
        given().auth().oauth2(TestTokens.finance()).queryParam("kind", "USAGE")
                .get("/api/v1/reports/partners/" + A + "/entries").then()
                .body("entries[0].debitAccount", is("partners/pay-a/receivable"))
                .body("entries[0].paymentId", is((Object) null));
    }

    private static Map<String, Object> row(String token, String asOf, String partner) {
        var req = given().auth().oauth2(token);
        if (asOf != null) {
            req = req.queryParam("asOf", asOf);
        }
        return req.get("/api/v1/reports/receivables").then().statusCode(200).extract().jsonPath()
                .getMap("find { it.partnerId == '" + partner + "' }");
    }

    @Test
    void receivablesAllocateOldestFirstAndAgeWhatIsOutstanding() {
        // before the close nothing is billed; pay-b's advance is unallocated credit
        assertEquals(null, row(TestTokens.finance(), "2026-03-15", A));
        Map<String, Object> b = row(TestTokens.finance(), "2026-03-31", B);
        assertEquals(Map.of("partnerId", "pay-b", "currency", "EUR", "asOf", "2026-03-31", "billed", "0.00",
                "paid", "12.00", "outstanding", "0.00", "unallocated", "12.00", "aging", Map.of("current", "0.00",
                        "1-30", "0.00", "31-60", "0.00", "61-90", "0.00", "90+", "0.00")), b);

        // billed at the close; before the due date the outstanding amount is current
        Map<String, Object> a = row(TestTokens.finance(), "2026-04-10", A);
        assertEquals("100.00", a.get("billed"));
        assertEquals("30.00", a.get("paid"));
        assertEquals("70.00", a.get("outstanding"));
        assertEquals("0.00", a.get("unallocated"));
        assertEquals("70.00", ((Map<?, ?>) a.get("aging")).get("current"));

        // 51 days past due 2026-04-11, after all three payments
        a = row(TestTokens.admin(), "2026-06-01", A);
        assertEquals("85.00", a.get("paid"));
        assertEquals("15.00", a.get("outstanding"));
        assertEquals("15.00", ((Map<?, ?>) a.get("aging")).get("31-60"));
        assertEquals("0.00", ((Map<?, ?>) a.get("aging")).get("current"));

        // asOf defaults to today (UTC); a partner sees its own row only; a bad date is 400
        assertEquals(java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString(),
                row(TestTokens.finance(), null, A).get("asOf"));
        given().auth().oauth2(TestTokens.partner(A)).get("/api/v1/reports/receivables").then().statusCode(200)
                .body("partnerId", is(List.of(A)));
        given().auth().oauth2(TestTokens.finance()).queryParam("asOf", "2026-13-01").get("/api/v1/reports/receivables")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("asOf"));
    }
}
