package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.SINGLE;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.Infrastructure;
import com.revshare.ingest.application.Channel;
import com.revshare.ingest.application.IncomingRecord;
import com.revshare.ingest.application.Outcome;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.application.UsageIntake;
import com.revshare.ingest.domain.PartnerClaim;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** SPEC §2.3: the same (partnerid, id) counts once by any path, across re-delivery, and inside one batch. */
@QuarkusTest
class DeduplicationTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    MeterRegistry meters;
    @Inject
    UsageIntake intake;

    @Test
    void anEventSentOverHttpAndKafkaInEitherOrderIsForwardedOnceAndCountedAsDuplicateOnce() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("paths"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            // HTTP first, then Kafka with another spelling of the same content
            IngestTestSupport.post(p, SINGLE, Events.valid(p, "e1")).statusCode(202).body("accepted", is(1));
            KafkaTestSupport.send("revshare.usage.raw", p, Events.valid(p, "e1")
                    .replace("\"quantity\":\"125000\"", "\"quantity\":125000").replace("1.875", "\"1.8750\""));
            await().atMost(WAIT).until(() -> duplicates(p, "kafka") == 1.0);
            // Kafka first, then HTTP
            KafkaTestSupport.send("revshare.usage.raw", p, Events.valid(p, "e2"));
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 2);
            IngestTestSupport.post(p, SINGLE, Events.valid(p, "e2")).statusCode(202).body("accepted", is(0))
                    .body("duplicates", is(1));
            // a later event on the same partition proves nothing else was forwarded meanwhile
            KafkaTestSupport.send("revshare.usage.raw", p, Events.valid(p, "e3"));
            await().atMost(WAIT).until(() -> accepted.values(p).size() >= 3);
            List<JsonNode> forwarded = accepted.values(p);
            assertEquals(List.of("e1", "e2", "e3"), forwarded.stream().map(n -> n.get("eventId").asText()).toList());
            assertEquals(List.of(1L, 2L, 3L), forwarded.stream().map(n -> n.get("ingestSequence").asLong()).toList());
            assertEquals(1.0, duplicates(p, "http"));
        }
    }

    @Test
    void theSameIdWithOtherContentByAnotherPathIsAConflictAndTheFirstStays() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("conflict"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "c1", 10));
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 1);
            IngestTestSupport.post(p, SINGLE, Events.minimal(p, "c1", 11)).statusCode(202).body("accepted", is(0))
                    .body("duplicates", is(0)).body("rejected[0].reason", is("DUPLICATE_CONFLICT"));
            IngestTestSupport.post(p, SINGLE, Events.minimal(p, "c2", 1)).statusCode(202).body("accepted", is(1));
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 2);
            assertEquals(10L, accepted.values(p).get(0).get("quantity").asLong());
            assertEquals(0.0, duplicates(p, "http"));
        }
    }

    @Test
    void reDeliveryFromOffsetZeroToASecondConsumerInstanceAcceptsNothingTwice() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("restart"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            for (int i = 1; i <= 5; i++) {
                KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "r" + i, i));
            }
            KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "r1", 1));
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 5);

            // given a new consumer instance that starts from offset 0 (as after a restart that lost its offsets)
            List<IncomingRecord> redelivered = readFromOffsetZero(p);
            assertEquals(6, redelivered.size());
            // when the same pipeline processes them again, in two polls
            List<Outcome> outcomes = new ArrayList<>(intake.process(redelivered.subList(0, 3)));
            outcomes.addAll(intake.process(redelivered.subList(3, 6)));
            // then every one of them is a duplicate and nothing more is forwarded
            assertEquals(6, outcomes.stream().filter(o -> o instanceof Outcome.Duplicate).count(), outcomes::toString);
            KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "r6", 6));
            await().atMost(WAIT).until(() -> accepted.values(p).size() >= 6);
            assertEquals(6, accepted.values(p).size());
            assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L),
                    accepted.values(p).stream().map(n -> n.get("ingestSequence").asLong()).toList());
        }
    }

    @Test
    void storedContentRoundTripsExactlySoARepeatOfAnExtremeEventIsADuplicate() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("extreme"));
        String extreme = Events.valid(p, "x").replace("2026-11-01T13:00:00+01:00", "1970-01-01T23:59:59.999999999+23:59")
                .replace("1.875", "\"999999999999999999.99999999\"").replace("\"125000\"", "\"1000000000000000\"")
                .replace("us-east-1", "\u00e9".repeat(64));
        IngestTestSupport.post(p, SINGLE, extreme).statusCode(202).body("accepted", is(1));
        IngestTestSupport.post(p, SINGLE, extreme).statusCode(202).body("duplicates", is(1));
    }

    private double duplicates(String partner, String channel) {
        return IngestTestSupport.count(meters, "revshare.ingest.events.duplicates", "partner", partner, "channel",
                channel);
    }

    private static List<IncomingRecord> readFromOffsetZero(String key) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
        props.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-" + UUID.randomUUID());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<IncomingRecord> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = c.partitionsFor("revshare.usage.raw").stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<byte[], byte[]> r : c.poll(Duration.ofMillis(500))) {
                    String k = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                    if (key.equals(k)) {
                        out.add(new IncomingRecord(r.value(), PartnerClaim.recordKey(k),
                                Instant.ofEpochMilli(r.timestamp()), Channel.KAFKA));
                    }
                }
            }
        }
        return out;
    }
}
