package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Topics;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 10 "Nothing lost, ever" (SPEC §2.1, §3.6 v2) through real Kafka and PostgreSQL: every accepted
 * record has a durable, visible outcome. An event the ledger cannot book is parked as UNPROCESSABLE with
 * its cause (listed, counted, holding up the close, retryable, writable-off), never skipped; a failing
 * event is isolated from its batch; a record without a partner and event id is kept as an unreadable
 * record and its partition moves on.
 */
@QuarkusTest
class NothingLostTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    private static final String AGREEMENT = """
            {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD",
             "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"2","unitSize":1000}]}""";

    @Inject
    AgroalDataSource dataSource;

    private static JsonPath balance(String partner) {
        return given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + partner + "/balance")
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath unrated(String partner) {
        return given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + partner + "/unrated")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void produce(String partner, String... values) {
        List<String[]> records = new ArrayList<>();
        for (String v : values) {
            records.add(new String[] {partner, v});
        }
        KafkaTestClient.produce(Topics.USAGE_ACCEPTED, records);
    }

    private static String ev(String partner, String id, String time, long ingestSequence) {
        return Fixtures.accepted(partner, id, time, "llama-3.1-70b-instruct", "output_tokens", 1000, null, null,
                ingestSequence);
    }

    @Test
    void theTwoEventsOfIssue10AreParkedAndBookedNotSkipped() {
        String p = "lost-issue10";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, AGREEMENT);
        String astral = "\uD835\uDC00".repeat(40); // 40 × U+1D400: 40 code points, 80 UTF-16 units
        String year0 = ev(p, "probe-y0000-1", "0000-06-01T00:00:00Z", 1);
        String region = ev(p, "probe-region-1", "2026-11-02T00:00:00Z", 2).replace("\"us-east-1\"",
                "\"" + astral + "\"");

        produce(p, year0, region);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 1
                && balance(p).getInt("unratedCount") == 1);
        JsonPath listed = unrated(p);
        assertThat(listed.getList("eventId"), contains("probe-y0000-1"));
        assertThat(listed.getString("[0].reason"), is("UNPROCESSABLE"));
        assertThat(listed.getString("[0].time"), is("0000-06-01T00:00:00Z"));
        assertThat(listed.getString("[0].detail"), containsString("time"));
        assertThat(listed.getInt("[0].quantity"), is(1000));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> UsageToLedgerEntriesTest.entriesOf(p).size() == 1);
        assertThat(UsageToLedgerEntriesTest.entriesOf(p).get(0).get("usageEventId").asText(), is("probe-region-1"));
        assertThat(balance(p).getString("periods[0].total"), is("2.00000000"));

        // a retry cannot book a year-0 time: it stays parked, with its cause
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/unrated/retry").then()
                .statusCode(200).body("retried", is(1)).body("booked", is(0)).body("stillUnprocessable", is(1));
        // a re-delivery is a duplicate of the parked event, not a second one
        produce(p, year0);
        produce(p, ev(p, "after-redelivery", "2026-11-03T00:00:00Z", 3));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 2);
        assertThat(balance(p).getInt("unratedCount"), is(1));

        // an event of unknown month holds up every close, like an unrated event
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/periods/2026-01/close")
                .then().statusCode(409).contentType("application/problem+json").body("unratedCount", is(1));
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"memo\":\"year 0 is no usage time\"}")
                .post("/api/v1/partners/" + p + "/unrated/probe-y0000-1/write-off").then().statusCode(200)
                .body("status", is("WRITTEN_OFF")).body("actor", is("finance"));
        assertThat(balance(p).getInt("unratedCount"), is(0));
        assertThat(unrated(p).getList("eventId").size(), is(0));
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/periods/2026-01/close")
                .then().statusCode(200).body("status", is("CLOSED"));
    }

    @Test
    void anEventThatFailsProcessingIsIsolatedParkedUnprocessableAndBookedByRetry() throws Exception {
        String p = "lost-fault";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, AGREEMENT);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("create or replace function test_fail_marked_entry() returns trigger language plpgsql as $$ "
                    + "begin if new.usage_event_id like 'boom-%' then raise exception 'injected fault for %', "
                    + "new.usage_event_id; end if; return new; end $$");
            s.execute("create trigger test_fail_marked_entry before insert on ledger_entry for each row "
                    + "execute function test_fail_marked_entry()");
        }
        try {
            List<String> values = new ArrayList<>();
            for (int i = 1; i <= 9; i++) {
                values.add(ev(p, (i == 5 ? "boom-" : "ok-") + i, "2026-11-04T00:00:0" + i + "Z", i));
            }
            produce(p, values.toArray(String[]::new));

            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> balance(p).getInt("lastSequence") == 8
                    && balance(p).getInt("unratedCount") == 1);
            JsonPath listed = unrated(p);
            assertThat(listed.getList("eventId"), contains("boom-5"));
            assertThat(listed.getString("[0].reason"), is("UNPROCESSABLE"));
            assertThat(listed.getString("[0].detail"), containsString("injected fault for boom-5"));
            assertThat(listed.getString("[0].time"), is("2026-11-04T00:00:05Z"));

            // still failing: the retry leaves it parked
            given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/unrated/retry")
                    .then().statusCode(200).body("retried", is(1)).body("booked", is(0))
                    .body("stillUnprocessable", is(1));
            given().header("Authorization", Fixtures.finance()).post("/api/v1/partners/" + p + "/unrated/retry")
                    .then().statusCode(403);
        } finally {
            try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
                s.execute("drop trigger if exists test_fail_marked_entry on ledger_entry");
            }
        }
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/unrated/retry").then()
                .statusCode(200).body("retried", is(1)).body("booked", is(1)).body("stillUnprocessable", is(0));
        JsonPath b = balance(p);
        assertThat(b.getInt("unratedCount"), is(0));
        assertThat(b.getInt("lastSequence"), is(9));
        assertThat(b.getString("periods[0].total"), is("18.00000000"));
        assertThat(b.getInt("periods[0].eventCount"), is(9));
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> UsageToLedgerEntriesTest.entriesOf(p).size() == 9);
        // nothing left to retry: an empty answer
        given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + p + "/unrated/retry").then()
                .statusCode(200).body("retried", is(0)).body("booked", is(0)).body("stillUnprocessable", is(0));
    }

    @Test
    void aRecordWithoutPartnerAndEventIdIsKeptAsUnreadableAndItsPartitionMovesOn() throws Exception {
        String p = "lost-unreadable";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, AGREEMENT);
        produce(p, "not json at all: lost-unreadable", "{\"partnerId\":\"" + p + "\",\"note\":\"lost-unreadable\"}",
                ev(p, "fine-1", "2026-11-05T00:00:00Z", 1));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select detail, sha256, size_bytes from unreadable_record where "
                        + "value_prefix like '%lost-unreadable%' order by kafka_offset")) {
            assertThat(rs.next(), is(true));
            assertThat(rs.getString("detail"), is("not JSON"));
            assertThat(rs.getString("sha256").length(), is(64));
            assertThat(rs.next(), is(true));
            assertThat(rs.getString("detail"), containsString("eventId"));
            assertThat(rs.next(), is(false));
        }
        given().when().get(Management.url(management, "/q/metrics")).then().statusCode(200)
                .body(containsString("revshare_ledger_unreadable_records_total"));
        assertThat(unrated(p).getList("eventId").size(), equalTo(0));
        assertThat(unrated(p).get("[0]"), nullValue());
    }
}
