package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.infra.Topics;

import io.quarkus.test.junit.QuarkusTest;

/**
 * A missing sequence is detected and reported (gaps endpoint, metric, log) and the later entries
 * wait for it instead of being applied out of order or skipped; unreadable records never stop
 * the consumer.
 */
@QuarkusTest
class GapDetectionTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementRoot;

    @org.junit.jupiter.api.BeforeEach
    void useManagementPort() {
        OpsUrls.use(managementRoot);
    }

    private static final String PERIOD = "2026-07";

    private static double metric(String name) {
        return Ops.metric(name);
    }

    private static String total(String partner) {
        return given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/partners/" + partner + "/statements/" + PERIOD).then().statusCode(200)
                .extract().jsonPath().getString("total");
    }

    @Test
    void laterEntriesWaitForAMissingSequenceAndApplyInOrderWhenItArrives() {
        String p = "gap-p";
        Publisher.partner(p, "USD");
        EntryFixtures.Entry e1 = EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "1.00000000", null, "USD");
        EntryFixtures.Entry e2 = EntryFixtures.usage(p, 2, PERIOD, "m", "requests", 1, "2.00000000", null, "USD");
        EntryFixtures.Entry e3 = EntryFixtures.usage(p, 3, PERIOD, "m", "requests", 1, "4.00000000", null, "USD");
        EntryFixtures.Entry e4 = EntryFixtures.adjustment(p, 4, PERIOD, "MANUAL_ADJUSTMENT", "8.00000000", "USD");
        Publisher.entries(e1, e3, e4, e3);

        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/gaps").then().statusCode(200).extract().jsonPath()
                .getList("findAll { it.partnerId == 'gap-p' }").size() == 1);
        Map<String, Object> gap = given().auth().oauth2(TestTokens.admin()).get("/api/v1/reports/gaps").then()
                .extract().jsonPath().getMap("find { it.partnerId == 'gap-p' }");
        assertEquals(1, gap.get("appliedSequence"));
        assertEquals(2, gap.get("expected"));
        assertEquals(2, gap.get("waitingCount"));
        assertTrue(metric("revshare_reporting_gap_partners") >= 1, "gap metric");
        assertTrue(metric("revshare_reporting_entries_waiting") >= 2, "waiting metric");
        assertEquals(1, Publisher.appliedSequence(p), "freshness stops before the gap");
        assertEquals("1.00000000", total(p), "entries after the gap are not applied");
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/entries").then()
                .body("entries.sequence", org.hamcrest.Matchers.is(List.of(1)));

        Publisher.entries(e2);
        Publisher.awaitApplied(p, 4);
        assertEquals("15.00000000", total(p));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/entries").then()
                .body("entries.sequence", org.hamcrest.Matchers.is(List.of(1, 2, 3, 4)));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/gaps").then()
                .body("findAll { it.partnerId == 'gap-p' }", org.hamcrest.Matchers.empty());
    }

    /**
     * More entries wait than one transaction releases (%test: 1000): once the missing one arrives,
     * the live consumer releases them all in further transactions, with no other record arriving.
     */
    @Test
    void aLongWaitingRunIsReleasedCompletelyEvenWhenNothingElseArrives() {
        String p = "gap-long";
        Publisher.partner(p, "USD");
        List<EntryFixtures.Entry> later = new ArrayList<>();
        for (long s = 2; s <= 2600; s++) {
            later.add(EntryFixtures.usage(p, s, PERIOD, "m", "requests", 1, "0.00000001", null, "USD"));
        }
        Publisher.entries(later);
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/gaps").then().extract().jsonPath()
                .getInt("find { it.partnerId == 'gap-long' }.waitingCount ?: 0") == 2599);
        Publisher.entries(EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "0.00000001", null, "USD"));
        Publisher.awaitApplied(p, 2600);
        assertEquals("0.00002600", total(p));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/gaps").then()
                .body("findAll { it.partnerId == 'gap-long' }", org.hamcrest.Matchers.empty());
    }

    @Test
    void unreadableRecordsAreCountedAndTheConsumerGoesOn() {
        String p = "gap-bad";
        Publisher.partner(p, "USD");
        double before = metric("revshare_reporting_records_invalid_total");
        Publisher.raw(Topics.LEDGER_ENTRIES, p, "{not json");
        Publisher.raw(Topics.LEDGER_ENTRIES, p, "{\"partnerId\":\"gap-bad\",\"sequence\":1}");
        Publisher.raw(Topics.LEDGER_ENTRIES, p, EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "1.000000001",
                null, "USD").json());
        Publisher.entries(EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "1.50000000", null, "USD"));
        Publisher.awaitApplied(p, 1);
        assertEquals("1.50000000", total(p));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metric("revshare_reporting_records_invalid_total") >= before + 3);
    }

    /**
     * Records the read model cannot hold (U+0000 in a model or metric, which are stored in text
     * columns, or in the key of an unreadable record; an amount beyond numeric(38,8)) are kept as invalid instead of failing their batch
     * forever and stalling their partition. (In a memo it is harmless: JSON escapes it.)
     */
    @Test
    void recordsTheDatabaseCannotHoldAreInvalidNotAPoisonPill() {
        String p = "gap-nul";
        Publisher.partner(p, "USD");
        double before = metric("revshare_reporting_records_invalid_total");
        Publisher.raw(Topics.LEDGER_ENTRIES, p, EntryFixtures.usage(p, 1, PERIOD, "m\u0000", "requests", 1,
                "9.00000000", null, "USD").json());
        Publisher.raw(Topics.LEDGER_ENTRIES, p, EntryFixtures.usage(p, 1, PERIOD, "m", "requests\u0000", 1,
                "8.00000000", null, "USD").json());
        Publisher.raw(Topics.LEDGER_ENTRIES, p, EntryFixtures.adjustment(p, 1, PERIOD, "MANUAL_ADJUSTMENT",
                "1" + "0".repeat(30) + ".00000000", "USD").json());
        Publisher.raw(Topics.LEDGER_ENTRIES, "gap\u0000nul", "{not json");
        Publisher.entries(EntryFixtures.adjustment(p, 1, PERIOD, "MANUAL_ADJUSTMENT", "2.50000000", "USD")
                .set("memo", "credit\u0000note"));
        Publisher.awaitApplied(p, 1);
        assertEquals("2.50000000", total(p));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/entries").then()
                .body("entries[0].memo", org.hamcrest.Matchers.is("credit\u0000note"));
        await().atMost(Duration.ofSeconds(30))
                .until(() -> metric("revshare_reporting_records_invalid_total") >= before + 4);

        // the same for the partner registry: a record it cannot store is held (HeldRecordsTest), the next one is read
        Publisher.raw(Topics.PARTNERS, "gap-nul-partner", EntryFixtures.partner("gap-nul-partner", "Bad\u0000Name",
                "USD"));
        Publisher.partner("gap-nul-next", "EUR");
        Publisher.awaitPartner("gap-nul-next");
    }
}
