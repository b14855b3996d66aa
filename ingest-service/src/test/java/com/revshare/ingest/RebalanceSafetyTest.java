package com.revshare.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.Channel;
import com.revshare.ingest.application.IncomingRecord;
import com.revshare.ingest.application.Outcome;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.application.UsageIntake;
import com.revshare.ingest.domain.PartnerClaim;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Several instances (issue 10): the Kafka offsets are stored with the data, so a batch delivered again after
 * a rebalance or a failed offset commit — even to two consumers at once — is processed exactly once: no
 * event, duplicate or rejection counted or stored twice.
 */
@QuarkusTest
class RebalanceSafetyTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    UsageIntake intake;

    private static List<IncomingRecord> batch(String topic, String p, long firstOffset, String... values) {
        List<IncomingRecord> records = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            records.add(new IncomingRecord(values[i].getBytes(StandardCharsets.UTF_8), PartnerClaim.recordKey(p),
                    Instant.now(), Channel.KAFKA, new IncomingRecord.SourcePosition(topic, 0, firstOffset + i)));
        }
        return records;
    }

    private static JsonPath intakeOf(String p) {
        return given().auth().oauth2(TestTokens.admin()).when().get("/api/v1/partners/" + p + "/intake").then()
                .statusCode(200).extract().jsonPath();
    }

    @Test
    void aBatchDeliveredAgainAfterItsOffsetCommitFailedIsNotProcessedTwice() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("rebal"));
        String topic = "test.raw." + UUID.randomUUID();
        List<IncomingRecord> records = batch(topic, p, 0, Events.minimal(p, "a", 1), Events.minimal(p, "b", 2),
                Events.minimal(p, "a", 1), "{broken");
        // given the batch processed once (its Kafka offset commit then failed in a rebalance)
        List<Outcome> first = intake.process(records);
        assertEquals(List.of(Outcome.Accepted.class, Outcome.Accepted.class, Outcome.Duplicate.class,
                Outcome.Rejected.class), first.stream().map(Object::getClass).toList());
        // when the next owner of the partition receives the same records again
        List<Outcome> again = intake.process(records);
        // then none of them is processed a second time
        assertTrue(again.stream().allMatch(o -> o instanceof Outcome.AlreadyProcessed), again::toString);
        JsonPath counts = intakeOf(p);
        assertEquals(List.of(2, 1, 1), List.of(counts.getInt("accepted"), counts.getInt("duplicates"),
                counts.getInt("rejected")));
        // and a batch that overlaps the processed records processes only the new ones
        List<IncomingRecord> overlapping = batch(topic, p, 2, Events.minimal(p, "a", 1), "{broken",
                Events.minimal(p, "c", 3));
        List<Outcome> mixed = intake.process(overlapping);
        assertEquals(List.of(Outcome.AlreadyProcessed.class, Outcome.AlreadyProcessed.class, Outcome.Accepted.class),
                mixed.stream().map(Object::getClass).toList());
        assertEquals(3, intakeOf(p).getInt("lastIngestSequence"));
    }

    @Test
    void twoConsumersProcessingTheSameRecordsAtOnceProcessThemOnce() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("zombie"));
        String topic = "test.raw." + UUID.randomUUID();
        String[] values = new String[50];
        for (int i = 0; i < values.length; i++) {
            values[i] = i % 10 == 9 ? "{broken" : Events.minimal(p, "z" + i, i);
        }
        List<IncomingRecord> records = batch(topic, p, 0, values);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            Callable<List<Outcome>> task = () -> intake.process(records);
            Future<List<Outcome>> one = pool.submit(task);
            Future<List<Outcome>> two = pool.submit(task);
            List<Outcome> all = new ArrayList<>(one.get());
            all.addAll(two.get());
            assertEquals(45, all.stream().filter(o -> o instanceof Outcome.Accepted).count());
            assertEquals(5, all.stream().filter(o -> o instanceof Outcome.Rejected).count());
            assertEquals(50, all.stream().filter(o -> o instanceof Outcome.AlreadyProcessed).count());
        } finally {
            pool.shutdownNow();
        }
        JsonPath counts = intakeOf(p);
        assertEquals(List.of(45, 0, 5, 45), List.of(counts.getInt("accepted"), counts.getInt("duplicates"),
                counts.getInt("rejected"), counts.getInt("lastIngestSequence")));
    }
}
