package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.infra.Topics;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 10, nothing dropped silently: a record reporting cannot apply is held visibly (endpoint,
 * gauge per partner, readiness detail), the partner's later entries follow the gap rules, and the
 * hold resolves itself when a readable copy of the sequence arrives; conflicting re-deliveries and
 * unreadable partner records are held too, and an operator can acknowledge a held record.
 */
@QuarkusTest
class HeldRecordsTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL managementRoot;

    @org.junit.jupiter.api.BeforeEach
    void useManagementPort() {
        OpsUrls.use(managementRoot);
    }

    private static final String PERIOD = "2026-06";
    private static final String HELD = "/api/v1/operations/held-records";

    private static List<Map<String, Object>> held(String partnerId) {
        return given().auth().oauth2(TestTokens.admin()).queryParam("partnerId", partnerId).queryParam("limit", 1000)
                .get(HELD).then().statusCode(200).extract().jsonPath().getList("records");
    }

    private static double heldGauge(String partnerId) {
        return Ops.metric("revshare_reporting_held_records{partner=\"" + partnerId + "\"}");
    }

    @Test
    void anUnreadableEntryIsHeldVisiblyAndLaterEntriesWaitUntilAReadableCopyArrives() {
        // given a partner whose sequence 2 arrives unreadable (an unknown kind) between 1 and 3
        String p = "held-unreadable";
        Publisher.partner(p, "USD");
        EntryFixtures.Entry e1 = EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "1.00000000", null, "USD");
        EntryFixtures.Entry e2 = EntryFixtures.usage(p, 2, PERIOD, "m", "requests", 1, "2.00000000", null, "USD");
        EntryFixtures.Entry e3 = EntryFixtures.usage(p, 3, PERIOD, "m", "requests", 1, "4.00000000", null, "USD");

        // when
        Publisher.entries(e1);
        Publisher.raw(Topics.LEDGER_ENTRIES, p, e2.json().replace("\"USAGE\"", "\"SOMETHING_NEW\""));
        Publisher.entries(e3);

        // then it is listed, with partner and sequence, and counted per partner and in readiness
        await().atMost(Duration.ofSeconds(60)).until(() -> held(p).size() == 1);
        Map<String, Object> record = held(p).get(0);
        assertEquals("UNREADABLE_ENTRY", record.get("reason"));
        assertEquals("HELD", record.get("status"));
        assertEquals(2, record.get("sequence"));
        assertEquals(Topics.LEDGER_ENTRIES, record.get("topic"));
        assertEquals(null, record.get("raw"), "the list leaves the bytes out");
        given().auth().oauth2(TestTokens.admin()).get(HELD + "/" + record.get("id")).then().statusCode(200)
                .body("raw", org.hamcrest.Matchers.containsString("SOMETHING_NEW"));
        await().atMost(Duration.ofSeconds(30)).until(() -> heldGauge(p) == 1.0);
        await().atMost(Duration.ofSeconds(30)).until(() -> Ops.ready().getInt("checks.find { it.name == "
                + "'revshare-reporting-consumers' }.data.'heldRecords." + p + "'") == 1);
        JsonPath ready = Ops.ready();
        assertEquals("UP", ready.getString("status"), "a held record does not make the service unready");
        assertTrue(ready.getInt("checks.find { it.name == 'revshare-reporting-consumers' }.data.heldRecords") >= 1);
        // the gap rules: nothing past the held sequence is applied; freshness shows the last applied
        assertEquals(1, Publisher.appliedSequence(p));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/gaps").then()
                .body("find { it.partnerId == '" + p + "' }.expected", is(2));

        // when the ledger publishes sequence 2 again, readable
        Publisher.entries(e2);

        // then everything applies in order and the hold resolves itself
        Publisher.awaitApplied(p, 3);
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/statements/" + PERIOD)
                .then().body("total", is("7.00000000"));
        assertEquals("RESOLVED", held(p).get(0).get("status"));
        await().atMost(Duration.ofSeconds(30)).until(() -> heldGauge(p) == 0.0);
    }

    @Test
    void aConflictingReDeliveryIsHeldAndAnAdminAcknowledgesIt() {
        // given sequence 2 waiting behind a gap
        String p = "held-conflict";
        Publisher.partner(p, "USD");
        Publisher.entries(EntryFixtures.usage(p, 2, PERIOD, "m", "requests", 1, "2.00000000", null, "USD"));
        await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/gaps").then().extract().jsonPath()
                .getInt("find { it.partnerId == '" + p + "' }.waitingCount ?: 0") == 1);

        // when sequence 2 is delivered again with another amount
        Publisher.entries(EntryFixtures.usage(p, 2, PERIOD, "m", "requests", 1, "9.00000000", null, "USD"));

        // then it is held; the first stays
        await().atMost(Duration.ofSeconds(60)).until(() -> held(p).size() == 1);
        Map<String, Object> record = held(p).get(0);
        assertEquals("CONFLICTING_ENTRY", record.get("reason"));
        assertEquals("HELD", record.get("status"));
        Object id = record.get("id");

        // only an admin sees or acknowledges held records, with a memo
        for (String token : List.of(TestTokens.finance(), TestTokens.partner(p))) {
            given().auth().oauth2(token).get(HELD).then().statusCode(403);
        }
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").body("{}")
                .post(HELD + "/" + id + "/acknowledge").then().statusCode(400)
                .contentType(startsWith("application/problem+json"));
        given().auth().oauth2(TestTokens.admin()).contentType("application/json").body("{\"memo\":\"x\"}")
                .post(HELD + "/999999999/acknowledge").then().statusCode(404);
        given().auth().oauth2(TestTokens.admin()).queryParam("status", "NOPE").get(HELD).then().statusCode(400);
        given().auth().oauth2(TestTokens.admin()).contentType("application/json")
                .body("{\"memo\":\"ledger bug 42: first copy is right\"}").post(HELD + "/" + id + "/acknowledge")
                .then().statusCode(200).body("status", is("ACKNOWLEDGED"))
                .body("memo", is("ledger bug 42: first copy is right"));
        assertEquals("ACKNOWLEDGED", held(p).get(0).get("status"));

        // the gap rules still hold: sequence 1 releases the first copy of 2
        Publisher.entries(EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "1.00000000", null, "USD"));
        Publisher.awaitApplied(p, 2);
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/statements/" + PERIOD)
                .then().body("total", is("3.00000000"));
    }

    @Test
    void unreadablePartnerRecordsAndTombstonesAreHeldNotSkipped() {
        String p = "held-partner";
        Publisher.raw(Topics.PARTNERS, p, "{\"partnerId\":\"" + p + "\",\"currency\":\"usd\"}");
        Publisher.raw(Topics.PARTNERS, p, null);
        Publisher.partner(p, "EUR");
        Publisher.awaitPartner(p);
        await().atMost(Duration.ofSeconds(60)).until(() -> held(p).size() == 2);
        List<Map<String, Object>> records = held(p);
        assertEquals("UNREADABLE_PARTNER", records.get(0).get("reason"));
        assertEquals(Topics.PARTNERS, records.get(0).get("topic"));
        assertEquals("PARTNER_TOMBSTONE", records.get(1).get("reason"));
        await().atMost(Duration.ofSeconds(30)).until(() -> heldGauge(p) == 2.0);
    }
}
