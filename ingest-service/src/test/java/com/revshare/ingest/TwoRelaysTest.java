package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.ingest.application.IngestMetrics;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.config.TopicsConfig;
import com.revshare.ingest.messaging.AcceptedEventRelay;
import com.revshare.ingest.messaging.KafkaClients;
import com.revshare.ingest.persistence.UsageEventStore;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Several instances (issue 10): a second outbox relay on the same database and broker, as a second ingest
 * instance runs one, publishes nothing twice — the advisory lock lets one relay at a time publish — and every
 * partner's events still go out gaplessly and in order.
 */
@QuarkusTest
class TwoRelaysTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    KafkaClients clients;
    @Inject
    UsageEventStore store;
    @Inject
    IngestMetrics metrics;
    @Inject
    Clock clock;
    @Inject
    IngestConfig config;
    @Inject
    TopicsConfig topics;

    @Test
    void twoRelaysPublishEveryPartnersEventsExactlyOnceInOrder() throws Exception {
        List<String> partners = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            partners.add(IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("relay2")));
        }
        AcceptedEventRelay second = new AcceptedEventRelay(clients, store, metrics, clock, config, topics);
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            second.startRelay();
            // given 4 partners each posting 20 batches of 25 events while both relays run
            List<Future<?>> sent = new ArrayList<>();
            for (String p : partners) {
                sent.add(senders.submit(() -> {
                    for (int b = 0; b < 20; b++) {
                        StringJoiner body = new StringJoiner(",", "[", "]");
                        for (int e = 0; e < 25; e++) {
                            body.add(Events.minimal(p, "b" + b + "-e" + e, e));
                        }
                        IngestTestSupport.post(p, BATCH, body.toString()).statusCode(202);
                    }
                }));
            }
            for (Future<?> f : sent) {
                f.get();
            }
            // and then one last event per partner, published after every earlier one of that partner
            for (String p : partners) {
                IngestTestSupport.post(p, BATCH, "[" + Events.minimal(p, "last", 1) + "]").statusCode(202);
            }
            await().atMost(WAIT.multipliedBy(2)).until(() -> partners.stream()
                    .allMatch(p -> accepted.values(p).stream().anyMatch(n -> n.get("eventId").asText().equals("last"))));
            // then each partner's sequences 1..501 appear exactly once, in order
            for (String p : partners) {
                List<Long> sequences = accepted.values(p).stream().map(n -> n.get("ingestSequence").asLong()).toList();
                Map<Long, Integer> copies = new HashMap<>();
                sequences.forEach(s -> copies.merge(s, 1, Integer::sum));
                assertEquals(501, sequences.size(), () -> p + " got " + sequences.size() + " records");
                for (int i = 0; i < sequences.size(); i++) {
                    assertEquals(i + 1, sequences.get(i), p + " out of order or doubled");
                }
                List<JsonNode> values = accepted.values(p);
                assertEquals("last", values.get(values.size() - 1).get("eventId").asText());
            }
        } finally {
            senders.shutdownNow();
            second.stopRelay();
        }
    }
}
