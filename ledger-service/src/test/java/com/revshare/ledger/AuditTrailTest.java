package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * SPEC §3.9: every admin command and payment is one audit record with the exact action, subject, memo,
 * before and after; idempotent repeats add none; the API filters and pages; and the database itself refuses
 * UPDATE and DELETE on audit records and ledger entries, and a second reversal of one entry.
 */
@QuarkusTest
class AuditTrailTest {
    @Inject
    AgroalDataSource dataSource;

    private static JsonPath audit(String query) {
        return given().header("Authorization", Fixtures.finance()).get("/api/v1/audit?" + query).then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void everyCommandIsRecordedOnceWithItsSubjectBeforeAndAfter() {
        String p = "aud-main";
        String admin = Fixtures.admin();
        Fixtures.partner(p, "USD");
        // the same body again changes nothing: no record
        given().header("Authorization", admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + p + " Inc.\",\"currency\":\"USD\"}").put("/api/v1/partners/" + p)
                .then().statusCode(200);
        given().header("Authorization", admin).contentType(ContentType.JSON)
                .body("{\"name\":\"" + p + " Inc.\",\"currency\":\"USD\",\"paymentTermsDays\":45}")
                .put("/api/v1/partners/" + p).then().statusCode(200);
        Fixtures.agreement(p, "{\"effectiveFrom\":\"2026-09-01T00:00:00Z\",\"currency\":\"USD\",\"rules\":[{\"id\":"
                + "\"u\",\"model\":\"llama*\",\"metric\":\"*\",\"type\":\"PER_UNIT\",\"unitPrice\":\"1\",\"unitSize\":1}]}");
        String adjustment = given().header("Authorization", admin).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-09\",\"amount\":\"-5\",\"memo\":\"goodwill\"}")
                .post("/api/v1/partners/" + p + "/adjustments").then().statusCode(201).extract().path("sequence")
                .toString();
        given().header("Authorization", admin).post("/api/v1/partners/" + p + "/periods/2026-09/close").then()
                .statusCode(200);
        given().header("Authorization", admin).post("/api/v1/partners/" + p + "/periods/2026-09/close").then()
                .statusCode(200); // idempotent: no second record
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"paymentId\":\"aud-w-1\",\"amount\":\"7\",\"currency\":\"USD\",\"receivedOn\":\"2026-10-02\","
                        + "\"reference\":\"bank 7\"}")
                .post("/api/v1/partners/" + p + "/payments").then().statusCode(201);
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"paymentId\":\"aud-w-1\",\"amount\":\"7.00\",\"currency\":\"USD\",\"receivedOn\":\"2026-10-02\","
                        + "\"reference\":\"bank 7\"}")
                .post("/api/v1/partners/" + p + "/payments").then().statusCode(200);
        given().header("Authorization", admin).post("/api/v1/partners/" + p + "/unrated/retry").then()
                .statusCode(200).body("retried", equalTo(0)); // nothing to retry: no record

        JsonPath a = audit("partnerId=" + p);
        assertThat(a.getList("records.action"), contains("PARTNER_CREATED", "PARTNER_UPDATED", "AGREEMENT_ADDED",
                "ADJUSTMENT_POSTED", "PERIOD_CLOSED", "PAYMENT_RECORDED"));
        assertThat(a.getList("records.subject"), contains(p, p, "1", adjustment, "2026-09", "aud-w-1"));
        assertThat(a.getList("records.actor"), contains("admin", "admin", "admin", "admin", "admin", "finance"));
        assertThat(a.get("records[0].before"), nullValue());
        assertThat(a.getInt("records[0].after.paymentTermsDays"), is(30));
        assertThat(a.getInt("records[1].before.paymentTermsDays"), is(30));
        assertThat(a.getInt("records[1].after.paymentTermsDays"), is(45));
        assertThat(a.getInt("records[2].after.version"), is(1));
        assertThat(a.getString("records[3].memo"), is("goodwill"));
        assertThat(a.getString("records[3].after.amount"), is("-5.00000000"));
        assertThat(a.getString("records[4].before.status"), is("OPEN"));
        assertThat(a.getString("records[4].after.status"), is("CLOSED"));
        assertThat(a.getString("records[5].memo"), is("bank 7"));
        assertThat(a.getString("records[5].after.kind"), is("PAYMENT"));
        assertThat(a.get("records[5].before"), nullValue());
        assertThat(a.get("nextCursor"), nullValue());
        for (String at : a.<String>getList("records.at")) {
            assertThat(java.time.Instant.parse(at), notNullValue());
        }
    }

    @Test
    void fxRatesWriteOffsAndRetriesAreRecordedWithTheirSubjects() {
        String p = "aud-fx";
        Fixtures.partner(p, "USD");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"SEK\",\"quote\":\"USD\",\"rate\":\"0.0931\"}").put("/api/v1/fx-rates/2026-08-17")
                .then().statusCode(201);
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"SEK\",\"quote\":\"USD\",\"rate\":\"0.0931\"}").put("/api/v1/fx-rates/2026-08-17")
                .then().statusCode(200);
        JsonPath fx = audit("action=FX_RATE_SET&limit=1000");
        List<String> subjects = fx.getList("records.subject");
        assertThat(subjects.stream().filter("2026-08-17 SEK/USD"::equals).count(), is(1L));
        int i = subjects.indexOf("2026-08-17 SEK/USD");
        assertThat(fx.getString("records[" + i + "].after.rate"), is("0.0931"));
        assertThat(fx.get("records[" + i + "].partnerId"), nullValue());
    }

    @Test
    void theApiFiltersByTimeAndActionAndPagesWithACursor() {
        String p = "aud-page";
        Fixtures.partner(p, "USD");
        for (int terms = 1; terms <= 4; terms++) {
            given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                    .body("{\"name\":\"P\",\"currency\":\"USD\",\"paymentTermsDays\":" + terms + "}")
                    .put("/api/v1/partners/" + p).then().statusCode(200);
        }
        JsonPath all = audit("partnerId=" + p);
        assertThat(all.getList("records"), hasSize(5));
        // pages of two, oldest first, then the end
        List<Object> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonPath page = audit("partnerId=" + p + "&limit=2" + (cursor == null ? "" : "&cursor=" + cursor));
            paged.addAll(page.getList("records.after.paymentTermsDays"));
            cursor = page.getString("nextCursor");
            pages++;
        } while (cursor != null);
        assertThat(pages, is(3));
        assertThat(paged, contains(30, 1, 2, 3, 4));
        // from inclusive, to exclusive on at
        String second = all.getString("records[1].at");
        String fourth = all.getString("records[3].at");
        JsonPath window = audit("partnerId=" + p + "&from=" + second + "&to=" + fourth);
        assertThat(window.getList("records.after.paymentTermsDays"), contains(1, 2));
        assertThat(audit("partnerId=" + p + "&action=PARTNER_CREATED").getList("records"), hasSize(1));
        assertThat(audit("partnerId=" + p + "&action=PAYMENT_RECORDED").getList("records"), empty());
        // bad parameters are 400 naming them; unknown partner 404; roles admin and finance
        for (String[] bad : new String[][] {{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=x", "limit"},
            {"from=yesterday", "from"}, {"to=2026-13-01T00:00:00Z", "to"}, {"action=DELETED", "action"},
            {"cursor=%21%21", "cursor"}}) {
            given().header("Authorization", Fixtures.admin()).get("/api/v1/audit?" + bad[0]).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString(bad[1]));
        }
        given().header("Authorization", Fixtures.admin()).get("/api/v1/audit?partnerId=aud-nobody").then()
                .statusCode(404);
        given().header("Authorization", "Bearer " + com.revshare.infra.TestTokens.partner(p)).get("/api/v1/audit")
                .then().statusCode(403);
        given().header("Authorization", Fixtures.admin()).get("/api/v1/audit?limit=1000").then().statusCode(200);
    }

    // ---- the database refuses what §3.9 and §4 forbid ----

    private void refused(String sql, String expected) {
        SQLException e = assertThrows(SQLException.class, () -> {
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.executeUpdate(sql);
            }
        });
        assertThat(e.getMessage(), containsString(expected));
    }

    @Test
    void theDatabaseRefusesUpdateAndDeleteOnAuditRecordsAndEntriesAndASecondReversal() throws Exception {
        String p = "aud-db";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, "{\"effectiveFrom\":\"2026-09-01T00:00:00Z\",\"currency\":\"USD\",\"rules\":[{\"id\":"
                + "\"u\",\"model\":\"*\",\"metric\":\"*\",\"type\":\"PER_UNIT\",\"unitPrice\":\"1\",\"unitSize\":1}]}");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-09\",\"amount\":\"5\",\"memo\":\"m\"}")
                .post("/api/v1/partners/" + p + "/adjustments").then().statusCode(201);
        refused("update audit_log set actor = 'mallory' where partner_id = '" + p + "'", "append-only");
        refused("delete from audit_log where partner_id = '" + p + "'", "append-only");
        refused("truncate audit_log", "append-only");
        refused("update ledger_entry set amount = 0 where partner_id = '" + p + "'", "append-only");
        refused("delete from ledger_entry where partner_id = '" + p + "'", "append-only");
        refused("truncate ledger_entry cascade", "append-only");
        refused("delete from ledger_input where partner_id = '" + p + "'", "append-only");
        // one entry is reversed at most once: two reversals of the same entry violate the unique index
        String reversal = "insert into ledger_entry (partner_id, sequence, entry_id, period, kind, amount, currency, "
                + "reverses_entry_id, posted_at) select partner_id, %d, gen_random_uuid(), period, 'REVERSAL', -amount, "
                + "currency, entry_id, now() from ledger_entry where partner_id = '" + p + "' and sequence = 1";
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            c.setAutoCommit(false);
            s.executeUpdate(String.format(reversal, 100));
            SQLException e = assertThrows(SQLException.class, () -> s.executeUpdate(String.format(reversal, 101)));
            assertThat(e.getMessage(), containsString("ledger_entry_reversed_once"));
            c.rollback();
        }
        // nothing changed
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("receivable", equalTo("5.00000000")).body("lastSequence", equalTo(1));
    }
}
