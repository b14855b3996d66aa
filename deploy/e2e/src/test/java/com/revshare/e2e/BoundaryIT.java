package com.revshare.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.revshare.e2e.BoundaryCase.Booked;
import com.revshare.e2e.BoundaryCase.Event;
import com.revshare.e2e.BoundaryCase.Path;
import com.revshare.e2e.BoundaryCase.Rejected;
import com.revshare.infra.ProjectFiles;
import com.revshare.infra.Topics;

import io.restassured.http.ContentType;
import io.restassured.response.Response;

/**
 * Accepted means bookable (SPEC §2.1 v2, issue 10): every usage-event field at its limits and one
 * past them is sent through ingest (HTTP, and Kafka for a few) and followed through the ledger and
 * reporting. Each value ingest accepts is booked exactly as accepted — the USAGE entry read through
 * reporting's entries API carries the exact quantity, revenue, model, metric and eventTime (UTC, to
 * the nanosecond) and an amount computed here independently with BigDecimal, and the ledger's
 * balance shows nothing unbooked under an agreement that rates everything. Each value one past a
 * limit is rejected with the SPEC's reason and field, in the HTTP answer and on
 * revshare.usage.rejected, and is booked nowhere. The contract holds at both ends: the usage
 * event's schema (docs/events/usage-event.v1.schema.json) gives the same verdict as ingest wherever
 * JSON Schema can express the rule, and what the services really publish at the limits (accepted
 * events, rejections, ledger entries) is valid against its schema.
 */
class BoundaryIT {
    private static final ObjectMapper EXACT = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final String PARTNER = "boundary-e2e";
    /** The longest partner id the pattern allows: 63 characters. */
    private static final String LONGEST_PARTNER = "boundary-e2e-" + "x".repeat(50);

    /** The agreement rates everything: revenue by percent, the rest by unit. Prices with 12 fraction digits. */
    private static final BigDecimal RATE = new BigDecimal("0.123456789012");
    private static final BigDecimal UNIT_PRICE = new BigDecimal("0.000123456789");
    private static final long UNIT_SIZE = 1000;
    private static final String AGREEMENT = """
            {"effectiveFrom":"1970-01-01T00:00:00Z","currency":"USD","monthlyMinimum":null,"monthlyCap":null,
             "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"%s"},
                      {"id":"unit","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"%s","unitSize":%d}]}"""
            .formatted(RATE.toPlainString(), UNIT_PRICE.toPlainString(), UNIT_SIZE);

    private static final String ASTRAL = new String(Character.toChars(0x1D400)); // MATHEMATICAL BOLD CAPITAL A
    private static final String MAX_AMOUNT = "999999999999999999.99999999";
    private static final int RECORD_LIMIT = 64 * 1024;

