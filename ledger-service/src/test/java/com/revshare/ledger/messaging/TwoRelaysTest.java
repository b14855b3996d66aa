package com.revshare.ledger.messaging;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.Topics;
import com.revshare.ledger.Fixtures;
import com.revshare.ledger.KafkaTestClient;
import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.ledger.config.TopicsConfig;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.persistence.OutboxStore;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Issue 10 "several instances": two outbox relays over the same database (this instance's and a second
 * one, as another ledger instance would run) publish every entry exactly once: each partner has one
 * publisher at a time, and neither publishes what the other has just published.
 */
@QuarkusTest
class TwoRelaysTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LedgerService ledger;
    @Inject
    KafkaSettings settings;
    @Inject
    LedgerConfig config;
    @Inject
    TopicsConfig topics;
    @Inject
    OutboxStore store;
    @Inject
    Transactions tx;
    @Inject
    MeterRegistry metrics;

    @Test
    void twoRelaysOverTheSameDatabasePublishEveryEntryExactlyOnce() throws Exception {
        List<String> partners = List.of("relay2-a", "relay2-b", "relay2-c");
        for (String p : partners) {
            Fixtures.partner(p, "USD");
            Fixtures.agreement(p, """
                    {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD",
                     "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1}]}""");
        }
        OutboxRelay second = new OutboxRelay();
        second.settings = settings;
        second.config = config;
        second.topics = topics;
        second.store = store;
        second.tx = tx;
        second.metrics = metrics;
        second.open("test-second-relay");
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger cycles = new AtomicInteger();
        Thread other = new Thread(() -> {
            while (!done.get()) {
                try {
                    second.relayOnce();
                    cycles.incrementAndGet();
                } catch (RuntimeException e) {
                    // a failed cycle publishes nothing it then forgets: the next one retries
                }
            }
        });
        other.start();
        int batches = 40;
        int perBatch = 5;
        try {
            for (int b = 0; b < batches; b++) {
                List<UsageEvent> events = new ArrayList<>();
                for (String p : partners) {
                    for (int i = 0; i < perBatch; i++) {
                        events.add(new UsageEvent(p, "r-" + b + "-" + i, Instant.parse("2026-11-07T00:00:00Z"), "m",
                                "requests", 1, null, null));
                    }
                }
                ledger.recordUsage(events); // wakes this instance's relay; the second one polls continuously
            }
            long expected = (long) batches * perBatch;
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> partners.stream()
                    .allMatch(p -> published(p).size() >= expected));
        } finally {
            done.set(true);
            other.join(30_000);
            second.close();
        }
        assertThat(cycles.get() > batches, is(true));
        long expected = (long) batches * perBatch;
        for (String p : partners) {
            assertThat(p, published(p), is(LongStream.rangeClosed(1, expected).boxed().toList()));
        }
    }

    /** The sequences published for the partner, in topic order per partition (one partition per key). */
    private static List<Long> published(String partner) {
        return KafkaTestClient.readAll(Topics.LEDGER_ENTRIES).stream().filter(r -> partner.equals(r.key()))
                .map(r -> {
                    try {
                        JsonNode n = JSON.readTree(r.value());
                        return n.get("sequence").asLong();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }).toList();
    }
}
