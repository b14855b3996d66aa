package com.revshare.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

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
import java.util.Properties;
import java.util.Random;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Topics;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * Nothing is lost and nothing counts twice when services crash: ingest and the ledger are
 * killed with SIGKILL (no shutdown, no flush) while a stream is in flight — between database
 * commits and Kafka publishes at arbitrary instants — then restarted, while part of the stream
 * is delivered again. Reporting must end with every event exactly once, to the last decimal.
 */
class CrashRecoveryIT {
    private static final String PARTNER = "crash-e2e";
    private static final int EVENTS = 3000;
    private static RunningSystem system;

    @BeforeAll
    static void startSystem() throws Exception {
        system = RunningSystem.get();
    }

    @Test
    void killingIngestAndLedgerMidStreamLosesNothingAndCountsNothingTwice() throws Exception {
        given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.admin()).contentType(ContentType.JSON)
                .body(Map.of("name", "Crash Test Cloud", "currency", "USD"))
                .put("/api/v1/partners/" + PARTNER).then().statusCode(anyOf(is(201), is(200)));
        given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.admin()).contentType(ContentType.JSON)
                .body("""
                        {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","monthlyMinimum":null,"monthlyCap":null,
                         "rules":[{"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.1"}]}""")
                .post("/api/v1/partners/" + PARTNER + "/agreements").then().statusCode(201);
        PipelineIT.awaitKnownToIngest(PARTNER);

        Instant time = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);
        YearMonth period = YearMonth.from(time.atZone(ZoneOffset.UTC));
        Random random = new Random(7);
        List<String> events = new ArrayList<>();
        BigDecimal expected = BigDecimal.ZERO;
        for (int i = 0; i < EVENTS; i++) {
            BigDecimal revenue = BigDecimal.valueOf(random.nextInt(1_000_000_000), 8);
            events.add(PipelineIT.event(PARTNER, "crash-" + i, time.plusMillis(i), 1000 + i, revenue.toPlainString()));
            expected = expected.add(revenue.multiply(new BigDecimal("0.1")).setScale(8, RoundingMode.HALF_EVEN));
        }

        try (KafkaProducer<String, String> producer = producer()) {
            for (String e : events) {
                producer.send(new ProducerRecord<>(Topics.USAGE_RAW, PARTNER, e));
            }
            producer.flush();
            // crash both writers while the stream is in flight
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> lastSequence() > 0);
            system.ingest.kill();
            system.ledger.kill();
            // the partner re-sends the first 500 events (it never saw an answer)
            for (String e : events.subList(0, 500)) {
                producer.send(new ProducerRecord<>(Topics.USAGE_RAW, PARTNER, e));
            }
            producer.flush();
        }
        system.ingest = system.start("ingest");
        system.ledger = system.start("ledger");
        system.ingest.awaitReady(Duration.ofSeconds(120));
        system.ledger.awaitReady(Duration.ofSeconds(120));

        String expectedTotal = expected.toPlainString();
        String expectedDue = expected.setScale(2, RoundingMode.HALF_EVEN).toPlainString();
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() -> {
            JsonPath rows = given().baseUri(system.reporting.baseUrl()).auth().oauth2(system.finance())
                    .get("/api/v1/reports/periods/" + period).then().statusCode(200).extract().jsonPath();
            List<Map<String, Object>> mine = rows.getList("findAll { it.partnerId == '" + PARTNER + "' }");
            assertEquals(1, mine.size());
            assertEquals(EVENTS, ((Number) mine.get(0).get("eventCount")).intValue());
            assertEquals(expectedTotal, mine.get(0).get("total"));
            assertEquals(expectedDue, mine.get(0).get("amountDue"));
        });
        assertEquals(EVENTS, lastSequence(), "one entry per event in the ledger, none twice");
    }

    private static long lastSequence() {
        return given().baseUri(system.ledger.baseUrl()).auth().oauth2(system.finance())
                .get("/api/v1/partners/" + PARTNER + "/balance").then().statusCode(200).extract().jsonPath()
                .getLong("lastSequence");
    }

    private static KafkaProducer<String, String> producer() {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, system.infra.kafkaBootstrap());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(props);
    }
}