    private static RunningSystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = RunningSystem.get();
    }

    @Test
    void everyValueIngestAcceptsIsBookedExactlyAndEveryValuePastALimitIsRejectedWithItsReasonAndField()
            throws Exception {
        // given: two partners (one with the longest legal id) under an agreement that rates everything
        for (String partner : List.of(PARTNER, LONGEST_PARTNER)) {
            given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.admin()).contentType(ContentType.JSON)
                    .body(Map.of("name", "Boundary " + partner.length(), "currency", "USD"))
                    .put("/api/v1/partners/" + partner).then().statusCode(anyOf(is(201), is(200)));
            given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.admin()).contentType(ContentType.JSON)
                    .body(AGREEMENT).post("/api/v1/partners/" + partner + "/agreements").then().statusCode(201);
            awaitKnownToIngest(partner);
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        List<BoundaryCase> cases = cases(now);
        assertEquals(cases.size(), cases.stream().map(c -> c.partnerId() + "/" + c.eventId()).distinct().count(),
                "every case has its own event id");

        // then (contract): the schema agrees with the SPEC wherever JSON Schema can say it
        JsonSchema schema = schema("usage-event.v1.schema.json");
        for (BoundaryCase c : cases) {
            if (c.schemaExpressible()) {
                boolean valid = schema.validate(EXACT.readTree(c.json())).isEmpty();
                assertEquals(c.booked(), valid, "usage-event.v1.schema.json on " + c + ": " + c.json());
            }
        }

        // when: each event is sent as a partner would (HTTP answers checked after all are sent)
        List<Executable> checks = new ArrayList<>();
        for (BoundaryCase c : cases) {
            if (c.path() == Path.HTTP) {
                Response answer = post(c);
                checks.add(() -> assertHttpAnswer(c, answer));
            } else {
                system.produceRaw(c.partnerId(), c.json());
            }
        }
        // one past the batch limit: the whole request is refused, nothing of it is stored
        StringBuilder batch = new StringBuilder("[");
        for (int i = 0; i < 1001; i++) {
            batch.append(i == 0 ? "" : ",").append(new Event(PARTNER, "b-batch-1001-" + i, now.minusSeconds(60)).json());
        }
        int batchStatus = given().baseUri(system.ingest.baseUrl()).auth().oauth2(partnerToken(PARTNER))
                .contentType("application/cloudevents-batch+json").body(batch.append(']').toString())
                .post("/api/v1/usage-events").statusCode();
        checks.add(() -> assertEquals(400, batchStatus, "a batch of 1001 events"));

        // then: every rejected record is on revshare.usage.rejected with its reason, found by its bytes' hash
        checks.add(() -> assertRejectionRecords(cases.stream().filter(c -> !c.booked()).toList()));

        // then: ingest forwards every accepted event exactly, in the contract's shape, numbered without gaps
        checks.add(() -> assertAcceptedRecords(cases.stream().filter(BoundaryCase::booked).toList()));

        // then: every accepted event is booked exactly as accepted, and nothing is left unbooked
        for (String partner : List.of(PARTNER, LONGEST_PARTNER)) {
            checks.add(() -> assertBookedExactly(partner,
                    cases.stream().filter(c -> c.partnerId().equals(partner)).toList()));
        }
        // every failure is reported, not only the first, so one run shows the whole boundary
        assertAll(checks);
    }

    /** The cases; each id names what it probes. Ids start with "b-" except where the id itself is the probe. */
    private static List<BoundaryCase> cases(Instant now) {
        Instant t = Instant.parse("2026-11-15T10:00:00Z");
        List<BoundaryCase> c = new ArrayList<>();

        // id: 1 .. 128 characters of 0x20 .. 0x7E
        c.add(booked("id of one character", new Event(PARTNER, "b", t), t));
        String id128 = "b-id-128-" + "9".repeat(119);
        c.add(booked("id of 128 characters", new Event(PARTNER, id128, t), t));
        String ascii = "b-id \"\\!#$%&'()*+,-./:;<=>?@[]^_`{|}~";
        c.add(booked("id with 0x20, 0x7E and JSON's escapes", new Event(PARTNER, ascii, t), t));
        c.add(rejected("id of 129 characters", new Event(PARTNER, "b-id-129-" + "9".repeat(120), t), "INVALID_FIELD", "id"));
        c.add(rejected("empty id", new Event(PARTNER, "", t), "INVALID_FIELD", "id"));
        c.add(rejected("id with 0x7F", new Event(PARTNER, "b-id-del-\u007f", t), "INVALID_FIELD", "id"));
        c.add(rejected("id with 0x1F", new Event(PARTNER, "b-id-us-\u001f", t), "INVALID_FIELD", "id"));
        c.add(rejected("id with a non-ASCII letter", new Event(PARTNER, "b-id-\u00e9", t), "INVALID_FIELD", "id"));

        // source: non-empty
        c.add(rejected("empty source", new Event(PARTNER, "b-source-empty", t).top("source", "\"\""), "INVALID_FIELD", "source"));

        // time: RFC 3339 with offset, not before 1970-01-01T00:00:00Z, at most 5 minutes ahead
        Instant epoch = Instant.EPOCH;
        c.add(booked("time exactly 1970-01-01T00:00:00Z", new Event(PARTNER, "b-time-epoch", epoch), epoch));
        c.add(booked("time 1970-01-01T00:00:00Z written with an offset",
                new Event(PARTNER, "b-time-epoch-offset", epoch).top("time", "\"1970-01-01T01:00:00+01:00\""), epoch));
        Instant nanos = Instant.parse("2026-11-30T23:59:59.999999999Z");
        c.add(booked("time with nanoseconds, last instant of a month", new Event(PARTNER, "b-time-nanos", nanos), nanos));
        Instant local = Instant.parse("2026-11-30T23:30:00Z");
        c.add(booked("time whose offset moves it into the previous month",
                new Event(PARTNER, "b-time-offset-month", local).top("time", "\"2026-12-01T00:30:00+01:00\""), local));
        Instant soon = now.plus(Duration.ofMinutes(4));
        c.add(booked("time 4 minutes ahead of the ingest clock", new Event(PARTNER, "b-time-future-4m", soon), soon));
        c.add(rejected("time 0000-06-01T00:00:00Z (issue 10)",
                new Event(PARTNER, "b-time-year-0", t).top("time", "\"0000-06-01T00:00:00Z\""), "INVALID_FIELD", "time")
                .notExpressible());
        c.add(rejected("time one nanosecond before 1970",
                new Event(PARTNER, "b-time-1969-nanos", t).top("time", "\"1969-12-31T23:59:59.999999999Z\""),
                "INVALID_FIELD", "time").notExpressible());
        c.add(rejected("time in 1970 by its offset, 1969 in UTC",
                new Event(PARTNER, "b-time-1970-offset", t).top("time", "\"1970-01-01T00:59:59+01:00\""),
                "INVALID_FIELD", "time").notExpressible());
        c.add(rejected("time without offset", new Event(PARTNER, "b-time-no-offset", t).top("time", "\"2026-11-15T10:00:00\""),
                "INVALID_FIELD", "time"));
        c.add(rejected("time 6 minutes ahead of the ingest clock",
                new Event(PARTNER, "b-time-future-6m", now.plus(Duration.ofMinutes(6))), "FUTURE_EVENT", null)
                .notExpressible());

        // partnerid: [a-z0-9][a-z0-9-]{1,62}
        c.add(booked("partner id of 63 characters (Kafka)", new Event(LONGEST_PARTNER, "b-partner-63", t), t)
                .via(Path.KAFKA));
        c.add(rejected("partner id of 64 characters",
                new Event(PARTNER, "b-partner-64", t).top("partnerid", Event.str(LONGEST_PARTNER + "x")), "INVALID_FIELD",
                "partnerid"));
        c.add(rejected("partner id of one character",
                new Event(PARTNER, "b-partner-1", t).top("partnerid", "\"b\""), "INVALID_FIELD", "partnerid"));

        // data.model: 1 .. 128 of [A-Za-z0-9._:/-]
        c.add(booked("model of one character", new Event(PARTNER, "b-model-1", t).data("model", "\"x\""), t, "x",
                "output_tokens", 125000, null));
        String model128 = "AZaz09._:/-" + "m".repeat(117);
        c.add(booked("model of 128 characters, every allowed kind",
                new Event(PARTNER, "b-model-128", t).data("model", Event.str(model128)), t, model128, "output_tokens",
                125000, null));
        c.add(rejected("model of 129 characters",
                new Event(PARTNER, "b-model-129", t).data("model", Event.str("m".repeat(129))), "INVALID_FIELD", "data.model"));
        c.add(rejected("empty model", new Event(PARTNER, "b-model-empty", t).data("model", "\"\""), "INVALID_FIELD", "data.model"));
        c.add(rejected("model with a space", new Event(PARTNER, "b-model-space", t).data("model", "\"llama 3\""),
                "INVALID_FIELD", "data.model"));

        // data.metric
        c.add(booked("metric input_tokens", new Event(PARTNER, "b-metric-input", t).data("metric", "\"input_tokens\""),
                t, "llama-3.1-70b-instruct", "input_tokens", 125000, null));
        c.add(booked("metric requests", new Event(PARTNER, "b-metric-requests", t).data("metric", "\"requests\""),
                t, "llama-3.1-70b-instruct", "requests", 125000, null));
        c.add(rejected("metric in the wrong case", new Event(PARTNER, "b-metric-case", t).data("metric", "\"Output_tokens\""),
                "INVALID_FIELD", "data.metric"));

        // data.quantity: 0 .. 10^15, digits only, number or string
        c.add(booked("quantity 0", new Event(PARTNER, "b-quantity-0", t).data("quantity", "0"), t,
                "llama-3.1-70b-instruct", "output_tokens", 0, null));
        c.add(booked("quantity 10^15 as a number", new Event(PARTNER, "b-quantity-max-number", t)
                .data("quantity", "1000000000000000"), t, "llama-3.1-70b-instruct", "output_tokens", 1_000_000_000_000_000L,
                null));
        c.add(booked("quantity 10^15 as a string (Kafka), with the largest amount", new Event(PARTNER, "b-quantity-max-kafka", t)
                .data("quantity", "\"1000000000000000\"").revenue(Event.str(MAX_AMOUNT), "\"USD\""), t,
                "llama-3.1-70b-instruct", "output_tokens", 1_000_000_000_000_000L, new BigDecimal(MAX_AMOUNT))
                .via(Path.KAFKA));
        c.add(rejected("quantity 10^15 + 1", new Event(PARTNER, "b-quantity-over-number", t).data("quantity", "1000000000000001"),
                "INVALID_FIELD", "data.quantity"));
        c.add(rejected("quantity \"10^15 + 1\"", new Event(PARTNER, "b-quantity-over-string", t)
                .data("quantity", "\"1000000000000001\""), "INVALID_FIELD", "data.quantity"));
        c.add(rejected("quantity of 16 nines", new Event(PARTNER, "b-quantity-16-digits", t)
                .data("quantity", "\"9999999999999999\""), "INVALID_FIELD", "data.quantity"));
        c.add(rejected("quantity -1", new Event(PARTNER, "b-quantity-negative", t).data("quantity", "-1"),
                "INVALID_FIELD", "data.quantity"));
        c.add(rejected("quantity \"01\"", new Event(PARTNER, "b-quantity-leading-zero", t).data("quantity", "\"01\""),
                "INVALID_FIELD", "data.quantity"));
        c.add(rejected("quantity 1.0", new Event(PARTNER, "b-quantity-fraction", t).data("quantity", "1.0"),
                "INVALID_FIELD", "data.quantity").notExpressible());
        c.add(rejected("quantity 1e3", new Event(PARTNER, "b-quantity-exponent", t).data("quantity", "1e3"),
                "INVALID_FIELD", "data.quantity").notExpressible());

        // data.revenue.amount: at most 18 integer and 8 fraction digits, number or string, exact
        c.add(bookedWithRevenue("largest amount as a string", "b-amount-max-string", t, Event.str(MAX_AMOUNT), MAX_AMOUNT));
        c.add(bookedWithRevenue("largest amount as a JSON number", "b-amount-max-number", t, MAX_AMOUNT, MAX_AMOUNT));
        c.add(bookedWithRevenue("18+8 digits that a binary float cannot hold", "b-amount-digits", t,
                "987654321098765432.10987654", "987654321098765432.10987654"));
        c.add(bookedWithRevenue("amount 0", "b-amount-0", t, "\"0\"", "0"));
        c.add(bookedWithRevenue("smallest positive amount", "b-amount-min", t, "0.00000001", "0.00000001"));
        c.add(rejected("amount of 19 integer digits", new Event(PARTNER, "b-amount-19-digits", t)
                .revenue("\"1000000000000000000\"", "\"USD\""), "INVALID_FIELD", "data.revenue.amount"));
        c.add(rejected("amount of 9 fraction digits", new Event(PARTNER, "b-amount-9-fraction", t)
                .revenue("\"0.000000001\"", "\"USD\""), "INVALID_FIELD", "data.revenue.amount"));
        c.add(rejected("amount of 9 fraction digits as a number", new Event(PARTNER, "b-amount-9-fraction-number", t)
                .revenue("0.000000001", "\"USD\""), "INVALID_FIELD", "data.revenue.amount"));
        c.add(rejected("negative amount", new Event(PARTNER, "b-amount-negative", t).revenue("\"-0.5\"", "\"USD\""),
                "INVALID_FIELD", "data.revenue.amount"));
        c.add(rejected("amount with an exponent", new Event(PARTNER, "b-amount-exponent", t).revenue("1E2", "\"USD\""),
                "INVALID_FIELD", "data.revenue.amount").notExpressible());

        // data.revenue.currency: upper-case ISO 4217
        c.add(rejected("lower-case currency", new Event(PARTNER, "b-currency-lower", t).revenue("\"1\"", "\"usd\""),
                "INVALID_FIELD", "data.revenue.currency"));
        c.add(rejected("currency that is no ISO 4217 code", new Event(PARTNER, "b-currency-abc", t).revenue("\"1\"", "\"ABC\""),
                "INVALID_FIELD", "data.revenue.currency").notExpressible());

        // data.region: at most 64 code points, no control character
        c.add(bookedRegion("region of 64 code points", "b-region-64", t, "r".repeat(64)));
        c.add(bookedRegion("region of 40 U+1D400 (issue 10)", "b-region-astral-40", t, ASTRAL.repeat(40)));
        c.add(bookedRegion("region of 40 U+1D400 (issue 10, Kafka)", "b-region-astral-40-kafka", t, ASTRAL.repeat(40))
                .via(Path.KAFKA));
        c.add(bookedRegion("region of 64 U+1D400", "b-region-astral-64", t, ASTRAL.repeat(64)));
        c.add(bookedRegion("empty region", "b-region-empty", t, ""));
        c.add(bookedRegion("region with the first characters after the control ranges", "b-region-nbsp", t,
                "a\u00a0b~ c"));
        c.add(rejectedRegion("region of 65 code points", "b-region-65", t, "r".repeat(65)));
        c.add(rejectedRegion("region of 65 code points (Kafka)", "b-region-65-kafka", t, "r".repeat(65)).via(Path.KAFKA));
        c.add(rejectedRegion("region of 65 U+1D400", "b-region-astral-65", t, ASTRAL.repeat(65)));
        c.add(rejectedRegion("region with U+0007", "b-region-bel", t, "us-east\u00071"));
        c.add(rejectedRegion("region with U+0000", "b-region-nul", t, "us-east\u00001"));
        c.add(rejectedRegion("region with U+001F", "b-region-us", t, "us-east\u001f"));
        c.add(rejectedRegion("region with U+007F", "b-region-del", t, "us-east\u007f"));
        c.add(rejectedRegion("region with U+0085", "b-region-nel", t, "us-east\u0085"));
        c.add(rejectedRegion("region with U+009F", "b-region-apc", t, "us-east\u009f"));

        // issue 10's events over Kafka as well
        c.add(rejected("time 0000-06-01T00:00:00Z (issue 10, Kafka)",
                new Event(PARTNER, "b-time-year-0-kafka", t).top("time", "\"0000-06-01T00:00:00Z\""), "INVALID_FIELD",
                "time").notExpressible().via(Path.KAFKA));
        c.add(booked("time exactly 1970-01-01T00:00:00Z (Kafka)", new Event(PARTNER, "b-time-epoch-kafka", epoch), epoch)
                .via(Path.KAFKA));

        // the envelope
        c.add(rejected("specversion 1.1", new Event(PARTNER, "b-specversion", t).top("specversion", "\"1.1\""),
                "UNSUPPORTED_SPECVERSION", null));
        c.add(rejected("missing quantity", new Event(PARTNER, "b-missing-quantity", t).data("quantity", null),
                "MISSING_FIELD", "data.quantity"));

        // the record: at most 64 KiB
        Event atLimit = new Event(PARTNER, "b-record-64k", t);
        c.add(new BoundaryCase("record of exactly 64 KiB", PARTNER, "b-record-64k", atLimit.jsonOfSize(RECORD_LIMIT),
                Path.HTTP, defaultBooked(t), true));
        Event overLimit = new Event(PARTNER, "b-record-64k-plus-1", t);
        c.add(new BoundaryCase("record of 64 KiB + 1 byte", PARTNER, "b-record-64k-plus-1",
                overLimit.jsonOfSize(RECORD_LIMIT + 1), Path.HTTP, new Rejected("PAYLOAD_TOO_LARGE", null), false));
        return c;
    }

    // ---- case builders

    private static Booked defaultBooked(Instant time) {
        return new Booked(time, "llama-3.1-70b-instruct", "output_tokens", 125000, null, null);
    }

    private static BoundaryCase booked(String label, Event e, Instant time) {
        return booked(label, e, time, "llama-3.1-70b-instruct", "output_tokens", 125000, null);
    }

    private static BoundaryCase booked(String label, Event e, Instant time, String model, String metric, long quantity,
            BigDecimal revenue) {
        String json = e.json();
        String partner = node(json).path("partnerid").asText();
        String id = node(json).path("id").asText();
        return new BoundaryCase(label, partner, id, json, Path.HTTP,
                new Booked(time, model, metric, quantity, revenue, revenue == null ? null : "USD"), true);
    }

    private static BoundaryCase bookedWithRevenue(String label, String id, Instant t, String amountJson, String amount) {
        return booked(label, new Event(PARTNER, id, t).revenue(amountJson, "\"USD\""), t, "llama-3.1-70b-instruct",
                "output_tokens", 125000, new BigDecimal(amount));
    }

    private static BoundaryCase bookedRegion(String label, String id, Instant t, String region) {
        return booked(label, new Event(PARTNER, id, t).data("region", Event.str(region)), t);
    }

    private static BoundaryCase rejected(String label, Event e, String reason, String field) {
        String json = e.json();
        JsonNode id = node(json).path("id");
        return new BoundaryCase(label, PARTNER, id.asText(), json, Path.HTTP, new Rejected(reason, field), true);
    }

    private static BoundaryCase rejectedRegion(String label, String id, Instant t, String region) {
        return rejected(label, new Event(PARTNER, id, t).data("region", Event.str(region)), "INVALID_FIELD",
                "data.region");
    }

    private static JsonNode node(String json) {
        try {
            return EXACT.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- sending

    private static Response post(BoundaryCase c) {
        return given().baseUri(system.ingest.baseUrl()).auth().oauth2(partnerToken(c.partnerId()))
                .contentType("application/cloudevents+json").body(c.bytes())
                .post("/api/v1/usage-events");
    }

    private static void assertHttpAnswer(BoundaryCase c, Response response) {
        assertEquals(202, response.statusCode(), c + ": " + response.asString());
        JsonNode answer = node(response.asString());
        if (c.expected() instanceof Rejected r) {
            assertEquals(0, answer.path("accepted").asInt(), c + ": " + answer);
            assertEquals(1, answer.path("rejected").size(), c + ": " + answer);
            JsonNode rejection = answer.path("rejected").get(0);
            assertEquals(0, rejection.path("index").asInt(), c + ": " + answer);
            assertEquals(r.reason(), rejection.path("reason").asText(), c + ": " + answer);
            assertNamesField(c, r, rejection.path("detail").asText());
        } else {
            assertEquals(1, answer.path("accepted").asInt(), c + ": " + answer);
            assertEquals(0, answer.path("duplicates").asInt(), c + ": " + answer);
            assertEquals(0, answer.path("rejected").size(), c + ": " + answer);
        }
    }

    /** SPEC §2.2: the detail names the field of MISSING_FIELD and INVALID_FIELD by its full path. */
    private static void assertNamesField(BoundaryCase c, Rejected r, String detail) {
        if (r.field() != null) {
            Pattern named = Pattern.compile("(^|[^A-Za-z0-9_.])" + Pattern.quote(r.field()) + "($|[^A-Za-z0-9_.])");
            assertTrue(named.matcher(detail).find(), c + ": the detail should name " + r.field() + ": " + detail);
        }
    }

    // ---- rejections on revshare.usage.rejected

    private static void assertRejectionRecords(List<BoundaryCase> rejectedCases) throws Exception {
        Map<String, BoundaryCase> bySha = new HashMap<>();
        for (BoundaryCase c : rejectedCases) {
            bySha.put(sha256(c.bytes()), c);
        }
        Map<String, JsonNode> found = new HashMap<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USAGE_REJECTED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode record = EXACT.readTree(r.value());
                    String sha = record.path("sha256").asText();
                    if (bySha.containsKey(sha)) {
                        found.put(sha, record);
                    }
                }
                return found.keySet().containsAll(bySha.keySet());
            });
        } catch (ConditionTimeoutException e) {
            Set<String> missing = bySha.entrySet().stream().filter(en -> !found.containsKey(en.getKey()))
                    .map(en -> en.getValue().toString()).collect(Collectors.toCollection(TreeSet::new));
            fail("no rejection record on " + Topics.USAGE_REJECTED + " for " + missing);
        }
        JsonSchema rejectionSchema = schema("usage-rejection.v1.schema.json");
        for (Map.Entry<String, JsonNode> f : found.entrySet()) {
            BoundaryCase c = bySha.get(f.getKey());
            Rejected r = (Rejected) c.expected();
            JsonNode record = f.getValue();
            assertEquals(r.reason(), record.path("reason").asText(), c + ": " + record);
            assertNamesField(c, r, record.path("detail").asText());
            assertEquals(Set.of(), rejectionSchema.validate(record).stream().map(Object::toString)
                    .collect(Collectors.toSet()), "usage-rejection.v1.schema.json on " + c + ": " + record);
            assertEquals(c.bytes().length, record.path("size").asInt(), c + ": size");
            assertEquals(PARTNER, record.path("partnerId").asText(), c + ": the rejection is the partner's");
            // SPEC §2.5: raw holds the first 64 KiB of the original bytes, as text when they decode as UTF-8
            byte[] first = Arrays.copyOf(c.bytes(), Math.min(c.bytes().length, RECORD_LIMIT));
            String raw = record.path("raw").asText();
            byte[] rawBytes = "base64".equals(record.path("rawEncoding").asText()) ? Base64.getDecoder().decode(raw)
                    : raw.getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(first, rawBytes, c + ": raw");
        }
    }

    // ---- accepted events on revshare.usage.accepted

    /**
     * Each accepted event is on revshare.usage.accepted once, valid against
     * accepted-usage-event.v1.schema.json, with the values as sent after normalisation, and each
     * partner's ingestSequence runs 1 .. n without gaps (SPEC §2.7).
     */
    private static void assertAcceptedRecords(List<BoundaryCase> bookedCases) throws Exception {
        JsonSchema schema = schema("accepted-usage-event.v1.schema.json");
        Map<String, BoundaryCase> byKey = new HashMap<>();
        bookedCases.forEach(c -> byKey.put(c.partnerId() + "/" + c.eventId(), c));
        Map<String, JsonNode> found = new HashMap<>();
        List<String> problems = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USAGE_ACCEPTED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode record = EXACT.readTree(r.value());
                    String partner = record.path("partnerId").asText();
                    if (!partner.equals(PARTNER) && !partner.equals(LONGEST_PARTNER)) {
                        continue;
                    }
                    String key = partner + "/" + record.path("eventId").asText();
                    if (!byKey.containsKey(key)) {
                        problems.add("accepted but one past a limit: " + record);
                    }
                    JsonNode earlier = found.put(key, record);
                    if (earlier != null && !earlier.path("ingestSequence").equals(record.path("ingestSequence"))) {
                        problems.add("published again under another ingestSequence: " + earlier + " then " + record);
                    }
                }
                return found.keySet().containsAll(byKey.keySet());
            });
        } catch (ConditionTimeoutException e) {
            fail("not on " + Topics.USAGE_ACCEPTED + ": " + byKey.entrySet().stream()
                    .filter(en -> !found.containsKey(en.getKey())).map(en -> en.getValue().toString()).toList());
        }
        Map<String, Set<Long>> sequences = new TreeMap<>();
        for (Map.Entry<String, BoundaryCase> en : byKey.entrySet()) {
            BoundaryCase c = en.getValue();
            Booked b = (Booked) c.expected();
            JsonNode record = found.get(en.getKey());
            String what = c + ": " + record;
            assertEquals(Set.of(), schema.validate(record).stream().map(Object::toString).collect(Collectors.toSet()),
                    "accepted-usage-event.v1.schema.json on " + what);
            assertEquals(b.time(), Instant.parse(record.path("time").asText()), what);
            assertEquals(b.model(), record.path("model").asText(), what);
            assertEquals(b.metric(), record.path("metric").asText(), what);
            assertEquals(b.quantity(), record.path("quantity").asLong(), what);
            if (b.revenue() == null) {
                assertTrue(record.path("revenue").isNull(), what);
            } else {
                assertEquals(b.revenue().setScale(8).toPlainString(), record.path("revenue").path("amount").asText(), what);
            }
            JsonNode sentRegion = node(c.json()).path("data").path("region");
            assertEquals(sentRegion.isMissingNode() ? null : sentRegion.textValue(), record.path("region").textValue(),
                    "region exactly as sent: " + what);
            sequences.computeIfAbsent(c.partnerId(), k -> new TreeSet<>()).add(record.path("ingestSequence").asLong());
        }
        for (Map.Entry<String, Set<Long>> s : sequences.entrySet()) {
            Set<Long> gapless = new TreeSet<>();
            for (long i = 1; i <= s.getValue().size(); i++) {
                gapless.add(i);
            }
            assertEquals(gapless, s.getValue(), s.getKey() + ": ingestSequence 1 .. n without gaps");
        }
        assertEquals(List.of(), problems);
    }

    private static KafkaConsumer<String, String> consumer() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, system.infra.kafkaBootstrap());
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        return new KafkaConsumer<>(props);
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    // ---- booking

    /**
     * Every accepted event of {@code partner} is one USAGE entry in reporting with exactly the
     * accepted values and the independently computed amount; no other entry exists; the ledger's
     * balance agrees and shows nothing unbooked.
     */
    private static void assertBookedExactly(String partner, List<BoundaryCase> partnerCases) throws Exception {
        Map<String, BoundaryCase> accepted = new LinkedHashMap<>();
        partnerCases.stream().filter(BoundaryCase::booked).forEach(c -> accepted.put(c.eventId(), c));
        Set<String> rejectedIds = partnerCases.stream().filter(c -> !c.booked()).map(BoundaryCase::eventId)
                .collect(Collectors.toSet());
        int n = accepted.size();

        // the ledger: one entry per accepted event
        try {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ledgerBalance(partner).path("lastSequence").asInt() >= n);
        } catch (ConditionTimeoutException e) {
            fail(partner + ": " + n + " accepted events, booked as of now: " + ledgerBalance(partner) + " unrated: "
                    + unrated(partner));
        }
        JsonNode balance = ledgerBalance(partner);
        assertEquals(n, balance.path("lastSequence").asInt(), partner + ": one entry per accepted event " + balance);

        // reporting: fresh up to the ledger's last entry
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            JsonNode freshness = node(given().baseUri(system.reporting.baseUrl()).auth().oauth2(system.finance())
                    .get("/api/v1/reports/freshness").then().statusCode(200).extract().asString());
            long sequence = -1;
            for (JsonNode row : freshness) {
                if (partner.equals(row.path("partnerId").asText())) {
                    sequence = row.path("sequence").asLong();
                }
            }
            assertTrue(sequence >= n, partner + " freshness " + freshness);
        });

        List<JsonNode> entries = reportingEntries(partner);
        assertEquals(n, entries.size(), partner + ": one entry per accepted event");
        JsonSchema entrySchema = schema("ledger-entry.v1.schema.json");
        Map<String, BigDecimal> periodTotals = new TreeMap<>();
        Map<String, Integer> periodCounts = new TreeMap<>();
        BigDecimal receivable = BigDecimal.ZERO;
        Set<String> seen = new HashSet<>();
        for (JsonNode e : entries) {
            String eventId = e.path("usageEventId").asText();
            assertFalse(rejectedIds.contains(eventId), "a rejected event was booked: " + e);
            BoundaryCase c = accepted.get(eventId);
            assertNotNull(c, "an entry for no accepted event: " + e);
            assertTrue(seen.add(eventId), "booked twice: " + eventId);
            Booked b = (Booked) c.expected();
            String what = c + ": " + e;
            assertEquals(Set.of(), entrySchema.validate(e).stream().map(Object::toString).collect(Collectors.toSet()),
                    "ledger-entry.v1.schema.json on " + what);
            assertEquals("USAGE", e.path("kind").asText(), what);
            assertEquals(partner, e.path("partnerId").asText(), what);
            assertEquals("USD", e.path("currency").asText(), what);
            assertEquals(b.model(), e.path("model").asText(), what);
            assertEquals(b.metric(), e.path("metric").asText(), what);
            assertTrue(e.path("quantity").isIntegralNumber(), what);
            assertEquals(b.quantity(), e.path("quantity").asLong(), what);
            String eventTime = e.path("eventTime").asText();
            assertTrue(eventTime.endsWith("Z"), "eventTime in UTC: " + what);
            assertEquals(b.time(), Instant.parse(eventTime), "eventTime to the nanosecond: " + what);
            String period = YearMonth.from(b.time().atZone(ZoneOffset.UTC)).toString();
            assertEquals(period, e.path("period").asText(), what);
            BigDecimal expected = share(b);
            assertEquals(expected.toPlainString(), e.path("amount").asText(), "amount, exactly at scale 8: " + what);
            if (b.revenue() == null) {
                assertTrue(e.path("revenue").isNull(), what);
                assertEquals("unit", e.path("ruleId").asText(), what);
            } else {
                assertEquals(0, b.revenue().compareTo(new BigDecimal(e.path("revenue").path("amount").asText())),
                        "revenue exactly as accepted: " + what);
                assertEquals(b.currency(), e.path("revenue").path("currency").asText(), what);
                assertEquals(0, b.revenue().compareTo(new BigDecimal(e.path("settlementRevenue").asText())), what);
                assertEquals("rev", e.path("ruleId").asText(), what);
            }
            periodTotals.merge(period, expected, BigDecimal::add);
            periodCounts.merge(period, 1, Integer::sum);
            receivable = receivable.add(expected);
        }
        assertEquals(accepted.keySet(), seen, partner + ": every accepted event booked");

        // the ledger's figures equal the sums of the independently computed amounts
        assertEquals(0, receivable.compareTo(new BigDecimal(balance.path("receivable").asText())),
                partner + " receivable " + receivable.toPlainString() + " vs " + balance);
        Map<String, JsonNode> periods = new HashMap<>();
        balance.path("periods").forEach(p -> periods.put(p.path("period").asText(), p));
        for (Map.Entry<String, BigDecimal> total : periodTotals.entrySet()) {
            JsonNode p = periods.get(total.getKey());
            assertNotNull(p, partner + ": period " + total.getKey() + " in " + balance);
            assertEquals(0, total.getValue().compareTo(new BigDecimal(p.path("total").asText())),
                    partner + " " + total.getKey() + " total " + total.getValue().toPlainString() + " vs " + p);
            assertEquals(periodCounts.get(total.getKey()).intValue(), p.path("eventCount").asInt(), p.toString());
        }

        // nothing left unbooked: the agreement rates everything, so nothing accepted may be parked
        assertEquals(0, balance.path("unratedCount").asInt(), partner + " unrated: " + unrated(partner));
        assertEquals(0, unrated(partner).size(), partner + " unrated: " + unrated(partner));

        // pipeline completeness (SPEC §2.7 v2): ingest's count and the ledger's agree, with no gap
        assertTrue(balance.has("ingestSequence"), "SPEC §2.7 v2: the balance carries ingestSequence: " + balance);
        assertEquals(n, balance.path("ingestSequence").asInt(), partner + " balance " + balance);
        JsonNode intake = node(given().baseUri(system.ingest.baseUrl()).auth().oauth2(system.finance())
                .get("/api/v1/partners/" + partner + "/intake").then().statusCode(200).extract().asString());
        assertEquals(n, intake.path("accepted").asInt(), partner + " intake " + intake);
        assertEquals(n, intake.path("lastIngestSequence").asInt(), partner + " intake " + intake);
    }

    /** SPEC §3.2 and §3.4: revenue × rate, else quantity × unitPrice / unitSize; round8 HALF_EVEN once. */
    static BigDecimal share(Booked b) {
        BigDecimal exact = b.revenue() != null ? b.revenue().multiply(RATE)
                : BigDecimal.valueOf(b.quantity()).multiply(UNIT_PRICE).divide(BigDecimal.valueOf(UNIT_SIZE));
        return exact.setScale(8, RoundingMode.HALF_EVEN);
    }

    @Test
    void theIndependentShareComputationIsExactAtTheLimits() {
        // given the largest amount, the largest quantity and digits no binary float holds
        BigDecimal max = new BigDecimal(MAX_AMOUNT);
        // then the shares are exact to the last digit (checked with exact decimal arithmetic elsewhere;
        // the first is 10^18 x rate - 10^-8 x rate, whose last digits round up to a round number)
        assertEquals("123456789012000000.00000000", share(new Booked(Instant.EPOCH, "m", "requests", 0, max, "USD"))
                .toPlainString());
        assertEquals("121932631136680383.96566804", share(new Booked(Instant.EPOCH, "m", "requests", 0,
                new BigDecimal("987654321098765432.10987654"), "USD")).toPlainString());
        assertEquals("123456789.00000000", share(new Booked(Instant.EPOCH, "m", "requests", 1_000_000_000_000_000L, null,
                null)).toPlainString());
        assertEquals("0.00000000", share(new Booked(Instant.EPOCH, "m", "requests", 0,
                new BigDecimal("0.00000001"), "USD")).toPlainString());
    }

    private static JsonNode ledgerBalance(String partner) {
        return node(given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.finance())
                .get("/api/v1/partners/" + partner + "/balance").then().statusCode(200).extract().asString());
    }

    private static JsonNode unrated(String partner) {
        return node(given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.finance())
                .get("/api/v1/partners/" + partner + "/unrated").then().statusCode(200).extract().asString());
    }

    private static List<JsonNode> reportingEntries(String partner) {
        List<JsonNode> entries = new ArrayList<>();
        String cursor = null;
        do {
            var request = given().baseUri(system.reporting.baseUrl()).auth().oauth2(system.finance())
                    .queryParam("limit", 1000);
            if (cursor != null) {
                request.queryParam("cursor", cursor);
            }
            JsonNode page = node(request.get("/api/v1/reports/partners/" + partner + "/entries")
                    .then().statusCode(200).extract().asString());
            page.path("entries").forEach(entries::add);
            cursor = page.path("nextCursor").isNull() || page.path("nextCursor").isMissingNode() ? null
                    : page.path("nextCursor").asText();
        } while (cursor != null);
        return entries;
    }

    // ---- partners and the contract

    private static String partnerToken(String partner) {
        return system.infra.jwt().partner(partner, Duration.ofHours(1));
    }

    /**
     * SPEC §2.4: ingest knows a registered partner within 5 s. Probed with an event from the future:
     * UNKNOWN_PARTNER while unknown, FUTURE_EVENT (later in the §2.2 order) once known; nothing is stored.
     */
    private static void awaitKnownToIngest(String partner) {
        String probe = new Event(partner, "probe-" + partner.length(), Instant.now().plus(Duration.ofDays(1))).json();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> "FUTURE_EVENT".equals(
                given().baseUri(system.ingest.baseUrl()).auth().oauth2(partnerToken(partner))
                        .contentType("application/cloudevents+json").body(probe)
                        .post("/api/v1/usage-events").then().statusCode(202).extract().jsonPath()
                        .getString("rejected[0].reason")));
    }

    /** A contract schema of docs/events, for a validator fed JSON read exactly (numbers as decimals). */
    private static JsonSchema schema(String file) throws IOException {
        String text = Files.readString(ProjectFiles.root().resolve("docs/events").resolve(file));
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(text, SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build());
    }
}
