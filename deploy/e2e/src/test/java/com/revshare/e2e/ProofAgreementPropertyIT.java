package com.revshare.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.e2e.proof.Scenario;
import com.revshare.e2e.proof.Terms.Event;
import com.revshare.infra.Topics;

import io.restassured.specification.RequestSpecification;


/**
 * Issue 13's third property: for random scenarios (a partner in USD, EUR, JPY or BHD; random agreement
 * versions of every rule type; events by Kafka and HTTP with re-deliveries and conflicts; FX rates set
 * before and after the events; a close; late events into the closed month; a version that re-rates an
 * open month; an adjustment; payments, some overpaying; sometimes a second close), every period's
 * proof agrees three ways — the ledger's stored entries (its proof), the ledger's replay of the
 * recorded inputs ({@code replayMatches}) and reporting's projection (the statement's {@code proof})
 * — and all three agree with the test's own model of SPEC §3–§4 (entry by entry, exact decimals)
 * and with a SHA-256 the test computes by §4.1 from the entries it reads. The scenarios run side by
 * side on one running system, each with its own partner. Seeded: {@code -Dproof.seed=},
 * {@code -Dproof.tries=}.
 */
class ProofAgreementPropertyIT {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Set<String> NOT_CHARGES = Set.of("PAYMENT", "PERIOD_CLOSED");
    private static RunningSystem system;
    private static KafkaProducer<String, String> producer;

    @BeforeAll
    static void startSystem() throws Exception {
        system = RunningSystem.get();
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.infra.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        producer = new KafkaProducer<>(props);
    }

    @AfterAll
    static void closeProducer() {
        if (producer != null) {
            producer.close();
        }
    }

