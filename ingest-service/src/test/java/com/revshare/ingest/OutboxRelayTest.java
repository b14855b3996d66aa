package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.ingest.application.Channel;
import com.revshare.ingest.application.IntakeItem;
import com.revshare.ingest.application.OutboxRow;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.application.SequenceRange;
import com.revshare.ingest.messaging.AcceptedEventRelay;
import com.revshare.ingest.domain.UsageEvent;
import com.revshare.ingest.persistence.UsageEventStore;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The usage_event table is the outbox: what is committed is forwarded, in gapless per-partner sequence
 * order, whether or not anyone signalled the relay (a crash between commit and publish loses nothing).
 */
@QuarkusTest
class OutboxRelayTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    UsageEventStore store;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    AcceptedEventRelay relay;

    @Test
    void rowsCommittedWithoutAnyPublishAreForwardedByTheRelay() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("crash"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            // given rows committed as by a process that died right after its commit (no publish, no signal)
            List<IntakeItem> items = List.of(item(p, "k1", 5), item(p, "k2", 6));
            QuarkusTransaction.requiringNew().call(() -> store.store(items, Instant.now()));
            // then the relay forwards them from the table alone
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 2);
            assertEquals(List.of("k1", "k2"), accepted.values(p).stream().map(n -> n.get("eventId").asText()).toList());
        }
    }

    /**
     * Parse once, serialise once: the rows an intake transaction wrote are handed to the relay and published as
     * they are, without a read of the table; and what the relay publishes from the table (here after a rewind)
     * is byte for byte the same record.
     */
    @Test
    void committedRowsArePublishedFromTheHandOverExactlyAsTheTableWouldGiveThem() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("handover"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            long tableReads = relay.tableReads();
            // given a batch with revenue, region, an escaped source and a non-UTC time
            String withEverything = "{\"specversion\":\"1.0\",\"id\":\"h-1\",\"source\":\"partners/\\\"x\\\"\","
                    + "\"type\":\"revshare.usage.v1\",\"time\":\"2026-11-01T13:00:00.5+01:00\",\"partnerid\":\"" + p
                    + "\",\"data\":{\"model\":\"m\",\"metric\":\"requests\",\"quantity\":\"3\","
                    + "\"revenue\":{\"amount\":1.5,\"currency\":\"EUR\"},\"region\":\"eu-west-1\"}}";
            IngestTestSupport.post(p, BATCH, "[" + withEverything + "," + Events.minimal(p, "h-2", 2) + "]")
                    .statusCode(202);
            // then the relay publishes them from what the transaction handed over
            await().atMost(WAIT).until(() -> raw(accepted, p).size() == 2);
            assertEquals(tableReads, relay.tableReads(), "no read of the table for rows handed over");
            List<String> handedOver = raw(accepted, p);
            assertTrue(handedOver.get(0).contains("\"amount\":\"1.50000000\""), handedOver.get(0));
            assertTrue(handedOver.get(0).contains("\"time\":\"2026-11-01T12:00:00.500Z\""), handedOver.get(0));
            // when the watermark is set back, the same rows come from the table
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "update ingest_relay_watermark set published_sequence = 0 where partner_id = ?")) {
                s.setString(1, p);
                assertEquals(1, s.executeUpdate());
            }
            await().atMost(WAIT).until(() -> raw(accepted, p).size() == 4);
            assertTrue(relay.tableReads() > tableReads, "the rewound range is read from the table");
            assertEquals(handedOver, raw(accepted, p).subList(2, 4));
        }
    }

    private static List<String> raw(KafkaTestSupport.Tail tail, String partner) {
        return tail.rawByKey().getOrDefault(partner, List.of());
    }

    @Test
    void resettingAPartnersWatermarkReplaysItsEventsWithTheSameSequences() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("replay"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            IngestTestSupport.post(p, BATCH, "[" + Events.minimal(p, "a", 1) + "," + Events.minimal(p, "b", 2) + "]")
                    .statusCode(202);
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 2);
            List<JsonNode> first = accepted.values(p);
            try (Connection c = dataSource.getConnection();
                    PreparedStatement s = c.prepareStatement(
                            "update ingest_relay_watermark set published_sequence = 0 where partner_id = ?")) {
                s.setString(1, p);
                assertEquals(1, s.executeUpdate());
            }
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 4);
            List<JsonNode> all = accepted.values(p);
            assertEquals(first, all.subList(2, 4));
        }
    }

    @Test
    void concurrentWritersOfOnePartnerGetAGaplessSequenceAndEachIdOnce() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("gapless"));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < 8; w++) {
                int writer = w;
                futures.add(pool.submit(() -> {
                    StringJoiner batch = new StringJoiner(",", "[", "]");
                    for (int i = 0; i < 50; i++) {
                        batch.add(Events.minimal(p, "g-" + ((writer * 25 + i) % 200), (writer * 25 + i) % 200));
                    }
                    IngestTestSupport.post(p, BATCH, batch.toString()).statusCode(202);
                    KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "g-k" + writer, 1));
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        // 200 distinct ids over HTTP, 8 over Kafka
        await().atMost(WAIT).until(() -> stats(p)[0] == 208);
        long[] stats = stats(p);
        assertEquals(208, stats[0], "rows");
        assertEquals(208, stats[1], "distinct sequences");
        assertEquals(1, stats[2], "min sequence");
        assertEquals(208, stats[3], "max sequence");
    }

    /**
     * A relay cycle reads a bounded number of rows whatever the number of partners with a backlog, taking
     * the same prefix of each partner's sequence (round robin), so none is starved and each partner's
     * watermark still advances over a contiguous run.
     */
    @Test
    void aRelayCycleIsBoundedInTotalAndFairAcrossPartners() throws Exception {
        List<String> partners = List.of(KafkaTestSupport.uniquePartnerId("fair-a"),
                KafkaTestSupport.uniquePartnerId("fair-b"), KafkaTestSupport.uniquePartnerId("fair-c"));
        partners.forEach(p -> IngestTestSupport.registerPartner(registry, p));
        // hold the relay's lock so the backlog stays put while the cycle is inspected
        try (Connection lock = dataSource.getConnection();
                PreparedStatement take = lock.prepareStatement("select pg_advisory_lock(?)");
                PreparedStatement give = lock.prepareStatement("select pg_advisory_unlock(?)")) {
            take.setLong(1, UsageEventStore.RELAY_LOCK_KEY);
            take.execute();
            try {
                for (String p : partners) {
                    List<IntakeItem> items = new ArrayList<>();
                    for (int i = 1; i <= 5; i++) {
                        items.add(item(p, "f" + i, i));
                    }
                    QuarkusTransaction.requiringNew().call(() -> store.store(items, Instant.now()));
                }
                // a cycle's shares: the same prefix of every backlog, bounded per partner and in total
                assertArrayEquals(new int[] {2, 2, 2}, AcceptedEventRelay.shares(new long[] {5, 5, 5}, 4, 6));
                assertArrayEquals(new int[] {4, 4, 4}, AcceptedEventRelay.shares(new long[] {5, 5, 5}, 4, 100));
                // a short backlog leaves the rest of its even share to the others
                assertArrayEquals(new int[] {3, 1, 3}, AcceptedEventRelay.shares(new long[] {5, 1, 5}, 4, 7));
                // more partners than rows allowed: one row each for as many as the total allows
                assertEquals(2, java.util.Arrays.stream(AcceptedEventRelay.shares(new long[] {5, 5, 5}, 4, 2)).sum());
                // and the table gives each partner's range, in sequence order (what was not handed over)
                List<OutboxRow> cycle = QuarkusTransaction.requiringNew().call(() -> store.outboxRange(
                        partners.stream().map(p -> new SequenceRange(p, 2, 4)).toList()));
                for (String p : partners) {
                    assertEquals(List.of(2L, 3L, 4L), cycle.stream().filter(r -> r.partnerId().equals(p))
                            .map(OutboxRow::ingestSequence).toList(), p);
                }
            } finally {
                give.setLong(1, UsageEventStore.RELAY_LOCK_KEY);
                give.execute();
            }
        }
        // and once the lock is free the relay publishes every backlog
        for (String p : partners) {
            await().atMost(WAIT).until(() -> watermark(p) == 5);
        }
    }

    private long watermark(String partner) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select coalesce(max(published_sequence), 0) from ingest_relay_watermark where partner_id = ?")) {
            s.setString(1, partner);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private long[] stats(String partner) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select count(*), count(distinct ingest_sequence), coalesce(min(ingest_sequence), 0), "
                        + "coalesce(max(ingest_sequence), 0) from usage_event where partner_id = ?")) {
            s.setString(1, partner);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
            }
        }
    }

    private static IntakeItem item(String partner, String id, long quantity) {
        UsageEvent e = new UsageEvent(partner, id, "s", Instant.parse("2026-11-02T00:00:00Z"), "m", "requests",
                quantity, null, null);
        return new IntakeItem(e, Events.minimal(partner, id, quantity).getBytes(), Instant.now(), Channel.KAFKA);
    }
}
