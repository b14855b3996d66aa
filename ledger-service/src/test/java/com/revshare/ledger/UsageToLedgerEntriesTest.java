package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.ContractSchemas;
import com.revshare.infra.Topics;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The walking skeleton's ledger slice through real Kafka and PostgreSQL: a partner registered and
 * published, a PERCENT_OF_REVENUE agreement, accepted events (one delivered twice) rated into
 * entries published on revshare.ledger.entries with exact amounts and sequences 1..n, and the balance.
 */
@QuarkusTest
class UsageToLedgerEntriesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void partnerIsPublishedOnTheCompactedTopicAfterPut() throws Exception {
        Fixtures.partner("pub-check", "EUR");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"name\":\"Pub Check GmbH\",\"currency\":\"EUR\"}")
                .put("/api/v1/partners/pub-check").then().statusCode(200).body("name", equalTo("Pub Check GmbH"));
        // the ack was awaited before the answer: the record is on the topic now
        List<ConsumerRecord<String, String>> records = KafkaTestClient.readAll(Topics.PARTNERS).stream()
                .filter(r -> "pub-check".equals(r.key())).toList();
        assertThat(records.size(), greaterThanOrEqualTo(2));
        String last = records.get(records.size() - 1).value();
        ContractSchemas.assertValid("partner.v1.schema.json", last);
        JsonNode node = JSON.readTree(last);
        assertThat(node.get("name").asText(), is("Pub Check GmbH"));
        assertThat(node.get("status").asText(), is("ACTIVE"));
    }

    @Test
    void acceptedEventsBecomePublishedEntriesOnceEachWithGaplessSequences() throws Exception {
        String p = "skel-aws";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","monthlyMinimum":null,"monthlyCap":null,
                 "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.15"}]}""");
        String e1 = Fixtures.accepted(p, "e-1", "2026-10-01T12:00:00Z", "llama-3.1-70b-instruct", "output_tokens",
                125000, "1.87500000", "USD", 1);
        String e2 = Fixtures.accepted(p, "e-2", "2026-10-02T12:00:00Z", "llama-3.1-70b-instruct", "input_tokens",
                500000, "0.33333333", "USD", 2);
        String e3 = Fixtures.accepted(p, "e-3", "2026-10-03T12:00:00Z", "llama-3.1-8b-instruct", "requests", 1,
                "10.00000000", "USD", 3);
        KafkaTestClient.produce(Topics.USAGE_ACCEPTED,
                List.of(new String[] {p, e1}, new String[] {p, e2}, new String[] {p, e1}, new String[] {p, e3}));

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> entriesOf(p).size() >= 3);
        List<JsonNode> entries = entriesOf(p);
        assertThat(entries, hasSize(3));
        for (JsonNode e : entries) {
            ContractSchemas.assertValid("ledger-entry.v1.schema.json", JSON.writeValueAsString(e));
        }
        // 1.875 × 0.15 = 0.28125; 0.33333333 × 0.15 = 0.0499999995 → HALF_EVEN 0.05000000; 10 × 0.15 = 1.5
        assertThat(entries.stream().map(e -> e.get("sequence").asLong()).toList(), contains(1L, 2L, 3L));
        assertThat(entries.stream().map(e -> e.get("usageEventId").asText()).toList(), contains("e-1", "e-2", "e-3"));
        assertThat(entries.stream().map(e -> e.get("amount").asText()).toList(),
                contains("0.28125000", "0.05000000", "1.50000000"));
        for (JsonNode e : entries) {
            assertThat(e.get("kind").asText(), is("USAGE"));
            assertThat(e.get("period").asText(), is("2026-10"));
            assertThat(e.get("agreementVersion").asInt(), is(1));
            assertThat(e.get("ruleId").asText(), is("rev"));
        }

        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .statusCode(200)
                .body("currency", equalTo("USD"))
                .body("receivable", equalTo("1.83125000"))
                .body("lastSequence", equalTo(3))
                .body("unratedCount", equalTo(0))
                .body("periods[0].period", equalTo("2026-10"))
                .body("periods[0].status", equalTo("OPEN"))
                .body("periods[0].total", equalTo("1.83125000"))
                .body("periods[0].amountDue", equalTo("1.83"))
                .body("periods[0].eventCount", equalTo(3));
    }

    static List<JsonNode> entriesOf(String partner) {
        return KafkaTestClient.readAll(Topics.LEDGER_ENTRIES).stream().filter(r -> partner.equals(r.key()))
                .map(r -> {
                    try {
                        return JSON.readTree(r.value());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })
                .sorted(Comparator.comparingLong(n -> n.get("sequence").asLong()))
                .toList();
    }
}