    @Test
    void everyPeriodsProofAgreesAcrossStoredEntriesReplayAndReportingAndWithAnIndependentModel() throws Exception {
        long seed = Long.getLong("proof.seed", System.nanoTime());
        int tries = Integer.getInteger("proof.tries", 10);
        System.out.println("ProofAgreementPropertyIT seed " + seed + ", " + tries
                + " scenarios (rerun with -Dproof.seed=" + seed + " -Dproof.tries=" + tries + ")");
        Random random = new Random(seed);
        // fresh partner ids per run (the system may outlive one run); the seed alone decides the rest
        String run = Long.toString(System.currentTimeMillis() % 46_656_000L, 36);
        YearMonth latestFirstMonth = YearMonth.now(ZoneOffset.UTC).minusMonths(4);
        List<Scenario> scenarios = new ArrayList<>();
        for (int i = 0; i < tries; i++) {
            scenarios.add(new Scenario("proof-" + run + "-" + i, new Random(random.nextLong()), latestFirstMonth));
        }
        try {
            drive(scenarios);
            for (Scenario s : scenarios) {
                await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> check(s));
                System.out.println("ProofAgreementPropertyIT " + s.partner + " " + s.currency + " agrees: " + summary(s));
            }
        } catch (Throwable t) {
            throw new AssertionError("seed " + seed + " (-Dproof.seed=" + seed + " -Dproof.tries=" + tries + "): "
                    + t.getMessage(), t);
        }
    }

    /** Drives every scenario through the same steps side by side, advancing each one's model as it goes. */
    private static void drive(List<Scenario> scenarios) {
        for (Scenario s : scenarios) {
            ObjectNode partner = JSON.createObjectNode().put("name", "Proof " + s.partner).put("currency", s.currency)
                    .put("paymentTermsDays", s.paymentTermsDays);
            admin().body(partner.toString()).put("/api/v1/partners/" + s.partner).then().statusCode(201);
            s.initialVersions.forEach(v -> addVersion(s, v));
            setFx(s, s.fxDatesBefore);
        }
        scenarios.forEach(ProofAgreementPropertyIT::awaitKnownToIngest);

        // phase A: the events, by Kafka and HTTP, with re-deliveries of the same content
        for (Scenario s : scenarios) {
            send(s, s.phaseA);
        }
        producer.flush();
        for (Scenario s : scenarios) {
            setFx(s, s.fxDatesAfter); // events parked NO_FX_RATE are rated once their rate exists
            s.bookPhaseA();
        }
        awaitBooked(scenarios);

        // payments before the first close, the close, then late events, re-deliveries and conflicts
        for (Scenario s : scenarios) {
            recordPayments(s, 0);
            closeEarliest(s);
            setFx(s, s.fxDatesLate);
            send(s, s.lateEvents);
            s.redeliveredLater.forEach(e -> produce(s, e));
            s.conflicts.forEach(e -> produce(s, e));
            s.bookLate();
        }
        producer.flush();
        awaitBooked(scenarios);

        // the re-rating version, the adjustment, payments, maybe a second close and payments after it
        for (Scenario s : scenarios) {
            addVersion(s, s.rerating);
            s.addReratingVersion();
            Map<String, Object> adjustment = Map.of("period", s.adjustmentPeriod.toString(), "amount",
                    s.adjustmentAmount.toPlainString(), "memo", "proof property adjustment");
            admin().body(json(adjustment)).post("/api/v1/partners/" + s.partner + "/adjustments").then()
                    .statusCode(201);
            s.postAdjustment();
            recordPayments(s, 1);
            if (s.closeSecond) {
                closeEarliest(s);
                recordPayments(s, 2);
            }
        }
    }

    private static void addVersion(Scenario s, com.revshare.e2e.proof.Terms.Version v) {
        int number = admin().body(json(v.json(s.currency))).post("/api/v1/partners/" + s.partner + "/agreements")
                .then().statusCode(201).extract().jsonPath().getInt("version");
        assertEquals(v.number(), number, "version number of " + s.partner);
    }

    private static void setFx(Scenario s, Set<LocalDate> dates) {
        for (LocalDate date : dates) {
            Map<String, Object> body = Map.of("base", s.foreignCurrency, "quote", s.currency, "rate",
                    Scenario.fxRate(date, s.foreignCurrency, s.currency).toPlainString());
            int status = admin().body(json(body)).put("/api/v1/fx-rates/" + date).then().extract().statusCode();
            assertTrue(status == 201 || status == 200, "FX rate " + date + " " + body + " answered " + status);
        }
    }

    private static void recordPayments(Scenario s, int stage) {
        List<Scenario.Payment> list = s.recordPayments(stage);
        for (Scenario.Payment p : list) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("paymentId", p.paymentId());
            body.put("amount", p.amount().toPlainString());
            body.put("currency", s.currency);
            body.put("receivedOn", p.receivedOn().toString());
            body.put("reference", p.reference());
            admin().body(json(body)).post("/api/v1/partners/" + s.partner + "/payments").then().statusCode(201);
        }
        if (!list.isEmpty()) { // the same body again is the same entry, no new one (§3.8)
            Scenario.Payment p = list.get(0);
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("paymentId", p.paymentId());
            body.put("amount", p.amount().toPlainString());
            body.put("currency", s.currency);
            body.put("receivedOn", p.receivedOn().toString());
            body.put("reference", p.reference());
            admin().body(json(body)).post("/api/v1/partners/" + s.partner + "/payments").then().statusCode(200);
        }
    }

    private static void closeEarliest(Scenario s) {
        YearMonth period = s.close();
        admin().post("/api/v1/partners/" + s.partner + "/periods/" + period + "/close").then().statusCode(200);
    }

    /** Sends the events in order by their paths, then their re-deliveries (same content) by theirs. */
    private static void send(Scenario s, List<Scenario.Sending> sendings) {
        List<Event> http = new ArrayList<>();
        List<Event> httpAgain = new ArrayList<>();
        List<Event> kafkaAgain = new ArrayList<>();
        for (Scenario.Sending x : sendings) {
            if ("kafka".equals(x.path())) {
                produce(s, x.event());
            } else {
                http.add(x.event());
            }
            for (int i = 0; i < x.redeliveries(); i++) {
                ("kafka".equals(x.redeliveryPath()) ? kafkaAgain : httpAgain).add(x.event());
            }
        }
        postBatch(s, http);
        kafkaAgain.forEach(e -> produce(s, e));
        postBatch(s, httpAgain);
    }

    private static void postBatch(Scenario s, List<Event> events) {
        if (events.isEmpty()) {
            return;
        }
        ArrayNode batch = JSON.createArrayNode();
        events.forEach(e -> batch.add(cloudEvent(s.partner, e)));
        JsonNode answer = read(given().baseUri(system.ingest.baseUrl())
                .auth().oauth2(system.infra.jwt().partner(s.partner, Duration.ofHours(1)))
                .contentType("application/cloudevents-batch+json").body(batch.toString())
                .post("/api/v1/usage-events").then().statusCode(202).extract().asString());
        assertEquals(0, answer.path("rejected").size(), "no rejection of " + s.partner + "'s batch: " + answer);
        assertEquals(events.size(), answer.path("accepted").asInt() + answer.path("duplicates").asInt(), answer.toString());
    }

    private static void produce(Scenario s, Event e) {
        producer.send(new ProducerRecord<>(Topics.USAGE_RAW, s.partner, cloudEvent(s.partner, e).toString()));
    }

    private static ObjectNode cloudEvent(String partner, Event e) {
        ObjectNode node = JSON.createObjectNode().put("specversion", "1.0").put("id", e.id())
                .put("source", "partners/" + partner).put("type", "revshare.usage.v1").put("time", e.time().toString())
                .put("partnerid", partner).put("datacontenttype", "application/json");
        ObjectNode data = node.putObject("data").put("model", e.model()).put("metric", e.metric())
                .put("quantity", e.quantity());
        if (e.revenueAmount() != null) {
            data.putObject("revenue").put("amount", e.revenueText()).put("currency", e.revenueCurrency());
        }
        data.put("region", "eu-west-1");
        return node;
    }

    /** SPEC §2.4: ingest knows a partner within 5 s of its registration (a future event answers FUTURE_EVENT, not UNKNOWN_PARTNER). */
    private static void awaitKnownToIngest(Scenario s) {
        ObjectNode probe = cloudEvent(s.partner, new Event("probe", Instant.now().plus(Duration.ofDays(1)),
                "m", "requests", 1, null, null, null));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> "FUTURE_EVENT".equals(
                read(given().baseUri(system.ingest.baseUrl())
                        .auth().oauth2(system.infra.jwt().partner(s.partner, Duration.ofHours(1)))
                        .contentType("application/cloudevents+json").body(probe.toString())
                        .post("/api/v1/usage-events").then().statusCode(202).extract().asString())
                        .path("rejected").path(0).path("reason").asText()));
    }

    /** Waits until the ledger has booked every unique event sent so far and none is left unrated. */
    private static void awaitBooked(List<Scenario> scenarios) {
        await().atMost(SETTLE).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (Scenario s : scenarios) {
                JsonNode balance = balance(s);
                assertEquals(s.uniqueEvents(), balance.path("ingestSequence").asLong(), s.partner + " " + balance);
                assertEquals(0, balance.path("unratedCount").asLong(), s.partner + " " + balance);
            }
        });
    }

    // ------------------------------------------------------------------------------ the property

    private static void check(Scenario s) throws Exception {
        // given the pipeline idle for the partner: every event booked, reporting fresh
        JsonNode balance = balance(s);
        assertEquals(s.uniqueEvents(), balance.path("ingestSequence").asLong(), "ingestSequence " + balance);
        assertEquals(0, balance.path("unratedCount").asLong(), "unrated " + balance);
        JsonNode intake = read(finance(system.ingest.baseUrl()).get("/api/v1/partners/" + s.partner + "/intake")
                .then().statusCode(200).extract().asString());
        assertEquals(s.uniqueEvents(), intake.path("accepted").asLong(), "accepted " + intake);
        assertEquals(s.duplicates(), intake.path("duplicates").asLong(), "duplicates " + intake);
        JsonNode conflicts = read(finance(system.ingest.baseUrl()).queryParam("reason", "DUPLICATE_CONFLICT")
                .queryParam("limit", 1000).get("/api/v1/partners/" + s.partner + "/rejections").then().statusCode(200)
                .extract().asString()).path("rejections");
        Set<String> conflictIds = new HashSet<>();
        conflicts.forEach(r -> conflictIds.add(r.path("eventId").asText()));
        Set<String> expectedConflicts = new HashSet<>();
        s.conflicts.forEach(e -> expectedConflicts.add(e.id()));
        assertEquals(expectedConflicts, conflictIds, "DUPLICATE_CONFLICT rejections");
        long lastSequence = balance.path("lastSequence").asLong();
        long fresh = -1;
        for (JsonNode row : read(finance(system.reporting.baseUrl()).get("/api/v1/reports/freshness").then()
                .statusCode(200).extract().asString())) {
            if (s.partner.equals(row.path("partnerId").asText())) {
                fresh = row.path("sequence").asLong();
            }
        }
        assertEquals(lastSequence, fresh, "reporting's freshness is the ledger's lastSequence");

        List<YearMonth> periods = new ArrayList<>(s.months);
        periods.add(s.months.get(s.months.size() - 1).plusMonths(1)); // a period without entries
        long entriesSeen = 0;
        for (YearMonth p : periods) {
            entriesSeen += checkPeriod(s, p);
        }
        assertEquals(lastSequence, entriesSeen, "every entry of the partner lies in one of its periods");
    }

    /** The three proofs of one period agree with each other, with the test's hash and with the model; answers its entry count. */
    private static int checkPeriod(Scenario s, YearMonth p) throws Exception {
        String where = s.partner + " " + p + ": ";
        List<JsonNode> entries = entries(s, p);

        // then reporting's entries are the model's, entry by entry
        List<String> observed = new ArrayList<>();
        Map<String, BigDecimal> tierSums = new HashMap<>();
        List<String> trueUps = new ArrayList<>();
        List<JsonNode> reversals = new ArrayList<>();
        Map<String, JsonNode> byId = new HashMap<>();
        BigDecimal charges = BigDecimal.ZERO;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        for (JsonNode e : entries) {
            assertEquals(p.toString(), e.path("period").asText(), where + e);
            String kind = e.path("kind").asText();
            Integer version = e.path("agreementVersion").isNull() ? null : e.path("agreementVersion").asInt();
            String ruleId = text(e, "ruleId");
            String amount = e.path("amount").asText();
            first = Math.min(first, e.path("sequence").asLong());
            last = Math.max(last, e.path("sequence").asLong());
            if (!NOT_CHARGES.contains(kind)) {
                charges = charges.add(new BigDecimal(amount));
            }
            if (!"PERIOD_CLOSED".equals(kind)) {
                assertEquals(s.currency, e.path("currency").asText(), where + "currency of " + e);
            }
            if (Set.of("USAGE", "LATE_USAGE", "REVERSAL").contains(kind)) {
                Event sent = s.eventById(e.path("usageEventId").asText());
                assertEquals(sent.model() + "|" + sent.metric(), e.path("model").asText() + "|" + e.path("metric").asText(),
                        where + "model and metric of " + e);
            }
            if ("REVERSAL".equals(kind)) {
                reversals.add(e);
            }
            byId.put(e.path("entryId").asText(), e);
            if ("TIER_TRUE_UP".equals(kind)) {
                trueUps.add(version + "|" + ruleId + "|" + amount);
                continue;
            }
            boolean orderDependent = ("USAGE".equals(kind) || "REVERSAL".equals(kind)) && s.tiered(version, ruleId);
            if (orderDependent) {
                tierSums.merge(version + "|" + ruleId, new BigDecimal(amount), BigDecimal::add);
            }
            observed.add(s.signature(kind, text(e, "usageEventId"), version, ruleId,
                    orderDependent ? "?" : amount, text(e, "originalPeriod"), text(e, "paymentId"),
                    text(e, "quantity") == null ? null : Long.valueOf(text(e, "quantity")),
                    text(e, "settlementRevenue") == null ? null : new BigDecimal(text(e, "settlementRevenue"))));
        }
        assertSameEntries(s.signatures(p), observed, where);
        // each REVERSAL names (reversesEntryId) the earlier USAGE of its event that it negates (§4)
        for (JsonNode r : reversals) {
            JsonNode original = byId.get(r.path("reversesEntryId").asText());
            assertTrue(original != null && "USAGE".equals(original.path("kind").asText())
                    && original.path("sequence").asLong() < r.path("sequence").asLong()
                    && original.path("usageEventId").asText().equals(r.path("usageEventId").asText())
                    && new BigDecimal(original.path("amount").asText()).negate()
                            .compareTo(new BigDecimal(r.path("amount").asText())) == 0, where + "reversal " + r
                    + " of " + original);
        }

        // and a CLOSED period's tier true-ups bring each tiered rule to round8(price of the month's basis)
        List<String> expectedTrueUps = new ArrayList<>();
        if (s.isClosed(p)) {
            s.tierTargets(p).forEach((k, target) -> {
                BigDecimal difference = target.subtract(tierSums.getOrDefault(k, BigDecimal.ZERO));
                if (difference.signum() != 0) {
                    expectedTrueUps.add(k + "|" + difference.setScale(8, RoundingMode.UNNECESSARY).toPlainString());
                }
            });
        }
        expectedTrueUps.sort(null);
        trueUps.sort(null);
        assertEquals(expectedTrueUps, trueUps, where + "TIER_TRUE_UP entries");

        // and the statement's figures are the model's exact total and its rounding to the minor unit
        JsonNode statement = read(finance(system.reporting.baseUrl())
                .get("/api/v1/reports/partners/" + s.partner + "/statements/" + p).then().statusCode(200).extract()
                .asString());
        BigDecimal expectedTotal = s.expectedTotal(p);
        if (expectedTotal != null) {
            assertEquals(0, expectedTotal.compareTo(charges), where + "total of the entries " + charges
                    + " vs the model's " + expectedTotal);
        }
        assertEquals(0, charges.compareTo(new BigDecimal(statement.path("total").asText())), where + statement);
        assertEquals(charges.setScale(s.minorDigits, RoundingMode.HALF_EVEN).toPlainString(),
                statement.path("amountDue").asText(), where + "amountDue " + statement);

        // and the three proofs agree with each other and with the test's §4.1 hash of the entries
        JsonNode proof = read(finance(system.ledger.baseUrl())
                .get("/api/v1/partners/" + s.partner + "/periods/" + p + "/proof").then().statusCode(200).extract()
                .asString());
        String status = s.isClosed(p) ? "CLOSED" : "OPEN";
        assertTrue(proof.path("replayMatches").asBoolean(false), where + "replayMatches " + proof);
        assertEquals(s.partner, proof.path("partnerId").asText(), where + proof);
        assertEquals(p.toString(), proof.path("period").asText(), where + proof);
        assertEquals(status, proof.path("status").asText(), where + proof);
        assertEquals(status, statement.path("status").asText(), where + statement);
        assertEquals(entries.size(), proof.path("entryCount").asInt(), where + "ledger's entryCount " + proof);
        assertEquals(hash(entries), proof.path("sha256").asText(), where + "ledger's sha256 " + proof);
        JsonNode reported = statement.path("proof");
        assertEquals(entries.size(), reported.path("entryCount").asInt(), where + "statement's entryCount " + reported);
        assertEquals(proof.path("sha256").asText(), reported.path("sha256").asText(), where + "statement's sha256");
        if (entries.isEmpty()) {
            assertTrue(proof.path("firstSequence").isNull() && proof.path("lastSequence").isNull(), where + proof);
            assertTrue(reported.path("firstSequence").isNull() && reported.path("lastSequence").isNull(),
                    where + reported);
        } else {
            assertEquals(first, proof.path("firstSequence").asLong(), where + proof);
            assertEquals(last, proof.path("lastSequence").asLong(), where + proof);
            assertEquals(first, reported.path("firstSequence").asLong(), where + reported);
            assertEquals(last, reported.path("lastSequence").asLong(), where + reported);
        }
        return entries.size();
    }

    /** The same multiset of entry signatures; a failure names only the differing ones. */
    private static void assertSameEntries(List<String> expected, List<String> observed, String where) {
        Map<String, Integer> difference = new java.util.TreeMap<>();
        expected.forEach(x -> difference.merge(x, 1, Integer::sum));
        observed.forEach(x -> difference.merge(x, -1, Integer::sum));
        difference.values().removeIf(n -> n == 0);
        assertTrue(difference.isEmpty(), where + "entries differ from the model (kind|event|version|rule|amount|"
                + "originalPeriod|payment|quantity|settlementRevenue; n > 0 expected but missing, n < 0 unexpected): "
                + difference + "; model " + expected.size() + " entries, reporting " + observed.size());
    }

    /** What a scenario covered, for the log: its periods' statuses and its entries by kind. */
    private static String summary(Scenario s) {
        Map<String, Integer> kinds = new java.util.TreeMap<>();
        List<String> periods = new ArrayList<>();
        for (YearMonth p : s.months) {
            periods.add(p + (s.isClosed(p) ? " CLOSED" : " OPEN"));
            entries(s, p).forEach(e -> kinds.merge(e.path("kind").asText(), 1, Integer::sum));
        }
        return periods + " " + kinds + " versions " + (s.initialVersions.size() + 1) + " tiered rules "
                + s.tieredRuleCount() + ", " + s.conflicts.size() + " conflicts, " + s.duplicates() + " duplicates";
    }

    /** SPEC §4.1 computed by the test: SHA-256 of one line per entry in sequence order. */
    private static String hash(List<JsonNode> entries) throws Exception {
        StringBuilder text = new StringBuilder();
        List<JsonNode> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare(a.path("sequence").asLong(), b.path("sequence").asLong()));
        for (JsonNode e : sorted) {
            List<String> fields = new ArrayList<>();
            for (String f : List.of("sequence", "entryId", "kind", "amount", "currency", "usageEventId", "model",
                    "metric", "quantity", "settlementRevenue", "agreementVersion", "ruleId", "reversesEntryId",
                    "originalPeriod")) {
                fields.add(e.path(f).isNull() || e.path(f).isMissingNode() ? "" : e.path(f).asText());
            }
            text.append(String.join("|", fields)).append('\n');
        }
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    }

    private static List<JsonNode> entries(Scenario s, YearMonth p) {
        List<JsonNode> list = new ArrayList<>();
        String cursor = null;
        do {
            var request = finance(system.reporting.baseUrl()).queryParam("period", p.toString()).queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonNode page = read(request.get("/api/v1/reports/partners/" + s.partner + "/entries").then()
                    .statusCode(200).extract().asString());
            page.path("entries").forEach(list::add);
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return list;
    }

    private static JsonNode balance(Scenario s) {
        return read(finance(system.ledger.baseUrl()).get("/api/v1/partners/" + s.partner + "/balance").then()
                .statusCode(200).extract().asString());
    }

    private static String text(JsonNode e, String field) {
        return e.path(field).isNull() || e.path(field).isMissingNode() ? null : e.path(field).asText();
    }

    private static RequestSpecification admin() {
        return given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.admin()).contentType("application/json");
    }

    private static RequestSpecification finance(String baseUrl) {
        return given().baseUri(baseUrl).auth().oauth2(system.finance());
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + body, e);
        }
    }
}
