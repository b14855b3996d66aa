package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.SINGLE;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * SPEC §2.6 end to end: control events mixed with usage events by every path, their idempotency in the usage
 * events' id space, the controls API (totals, statuses recomputed live as late events arrive, access rules,
 * window filter and order), a 744-hour control, and the per-status gauge.
 */
@QuarkusTest
class ControlsApiTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    MeterRegistry meters;

    static JsonPath controls(String partnerId, String query) {
        return given().auth().oauth2(TestTokens.finance()).when()
                .get("/api/v1/partners/" + partnerId + "/controls" + query).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath intake(String partnerId) {
        return given().auth().oauth2(TestTokens.admin()).when().get("/api/v1/partners/" + partnerId + "/intake")
                .then().statusCode(200).extract().jsonPath();
    }

    private double gauge(String partnerId, String status) {
        Gauge g = meters.find("revshare.ingest.controls").tags("partner", partnerId, "status", status).gauge();
        return g == null ? -1 : g.value();
    }

    @Test
    void aControlMixedWithUsageEventsIsShortUntilTheLateEventArrivesThenMatched() {
        // given a partner sending two events of 12:00–13:00 and, in the same batch, a control that reports three
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("ctl"));
        String control = Controls.control(p, "ctl-12", "2026-11-01T12:00:00Z", "2026-11-01T13:00:00Z", 3,
                "{\"output_tokens\":\"100\",\"requests\":5}", "{\"USD\":\"1.5\",\"GBP\":0}");
        String body = "[" + Controls.usage(p, "u-1", "2026-11-01T12:10:00Z", "output_tokens", 100, "1.5", "USD") + ","
                + control + "," + Controls.usage(p, "u-2", "2026-11-01T12:20:00+01:00", "requests", 2, null, null) + ","
                // outside the window (13:00 is excluded), in EUR
                + Controls.usage(p, "u-out", "2026-11-01T13:00:00Z", "requests", 7, "9", "EUR") + "]";

        // when it posts the batch
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            IngestTestSupport.post(p, BATCH, body).statusCode(202).body("accepted", is(4)).body("duplicates", is(0))
                    .body("rejected.size()", is(0));

            // then the control counts in intake's controls, not in accepted or the sequence
            JsonPath counts = intake(p);
            assertEquals(List.of(3, 1, 3), List.of(counts.getInt("accepted"), counts.getInt("controls"),
                    counts.getInt("lastIngestSequence")));
            // and only the usage events go to the ledger, numbered 1..3
            await().atMost(WAIT).until(() -> accepted.values(p).size() >= 3);
            assertEquals(List.of("u-1", "u-2", "u-out"), accepted.values(p).stream().map(v -> v.get("eventId").asText()).toList());
        }

        // and the control is SHORT by one event and 3 requests (u-2 at 11:20 UTC is outside the window)
        JsonPath c = controls(p, "");
        assertEquals(1, c.getList("$").size());
        assertEquals("ctl-12", c.getString("[0].controlId"));
        assertEquals("2026-11-01T12:00:00Z", c.getString("[0].from"));
        assertEquals("2026-11-01T13:00:00Z", c.getString("[0].to"));
        assertEquals("2026-11-01T13:00:00Z", c.getString("[0].reportedAt"));
        assertEquals("SHORT", c.getString("[0].status"));
        assertEquals(3, c.getInt("[0].reported.eventCount"));
        assertEquals(1, c.getInt("[0].received.eventCount"));
        assertEquals(-2, c.getInt("[0].difference.eventCount"));
        assertEquals(Map.of("input_tokens", "0", "output_tokens", "100", "requests", "5"), c.getMap("[0].reported.quantities"));
        assertEquals(Map.of("input_tokens", "0", "output_tokens", "100", "requests", "0"), c.getMap("[0].received.quantities"));
        assertEquals(Map.of("input_tokens", "0", "output_tokens", "0", "requests", "-5"), c.getMap("[0].difference.quantities"));
        assertEquals(Map.of("GBP", "0.00000000", "USD", "1.50000000"), c.getMap("[0].reported.revenue"));
        assertEquals(Map.of("GBP", "0.00000000", "USD", "1.50000000"), c.getMap("[0].received.revenue"));
        assertEquals(Map.of("GBP", "0.00000000", "USD", "0.00000000"), c.getMap("[0].difference.revenue"));
        await().atMost(WAIT).until(() -> gauge(p, "SHORT") == 1 && gauge(p, "MATCHED") == 0);

        // when the missing events arrive late, over Kafka, one of them in EUR
        KafkaTestSupport.send("revshare.usage.raw", p,
                Controls.usage(p, "u-3", "2026-11-01T12:59:59.999Z", "requests", 2, "0", "GBP"));
        KafkaTestSupport.send("revshare.usage.raw", p,
                Controls.usage(p, "u-4", "2026-11-01T12:00:00Z", "requests", 3, null, null));
        await().atMost(WAIT).until(() -> intake(p).getInt("accepted") == 5);

        // then the same control is MATCHED, and the gauge follows
        JsonPath after = controls(p, "");
        assertEquals("MATCHED", after.getString("[0].status"), after.prettify());
        assertEquals(3, after.getInt("[0].received.eventCount"));
        assertEquals(0, after.getInt("[0].difference.eventCount"));
        await().atMost(WAIT).until(() -> gauge(p, "MATCHED") == 1 && gauge(p, "SHORT") == 0);

        // and a third event in the window makes it OVER; a changed sum with equal count MISMATCH is shown below
        IngestTestSupport.post(p, SINGLE, Controls.usage(p, "u-5", "2026-11-01T12:30:00Z", "input_tokens", 1, null, null))
                .statusCode(202).body("accepted", is(1));
        assertEquals("OVER", controls(p, "").getString("[0].status"));
        assertEquals(1, controls(p, "").getInt("[0].difference.eventCount"));
    }

    @Test
    void controlsShareTheUsageEventsIdSpaceAndAreComparedByValue() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("ctlid"));
        String control = Controls.control(p, "c-1", "2026-11-02T00:00:00Z", "2026-11-02T02:00:00Z", 1,
                "{\"requests\":\"4\"}", "{}");
        IngestTestSupport.post(p, SINGLE, control).statusCode(202).body("accepted", is(1));

        // the same control respelled (other offset, number spelling, explicit zeros) is a duplicate
        String respelled = Controls.control(p, "c-1", "2026-11-02T01:00:00+01:00", "2026-11-02T02:00:00Z", 1,
                "{\"requests\":4,\"input_tokens\":0}", "{\"EUR\":\"0.000\"}");
        IngestTestSupport.post(p, SINGLE, respelled).statusCode(202).body("accepted", is(0)).body("duplicates", is(1));
        // another count under the same id, and a usage event under the control's id, are conflicts
        String changed = Controls.control(p, "c-1", "2026-11-02T00:00:00Z", "2026-11-02T02:00:00Z", 2,
                "{\"requests\":\"4\"}", "{}");
        String body = "[" + changed + "," + Controls.usage(p, "c-1", "2026-11-02T00:10:00Z", "requests", 4, null, null)
                + "," + Controls.usage(p, "u-1", "2026-11-02T00:10:00Z", "requests", 4, null, null) + ","
                // a control under a usage event's id (this batch's), then the same id as a usage event again
                + Controls.control(p, "u-1", "2026-11-02T00:00:00Z", "2026-11-02T01:00:00Z", 1, "{}", "{}") + ","
                + Controls.usage(p, "u-1", "2026-11-02T00:10:00Z", "requests", 4, null, null) + "]";
        JsonPath answer = IngestTestSupport.post(p, BATCH, body).statusCode(202).extract().jsonPath();
        assertEquals(1, answer.getInt("accepted"), answer.prettify());
        assertEquals(1, answer.getInt("duplicates"));
        assertEquals(List.of(0, 1, 3), answer.getList("rejected.index"));
        assertEquals(List.of("DUPLICATE_CONFLICT", "DUPLICATE_CONFLICT", "DUPLICATE_CONFLICT"),
                answer.getList("rejected.reason"));

        JsonPath counts = intake(p);
        assertEquals(List.of(1, 1, 2, 3), List.of(counts.getInt("accepted"), counts.getInt("controls"),
                counts.getInt("duplicates"), counts.getInt("rejected")));
        JsonPath c = controls(p, "");
        assertEquals(List.of("c-1"), c.getList("controlId"));
        assertEquals("MATCHED", c.getString("[0].status"), c.prettify());
    }

    @Test
    void aControlOver744HoursIsAnsweredFromTheHourlyTotalsAndTheWindowFilterAndOrderHold() {
        // given one event in each of the 744 hours of October 2026 (and one on each side of the window)
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("ctl744"));
        Instant from = Instant.parse("2026-10-01T00:00:00Z");
        Instant to = from.plusSeconds(744L * 3600);
        StringBuilder batch = new StringBuilder("[");
        for (int h = 0; h < 744; h++) {
            batch.append(Controls.usage(p, "h-" + h, from.plusSeconds(h * 3600L + 1799).toString(), "output_tokens",
                    1000 + h, "0.00000001", "USD")).append(',');
        }
        batch.append(Controls.usage(p, "before", from.minusNanos(1).toString(), "output_tokens", 1, null, null)).append(',');
        batch.append(Controls.usage(p, "after", to.toString(), "output_tokens", 1, null, null)).append(']');
        IngestTestSupport.post(p, BATCH, batch.toString().getBytes(StandardCharsets.UTF_8)).statusCode(202)
                .body("accepted", is(746));
        long tokens = 744L * 1000 + 743L * 744 / 2;

        // when it reports October, and two hourly controls (sent in reverse order, one with a smaller id)
        String month = Controls.control(p, "m-2026-10", from.toString(), to.toString(), 744,
                "{\"output_tokens\":" + tokens + "}", "{\"USD\":\"0.00000744\"}");
        String lastHour = Controls.control(p, "b-last", to.minusSeconds(3600).toString(), to.toString(), 1,
                "{\"output_tokens\":" + (1000 + 743) + "}", "{\"USD\":\"0.00000001\"}");
        String lastHourToo = Controls.control(p, "a-last", to.minusSeconds(3600).toString(), to.toString(), 2,
                "{}", "{}");
        IngestTestSupport.post(p, BATCH, "[" + lastHour + "," + month + "," + lastHourToo + "]").statusCode(202)
                .body("accepted", is(3));

        // then the month is MATCHED, and the list is ordered by window start, then controlId
        JsonPath all = controls(p, "");
        assertEquals(List.of("m-2026-10", "a-last", "b-last"), all.getList("controlId"));
        assertEquals(List.of("MATCHED", "SHORT", "MATCHED"), all.getList("status"), all.prettify());
        assertEquals(744, all.getInt("[0].received.eventCount"));
        assertEquals(Long.toString(tokens), all.getString("[0].received.quantities.output_tokens"));
        assertEquals("0.00000744", all.getString("[0].received.revenue.USD"));
        // and from/to select the controls whose window overlaps [from, to)
        assertEquals(List.of("m-2026-10"), controls(p, "?to=" + to.minusSeconds(3600)).getList("controlId"));
        assertEquals(List.of("m-2026-10", "a-last", "b-last"),
                controls(p, "?from=" + to.minusSeconds(1)).getList("controlId"));
        assertEquals(List.of(), controls(p, "?from=" + to).getList("controlId"));
        assertEquals(List.of("m-2026-10"), controls(p, "?from=2026-09-30T00:00:00Z&to=2026-10-01T00:00:01Z")
                .getList("controlId"));
    }

    @Test
    void accessRulesAndBadParameters() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("ctlacc"));
        String other = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("ctlacc"));
        given().auth().oauth2(TestTokens.partner(p)).when().get("/api/v1/partners/" + p + "/controls").then()
                .statusCode(200).body("size()", is(0));
        given().auth().oauth2(TestTokens.admin()).when().get("/api/v1/partners/" + p + "/controls").then()
                .statusCode(200);
        given().auth().oauth2(TestTokens.partner(other)).when().get("/api/v1/partners/" + p + "/controls").then()
                .statusCode(403);
        given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/nobody-" + p + "/controls").then()
                .statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/" + p + "/controls?from=yesterday")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("from"));
        given().auth().oauth2(TestTokens.finance()).when()
                .get("/api/v1/partners/" + p + "/controls?from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z")
                .then().statusCode(400).body("detail", org.hamcrest.Matchers.containsString("to"));
        given().when().get("/api/v1/partners/" + p + "/controls").then().statusCode(401);
    }

    @Test
    void anInvalidControlIsRejectedWithTheFieldNamed() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("ctlbad"));
        String tooLong = Controls.control(p, "c-long", "2026-10-01T00:00:00Z", "2026-11-01T01:00:00Z", 1, "{}", "{}");
        String future = Controls.control(p, "c-future", "2026-10-01T00:00:00Z",
                Instant.now().plusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.HOURS).toString(), 1, "{}", "{}")
                .replace("\"from\":\"2026-10-01T00:00:00Z\"", "\"from\":\""
                        + Instant.now().minusSeconds(7200).truncatedTo(java.time.temporal.ChronoUnit.HOURS) + "\"")
                .replaceFirst("\"time\":\"[^\"]*\"", "\"time\":\"" + Instant.now() + "\"");
        JsonPath answer = IngestTestSupport.post(p, BATCH, "[" + tooLong + "," + future + "]").statusCode(202)
                .extract().jsonPath();
        assertEquals(List.of("INVALID_FIELD", "FUTURE_EVENT"), answer.getList("rejected.reason"), answer.prettify());
        assertTrue(answer.getString("rejected[0].detail").startsWith("data.to "));
        assertTrue(answer.getString("rejected[1].detail").startsWith("data.to "));
        assertEquals(0, intake(p).getInt("controls"));
    }
}
