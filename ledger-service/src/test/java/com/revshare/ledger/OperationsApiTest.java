package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * Issue 10 leftovers: the operator read API of unreadable records (admin, paged) and its gauge; the ingest
 * watermark of a ledger whose events were stored before migration V8 (no watermark rows) is derived from
 * usage_event by the V9 seeding function.
 */
@QuarkusTest
class OperationsApiTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;

    @Inject
    AgroalDataSource dataSource;

    private void sql(String statement) throws Exception {
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void unreadableRecordsAreListedToAdminsPageByPage() throws Exception {
        for (int i = 0; i < 3; i++) {
            sql("insert into unreadable_record (topic, kafka_partition, kafka_offset, record_key, size_bytes, sha256, "
                    + "value_prefix, detail, received_at) values ('ops-topic', 0, " + i + ", null, 3, '" + "a".repeat(64)
                    + "', 'x" + i + "', 'not JSON', now())");
        }
        List<String> prefixes = new ArrayList<>();
        String cursor = null;
        do {
            JsonPath page = given().header("Authorization", Fixtures.admin())
                    .get("/api/v1/operations/unreadable-records?limit=2" + (cursor == null ? "" : "&cursor=" + cursor))
                    .then().statusCode(200).extract().jsonPath();
            prefixes.addAll(page.getList("records.valuePrefix"));
            cursor = page.getString("nextCursor");
        } while (cursor != null);
        assertThat(prefixes, hasItem("x0"));
        assertThat(prefixes.indexOf("x0") + 2, is(prefixes.indexOf("x2")));
        given().header("Authorization", Fixtures.admin()).get("/api/v1/operations/unreadable-records").then()
                .statusCode(200).body("records[0].detail", notNullValue()).body("records[0].topic", notNullValue());
        given().header("Authorization", Fixtures.finance()).get("/api/v1/operations/unreadable-records").then()
                .statusCode(403);
        given().header("Authorization", Fixtures.admin()).get("/api/v1/operations/unreadable-records?limit=0").then()
                .statusCode(400).body("detail", containsString("limit"));
        given().get(Management.url(management, "/q/metrics")).then().statusCode(200)
                .body(containsString("revshare_ledger_unreadable_records_kept"));
    }

    @Test
    void theWatermarkOfEventsStoredBeforeV8IsSeededFromUsageEvents() throws Exception {
        String p = "ops-old";
        Fixtures.partner(p, "USD");
        // given events stored with ingest sequences 1, 2, 3 and 5 but no watermark rows (a ledger before V8)
        for (long seq : new long[] {1, 2, 3, 5}) {
            sql("insert into usage_event (partner_id, event_id, event_time, model, metric, quantity, received_at, "
                    + "rating_state, unrated_reason, ingest_sequence) values ('" + p + "', 'old-" + seq
                    + "', '2026-09-01T00:00:00Z', 'm', 'requests', 1, now(), 'UNRATED', 'NO_AGREEMENT', " + seq + ")");
        }
        sql("delete from ingest_ahead where partner_id = '" + p + "'");
        sql("delete from ingest_watermark where partner_id = '" + p + "'");
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("ingestSequence", equalTo(0));
        // when the migration's seeding runs
        sql("select revshare_seed_ingest_watermark()");
        // then the watermark is the gapless prefix, with 5 held beyond the gap
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("ingestSequence", equalTo(3)).body("unratedCount", equalTo(4));
        try (var c = dataSource.getConnection(); var s = c.createStatement();
                var rs = s.executeQuery("select max_seen, ahead_count from ingest_watermark where partner_id = '" + p
                        + "'")) {
            rs.next();
            assertThat(rs.getLong(1), is(5L));
            assertThat(rs.getLong(2), is(1L));
        }
    }
}
