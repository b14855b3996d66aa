package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.ContractSchemas;
import com.revshare.infra.Topics;
import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.persistence.Sql;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Issue 3 through real Kafka and PostgreSQL: idempotency across re-deliveries, parking and
 * automatic un-parking (terms, FX), write-off, refused/forced/ordered close with minimum, late
 * usage, adjustments, re-rating, the SQL cost of a 1000-event batch.
 */
@QuarkusTest
class LedgerFlowTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LedgerService ledger;

    private static JsonPath balance(String partner) {
        return given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + partner + "/balance")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void produce(String partner, String... values) {
        List<String[]> records = new ArrayList<>();
        for (String v : values) {
            records.add(new String[] {partner, v});
        }
        KafkaTestClient.produce(Topics.USAGE_ACCEPTED, records);
    }

    private static String ev(String partner, String id, String time, String revenue, String currency) {
        return Fixtures.accepted(partner, id, time, "llama-3.1-70b-instruct", "output_tokens", 1000, revenue,
                currency, 1);
    }

    private static List<JsonNode> publishedEntries(String partner, int atLeast) {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> UsageToLedgerEntriesTest.entriesOf(partner).size() >= atLeast);
        List<JsonNode> entries = UsageToLedgerEntriesTest.entriesOf(partner);
        for (JsonNode e : entries) {
            ContractSchemas.assertValid("ledger-entry.v1.schema.json", e.toString());
        }
        return entries;
    }

    private static List<String> kinds(List<JsonNode> entries) {
        return entries.stream().map(e -> e.get("kind").asText()).toList();
    }

    @Test
    void parkedEventsAreRatedAutomaticallyWhenTermsAndThenTheFxRateArrive() {
        String p = "flow-park";
        Fixtures.partner(p, "USD");
        produce(p, ev(p, "usd-1", "2026-10-04T10:00:00Z", "10.00000000", "USD"),
                ev(p, "eur-1", "2026-10-05T10:00:00Z", "20.00000000", "EUR"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("unratedCount") == 2);
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/unrated").then()
                .statusCode(200).body("eventId", contains("usd-1", "eur-1"))
                .body("reason", contains("NO_AGREEMENT", "NO_AGREEMENT"))
                .body("[0].quantity", equalTo(1000)).body("[0].model", equalTo("llama-3.1-70b-instruct"));

        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-10-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.1"}]}""");
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/unrated").then()
                .body("eventId", contains("eur-1")).body("reason", contains("NO_FX_RATE"));

        String rate = "{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1.0842\"}";
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body(rate)
                .put("/api/v1/fx-rates/2026-10-05").then().statusCode(201).body("rate", equalTo("1.0842"));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body(rate)
                .put("/api/v1/fx-rates/2026-10-05").then().statusCode(200);
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1.0843\"}")
                .put("/api/v1/fx-rates/2026-10-05").then().statusCode(409).contentType("application/problem+json");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"0\"}")
                .put("/api/v1/fx-rates/2026-10-06").then().statusCode(400).body("field", equalTo("rate"));

        JsonPath b = balance(p);
        assertThat(b.getInt("unratedCount"), is(0));
        assertThat(b.getInt("lastSequence"), is(2));
        assertThat(b.getString("receivable"), is("3.16840000")); // 1.00 + 20 × 1.0842 × 0.1
        List<JsonNode> entries = publishedEntries(p, 2);
        assertThat(entries.stream().map(e -> e.get("usageEventId").asText()).toList(), contains("usd-1", "eur-1"));
        assertThat(entries.get(1).get("fxRate").asText(), is("1.0842"));
        assertThat(entries.get(1).get("actor").asText(), is("admin"));
    }

    @Test
    void reDeliveredEventsCountOnceAcrossPolls() {
        String p = "flow-dupe";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-10-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"2","unitSize":1000}]}""");
        String e1 = ev(p, "d-1", "2026-10-04T10:00:00Z", null, null);
        produce(p, e1, ev(p, "d-2", "2026-10-04T11:00:00Z", null, null));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 2);
        produce(p, e1, e1, ev(p, "d-3", "2026-10-04T12:00:00Z", null, null));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 3);
        JsonPath b = balance(p);
        assertThat(b.getString("periods[0].total"), is("6.00000000"));
        assertThat(b.getInt("periods[0].eventCount"), is(3));
        assertThat(publishedEntries(p, 3), hasSize(3));
    }

    @Test
    void closeIsOrderedAppliesTheMinimumIsIdempotentAndLateUsageGoesToTheNextOpenPeriod() {
        String p = "flow-close";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-09-01T00:00:00Z","currency":"USD","monthlyMinimum":"100.00",
                 "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.15"}]}""");
        produce(p, ev(p, "c-1", "2026-10-04T10:00:00Z", "100.00000000", "USD"),
                ev(p, "c-2", "2026-10-05T10:00:00Z", "33.33333333", "USD"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 2);

        String close = "/api/v1/partners/" + p + "/periods/%s/close";
        given().header("Authorization", Fixtures.admin()).post(String.format(close, "2026-10")).then()
                .statusCode(409).contentType("application/problem+json"); // 2026-09 is still OPEN
        given().header("Authorization", Fixtures.admin()).post(String.format(close, "2026-11")).then()
                .statusCode(409); // has not ended
        given().header("Authorization", Fixtures.finance()).post(String.format(close, "2026-09")).then()
                .statusCode(403);
        given().header("Authorization", Fixtures.admin()).post(String.format(close, "2026-9")).then()
                .statusCode(400).body("field", equalTo("period"));
        given().header("Authorization", Fixtures.admin()).post(String.format(close, "2026-09")).then()
                .statusCode(200).body("status", equalTo("CLOSED")).body("total", equalTo("100.00000000"))
                .body("amountDue", equalTo("100.00"));
        // 15 + 4.9999999995 → 15.00000000 + 5.00000000 = 20, minimum 100 → +80
        given().header("Authorization", Fixtures.admin()).post(String.format(close, "2026-10")).then()
                .statusCode(200).body("status", equalTo("CLOSED")).body("total", equalTo("100.00000000"))
                .body("amountDue", equalTo("100.00")).body("eventCount", equalTo(2));
        given().header("Authorization", Fixtures.admin()).post(String.format(close, "2026-10")).then()
                .statusCode(200).body("total", equalTo("100.00000000"));

        produce(p, ev(p, "c-late", "2026-10-30T10:00:00Z", "10.00000000", "USD"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 7);
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-10\",\"amount\":\"5\",\"memo\":\"too late\"}")
                .post("/api/v1/partners/" + p + "/adjustments").then().statusCode(409);
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-11\",\"amount\":\"-0.5\"}")
                .post("/api/v1/partners/" + p + "/adjustments").then().statusCode(400).body("field", equalTo("memo"));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-11\",\"amount\":\"-0.5\",\"memo\":\"goodwill\"}")
                .post("/api/v1/partners/" + p + "/adjustments").then().statusCode(201)
                .body("kind", equalTo("MANUAL_ADJUSTMENT")).body("amount", equalTo("-0.50000000"))
                .body("sequence", equalTo(8)).body("actor", equalTo("admin")).body("memo", equalTo("goodwill"));

        List<JsonNode> entries = publishedEntries(p, 8);
        assertThat(kinds(entries), contains("USAGE", "USAGE", "MINIMUM_TRUE_UP", "PERIOD_CLOSED", "MINIMUM_TRUE_UP",
                "PERIOD_CLOSED", "LATE_USAGE", "MANUAL_ADJUSTMENT"));
        assertThat(entries.stream().map(e -> e.get("sequence").asInt()).toList(), contains(1, 2, 3, 4, 5, 6, 7, 8));
        JsonNode late = entries.get(6);
        assertThat(late.get("period").asText(), is("2026-11"));
        assertThat(late.get("originalPeriod").asText(), is("2026-10"));
        assertThat(late.get("amount").asText(), is("1.50000000"));
        assertThat(entries.get(5).get("closedAt").isNull(), is(false));
        assertThat(entries.get(5).get("amount").asText(), is("0.00000000"));

        JsonPath b = balance(p);
        assertThat(b.getString("receivable"), is("201.00000000"));
        assertThat(b.getList("periods.period"), contains("2026-09", "2026-10", "2026-11"));
        assertThat(b.getList("periods.status"), contains("CLOSED", "CLOSED", "OPEN"));
        assertThat(b.getString("periods[2].total"), is("1.00000000"));
        assertThat(b.getInt("periods[2].eventCount"), is(1));
    }

    @Test
    void unratedEventsRefuseTheCloseUntilWrittenOffOrForced() {
        String p = "flow-force";
        Fixtures.partner(p, "EUR");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-10-01T00:00:00Z","currency":"EUR",
                 "rules":[{"id":"llama","model":"llama*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1}]}""");
        produce(p, Fixtures.accepted(p, "m-1", "2026-10-04T10:00:00Z", "mistral-7b", "requests", 3, null, null, 1),
                Fixtures.accepted(p, "m-2", "2026-10-04T11:00:00Z", "mistral-7b", "requests", 4, null, null, 2),
                Fixtures.accepted(p, "l-1", "2026-10-04T12:00:00Z", "llama-3", "requests", 5, null, null, 3));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("unratedCount") == 2
                && balance(p).getInt("lastSequence") == 1);
        String close = "/api/v1/partners/" + p + "/periods/2026-10/close";
        given().header("Authorization", Fixtures.admin()).post(close).then().statusCode(409)
                .contentType("application/problem+json").body("unratedCount", equalTo(2));

        String writeOff = "/api/v1/partners/" + p + "/unrated/%s/write-off";
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON).body("{\"memo\":\"test\"}")
                .post(String.format(writeOff, "m-1")).then().statusCode(200).body("actor", equalTo("finance"))
                .body("memo", equalTo("test"));
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON).body("{\"memo\":\"x\"}")
                .post(String.format(writeOff, "m-1")).then().statusCode(409); // already written off
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON).body("{\"memo\":\"x\"}")
                .post(String.format(writeOff, "never-seen")).then().statusCode(404);
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON).body("{}")
                .post(String.format(writeOff, "m-2")).then().statusCode(400).body("field", equalTo("memo"));
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON).body("{\"memo\":\"x\"}")
                .post(String.format(writeOff, "l-1")).then().statusCode(409); // rated, not unrated
        given().header("Authorization", Fixtures.admin()).post(close).then().statusCode(409)
                .body("unratedCount", equalTo(1));
        given().header("Authorization", Fixtures.admin()).post(close + "?force=true").then().statusCode(200)
                .body("total", equalTo("5.00000000")).body("amountDue", equalTo("5.00"));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/unrated").then()
                .body("eventId", contains("m-2"));
        assertThat(audit(p), contains("PARTNER_CREATED:admin", "AGREEMENT_ADDED:admin", "EVENT_WRITTEN_OFF:finance",
                "PERIOD_CLOSED:admin"));
    }

    @Inject
    io.agroal.api.AgroalDataSource dataSource;

    /** The partner's audit trail as action:actor, oldest first. */
    private List<String> audit(String partner) {
        try (var c = dataSource.getConnection();
                var ps = c.prepareStatement("select action, actor from audit_log where partner_id = ? order by id")) {
            ps.setString(1, partner);
            List<String> rows = new ArrayList<>();
            try (var rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + ":" + rs.getString(2));
                }
            }
            return rows;
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aNewVersionReRatesOpenPeriodEventsThroughReversals() {
        String p = "flow-rerate";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-10-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.1"}]}""");
        produce(p, ev(p, "r-1", "2026-10-04T10:00:00Z", "10.00000000", "USD"),
                ev(p, "r-2", "2026-10-20T10:00:00Z", "10.00000000", "USD"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 2);
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body("""
                {"effectiveFrom":"2026-10-15T00:00:00Z","currency":"USD","monthlyCap":"100",
                 "rules":[{"id":"rev2","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.3"}]}""")
                .post("/api/v1/partners/" + p + "/agreements").then().statusCode(201).body("version", equalTo(2))
                .body("actor", equalTo("admin")).body("monthlyCap", equalTo("100"));
        List<JsonNode> entries = publishedEntries(p, 4);
        assertThat(kinds(entries), contains("USAGE", "USAGE", "REVERSAL", "USAGE"));
        assertThat(entries.get(2).get("reversesEntryId").asText(), is(entries.get(1).get("entryId").asText()));
        assertThat(entries.get(2).get("amount").asText(), is("-1.00000000"));
        assertThat(entries.get(2).get("quantity").asLong(), is(-1000L));
        assertThat(entries.get(3).get("amount").asText(), is("3.00000000"));
        assertThat(entries.get(3).get("agreementVersion").asInt(), is(2));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/agreements").then()
                .statusCode(200).body("version", contains(1, 2)).body("[1].rules[0].rate", equalTo("0.3"))
                .body("[0].effectiveTo", nullValue());
        JsonPath b = balance(p);
        assertThat(b.getString("periods[0].total"), is("4.00000000"));
        assertThat(b.getInt("periods[0].eventCount"), is(2));
    }

    @Test
    void agreementValidationIs400NamingTheField() {
        String p = "flow-valid";
        Fixtures.partner(p, "USD");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body("""
                {"effectiveFrom":"2026-10-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":300}]}""")
                .post("/api/v1/partners/" + p + "/agreements").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("rules[0].unitSize"));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body("""
                {"effectiveFrom":"2026-10-01T00:00:00Z","currency":"EUR","rules":[]}""")
                .post("/api/v1/partners/" + p + "/agreements").then().statusCode(400)
                .body("field", equalTo("currency"));
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body("{}")
                .post("/api/v1/partners/nobody/agreements").then().statusCode(404);
    }

    @Test
    void aBatchOfOneThousandEventsCostsAHandfulOfStatements() {
        String p = "flow-bulk";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-10-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"t","model":"llama*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"GRADUATED",
                           "tiers":[{"upTo":100000,"unitPrice":"0.05","unitSize":1000},
                                    {"upTo":null,"unitPrice":"0.02","unitSize":1000}]},
                          {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.1"}]}""");
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String model = i % 3 == 0 ? "mistral-7b" : "llama-3.1-8b";
            Revenue revenue = i % 3 == 0 ? new Revenue(new java.math.BigDecimal("1.00000000"), i % 2 == 0 ? "USD" : "EUR")
                    : null;
            events.add(new UsageEvent(p, "bulk-" + i, java.time.Instant.parse("2026-10-10T00:00:00Z").plusSeconds(i),
                    model, "input_tokens", 1000, revenue, null));
        }
        long before = Sql.threadRoundTrips();
        LedgerService.BatchOutcome outcome = ledger.recordUsage(events);
        long statements = Sql.threadRoundTrips() - before;
        System.out.println("SQL statements for a 1000-event batch (tiered + FX + parking): " + statements
                + " (+1 commit)");
        assertThat(outcome.fresh(), is(1000));
        assertThat(outcome.parked(), is(167)); // EUR revenue on 10-10 without a rate
        assertThat(statements, lessThanOrEqualTo(10L));
        long again = Sql.threadRoundTrips();
        assertThat(ledger.recordUsage(events).duplicates(), is(1000));
        assertThat(Sql.threadRoundTrips() - again, lessThanOrEqualTo(2L));
        JsonPath b = balance(p);
        assertThat(b.getInt("lastSequence"), is(833));
        assertThat(b.getInt("unratedCount"), is(167));
        // 666 llama events × 1000 units graduated: 100 × 0.05 + 566 × 0.02 = 16.32; 167 USD revenues × 0.1 = 16.7
        assertThat(b.getString("periods[0].total"), is("33.02000000"));
    }
}
