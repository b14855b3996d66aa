package com.revshare.ingest;

import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.revshare.ingest.application.PartnerRegistry;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A measurement, not a check (run with -Drevshare.probe=true): N valid events for 8 partners produced to
 * usage.raw as fast as the test producer goes, and the time from the first send until ingest has accepted
 * them all and until the relay has published them all on usage.accepted.
 */
@QuarkusTest
@EnabledIfSystemProperty(named = "revshare.probe", matches = "true")
class ThroughputProbeTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    MeterRegistry meters;

    @Test
    void measureKafkaToAcceptedThroughput() throws Exception {
        int events = Integer.getInteger("revshare.probe.events", 100_000);
        List<String> partners = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            partners.add(IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("probe" + i)));
        }
        double accepted0 = IngestTestSupport.count(meters, "revshare.ingest.events.accepted");
        double published0 = IngestTestSupport.count(meters, "revshare.ingest.events.published");
        long start = System.nanoTime();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (int i = 0; i < events; i++) {
            String p = partners.get(i % partners.size());
            sent.add(KafkaTestSupport.producer().send(new ProducerRecord<>("revshare.usage.raw",
                    p.getBytes(StandardCharsets.UTF_8), Events.valid(p, "probe-" + i).getBytes(StandardCharsets.UTF_8))));
        }
        for (Future<RecordMetadata> f : sent) {
            f.get();
        }
        double producedSeconds = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> IngestTestSupport.count(meters, "revshare.ingest.events.accepted") - accepted0 >= events);
        double storedSeconds = (System.nanoTime() - start) / 1e9;
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(50))
                .until(() -> IngestTestSupport.count(meters, "revshare.ingest.events.published") - published0 >= events);
        double publishedSeconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("probe: %d events produced in %.2f s; all stored after %.2f s (%.0f/s), all published after "
                + "%.2f s (%.0f/s)%n", events, producedSeconds, storedSeconds, events / storedSeconds, publishedSeconds,
                events / publishedSeconds);
    }
}
