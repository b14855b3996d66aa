package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;

import com.revshare.ingest.application.PartnerRegistry;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Fuzz through the real consumer: arbitrary bytes, byte-mutated valid events, repeated and conflicting
 * ids, odd keys. Every record read ends in exactly one of accepted / duplicate / rejected, the topics
 * agree with the counters, and the consumer is still consuming afterwards.
 */
@QuarkusTest
class FuzzIntegrationTest {
    private static final int RECORDS = 600;

    @Inject
    PartnerRegistry registry;
    @Inject
    MeterRegistry meters;

    @Test
    void everyRecordReadIsAcceptedDuplicateOrRejectedAndTheConsumerKeepsConsuming() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("fuzz"));
        Random random = new Random(20261126L);
        byte[] template = Events.valid(p, "TEMPLATE").getBytes(StandardCharsets.UTF_8);

        double read0 = kafka("revshare.ingest.records.read");
        double accepted0 = kafka("revshare.ingest.events.accepted");
        double duplicates0 = kafka("revshare.ingest.events.duplicates");
        double rejected0 = kafka("revshare.ingest.events.rejected");
        try (var acceptedTopic = new KafkaTestSupport.Tail("revshare.usage.accepted");
                var rejectedTopic = new KafkaTestSupport.Tail("revshare.usage.rejected")) {
            List<Future<RecordMetadata>> sent = new ArrayList<>();
            Set<String> sentHashes = new HashSet<>();
            for (int i = 0; i < RECORDS; i++) {
                byte[] value;
                String key = random.nextInt(10) == 0 ? null : random.nextInt(20) == 0 ? "someone-else" : p;
                switch (random.nextInt(4)) {
                    case 0 -> {
                        value = new byte[random.nextInt(300)];
                        random.nextBytes(value);
                    }
                    case 1 -> value = mutate(new String(template, StandardCharsets.UTF_8)
                            .replace("TEMPLATE", "m" + i).getBytes(StandardCharsets.UTF_8), random);
                    default -> {
                        // ids from a small pool with two possible quantities: new, duplicate or conflict
                        int id = random.nextInt(60);
                        value = Events.minimal(p, "pool-" + id, random.nextInt(8) == 0 ? 2 : 1)
                                .getBytes(StandardCharsets.UTF_8);
                    }
                }
                if (random.nextInt(50) == 0) {
                    value = null; // a tombstone
                }
                sentHashes.add(Hashes.sha256Hex(value == null ? new byte[0] : value));
                sent.add(KafkaTestSupport.producer().send(new ProducerRecord<>("revshare.usage.raw",
                        key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)));
            }
            KafkaTestSupport.producer().flush();
            for (Future<RecordMetadata> f : sent) {
                f.get();
            }

            await().atMost(WAIT).until(() -> kafka("revshare.ingest.records.read") - read0 >= RECORDS);
            double read = kafka("revshare.ingest.records.read") - read0;
            double accepted = kafka("revshare.ingest.events.accepted") - accepted0;
            double duplicates = kafka("revshare.ingest.events.duplicates") - duplicates0;
            double rejected = kafka("revshare.ingest.events.rejected") - rejected0;
            System.out.printf("fuzz: %d records read -> %.0f accepted, %.0f duplicates, %.0f rejected%n", RECORDS,
                    accepted, duplicates, rejected);
            assertEquals(RECORDS, read);
            assertEquals(RECORDS, accepted + duplicates + rejected);
            assertTrue(accepted > 0 && duplicates > 0 && rejected > 0,
                    "the mix exercises all three: " + accepted + "/" + duplicates + "/" + rejected);

            // the topics agree with the counters: every rejection is on the rejected topic, every accept forwarded
            await().atMost(WAIT).until(() -> rejectedTopic.records().size() >= rejected);
            assertEquals((long) rejected, rejectedTopic.records().size());
            assertTrue(rejectedTopic.values(r -> true).stream().allMatch(n -> sentHashes.contains(n.get("sha256").asText())));
            await().atMost(WAIT).until(() -> acceptedTopic.values(p).size() >= accepted);
            assertEquals((long) accepted, acceptedTopic.values(p).size());

            // and the consumer is still consuming
            KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "after-fuzz", 1));
            await().atMost(WAIT).until(() -> acceptedTopic.values(p).stream()
                    .anyMatch(n -> n.get("eventId").asText().equals("after-fuzz")));
        }
    }

    private double kafka(String counter) {
        return IngestTestSupport.count(meters, counter, "channel", "kafka");
    }

    private static byte[] mutate(byte[] in, Random r) {
        List<Byte> b = new ArrayList<>();
        for (byte x : in) {
            b.add(x);
        }
        int edits = 1 + r.nextInt(3);
        for (int i = 0; i < edits && !b.isEmpty(); i++) {
            int at = r.nextInt(b.size());
            String alphabet = "{}[]\",:0123456789.eE+- \\nultrfs\u00ff";
            byte value = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            switch (r.nextInt(4)) {
                case 0 -> b.set(at, value);
                case 1 -> b.add(at, value);
                case 2 -> b.remove(at);
                default -> b.subList(at, b.size()).clear();
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
