package com.revshare.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.TopicSearch;
import com.revshare.infra.Topics;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * The walking skeleton end to end: a partner registered on the ledger, a PERCENT_OF_REVENUE
 * agreement, usage events produced to revshare.usage.raw (one re-delivered, one malformed)
 * and the reporting figures checked to the last digit against an independent computation.
 */
class PipelineIT {
    private static RunningSystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = RunningSystem.get();
    }

    @Test
    void usageEventsFlowFromRawTopicToReportWithExactFiguresAndRedeliveryCountsOnce() throws Exception {
        String partner = "aws";
        given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Amazon Web Services", "currency", "USD"))
                .put("/api/v1/partners/" + partner)
                .then().statusCode(anyOf(is(201), is(200)));
        given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.admin()).contentType(ContentType.JSON)
                .body("""
                        {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","monthlyMinimum":null,"monthlyCap":null,
                         "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.15"}]}""")
                .post("/api/v1/partners/" + partner + "/agreements")
                .then().statusCode(201);

        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        YearMonth period = YearMonth.from(time.atZone(ZoneOffset.UTC));
        List<String> revenues = List.of("1.875", "0.33333333", "10.00000001");
        List<String> events = new ArrayList<>();
        for (int i = 0; i < revenues.size(); i++) {
            events.add(event(partner, "e2e-" + i, time, 125_000 + i, revenues.get(i)));
        }
        awaitKnownToIngest(partner);
        for (String e : events) {
            system.produceRaw(partner, e);
        }
        system.produceRaw(partner, events.get(0)); // re-delivery: the same event counts once
        system.produceRaw(partner, "{\"specversion\": \"1.0\", \"id\": "); // malformed

        // independent expectation: round8 HALF_EVEN per entry, amountDue at USD's 2 digits
        BigDecimal total = BigDecimal.ZERO;
        for (String r : revenues) {
            total = total.add(new BigDecimal(r).multiply(new BigDecimal("0.15")).setScale(8, RoundingMode.HALF_EVEN));
        }
        String expectedTotal = total.setScale(8, RoundingMode.UNNECESSARY).toPlainString();
        String expectedDue = total.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        assertEquals("1.83125000", expectedTotal);
        assertEquals("1.83", expectedDue);

        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonPath rows = given().baseUri(system.reporting.baseUrl()).auth().oauth2(system.finance())
                    .get("/api/v1/reports/periods/" + period)
                    .then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> mine = rows.getList("findAll { it.partnerId == '" + partner + "' }");
            assertEquals(1, mine.size(), "one row for " + partner + " in " + rows.prettify());
            Map<String, Object> row = mine.get(0);
            assertEquals(expectedTotal, row.get("total"));
            assertEquals(expectedDue, row.get("amountDue"));
            assertEquals(3, ((Number) row.get("eventCount")).intValue());
            assertEquals("OPEN", row.get("status"));
            assertEquals("USD", row.get("currency"));
        });

        JsonPath balance = given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.finance())
                .get("/api/v1/partners/" + partner + "/balance").then().statusCode(200).extract().jsonPath();
        assertEquals(3, balance.getInt("lastSequence"));
        assertEquals(0, new BigDecimal(balance.getString("receivable")).compareTo(total));

        JsonNode rejection = awaitRejection("MALFORMED_JSON");
        assertEquals("MALFORMED_JSON", rejection.path("reason").asText());
        assertTrue(rejection.path("raw").asText().startsWith("{\"specversion\""), rejection.toString());
    }

    /**
     * SPEC §2.4: ingest knows a registered partner within 5 s. Probe it with an event from the
     * future: while the partner is unknown the answer is UNKNOWN_PARTNER, once known FUTURE_EVENT
     * (which comes later in the §2.2 order), and nothing is stored either way.
     */
    static void awaitKnownToIngest(String partner) {
        String probe = event(partner, "probe-" + partner, Instant.now().plus(Duration.ofDays(1)), 1, "1");
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> "FUTURE_EVENT".equals(
                given().baseUri(system.ingest.baseUrl()).auth().oauth2(system.infra.jwt().partner(partner, Duration.ofHours(1)))
                        .contentType("application/cloudevents+json").body(probe)
                        .post("/api/v1/usage-events").then().statusCode(202).extract().jsonPath()
                        .getString("rejected[0].reason")));
    }

    static String event(String partner, String id, Instant time, long quantity, String revenue) {
        return """
                {"specversion":"1.0","id":"%s","source":"partners/%s","type":"revshare.usage.v1","time":"%s",
                 "partnerid":"%s","datacontenttype":"application/json",
                 "data":{"model":"llama-3.1-70b-instruct","metric":"output_tokens","quantity":%d,
                         "revenue":{"amount":"%s","currency":"USD"},"region":"us-east-1"}}"""
                .formatted(id, partner, time, partner, quantity, revenue);
    }

    private static JsonNode awaitRejection(String reason) {
        return TopicSearch.first(system.infra.kafkaBootstrap(), Topics.USAGE_REJECTED,
                n -> reason.equals(n.path("reason").asText()), Duration.ofSeconds(30))
                .orElseThrow(() -> new AssertionError("no " + reason + " record on " + Topics.USAGE_REJECTED));
    }
}
