package com.revshare.reporting.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Topics;
import com.revshare.reporting.application.ApplyResult;
import com.revshare.reporting.application.DeliveredRecord;
import com.revshare.reporting.application.EntryApplier;
import com.revshare.reporting.persistence.ReadModels;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * A partner stuck behind a missing sequence must not make every later batch heavier: a batch
 * reads back only the waiting entries it needs (those it re-delivers, and a bounded run once the
 * gap fills), never all of them. When the gap fills, every waiting entry is applied, in order, a
 * bounded number per transaction, however many wait. Drives the applier directly on a private
 * generation.
 */
@QuarkusTest
class GapBoundsTest {
    private static final String P = "gb-stuck";
    private static final String PERIOD = "2023-04";

    @Inject
    EntryApplier applier;

    @Inject
    ReadModels readModels;

    @Inject
    AgroalDataSource dataSource;

    private String schema;
    private long offset;

    @BeforeEach
    void createGeneration() {
        schema = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return readModels.createGeneration(c);
            }
        });
    }

    @AfterEach
    void dropGeneration() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            readModels.drop(c, schema);
        }
    }

    private static EntryFixtures.Entry entry(long sequence) {
        return EntryFixtures.usage(P, sequence, PERIOD, "m", "requests", 1, amount(sequence).toPlainString(), null,
                "USD");
    }

    private static BigDecimal amount(long sequence) {
        return BigDecimal.valueOf(sequence, 8);
    }

    private ApplyResult apply(List<EntryFixtures.Entry> entries) {
        List<DeliveredRecord> records = new ArrayList<>();
        for (EntryFixtures.Entry e : entries) {
            records.add(new DeliveredRecord(Topics.LEDGER_ENTRIES, 0, offset++, e.partnerId(),
                    e.json().getBytes(StandardCharsets.UTF_8)));
        }
        return applier.apply(records, schema);
    }

    private ApplyResult apply(long from, long to) {
        List<EntryFixtures.Entry> entries = new ArrayList<>();
        for (long s = from; s <= to; s++) {
            entries.add(entry(s));
        }
        return apply(entries);
    }

    private List<Object> query(String sql) throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql.replace("$s", schema))) {
            List<Object> row = new ArrayList<>();
            assertTrue(rs.next());
            for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                row.add(rs.getObject(i));
            }
            return row;
        }
    }

    @Test
    void batchesBehindAPermanentGapReadOnlyTheWaitingEntriesTheyNeed() throws Exception {
        long waiting = 3000;
        apply(1, 1);
        for (long from = 3; from <= 2 + waiting; from += 500) {
            apply(from, Math.min(2 + waiting, from + 499));
        }
        assertEquals(List.of(1L, (int) waiting, 2L),
                query("select applied_sequence, waiting_count, gap_expected from $s.partner_cursor"));

        // new entries behind the gap: nothing that waits needs to be read back
        ApplyResult later = apply(3 + waiting, 12 + waiting);
        assertEquals(0, later.applied());
        assertEquals(0, later.waitingRead(), "read back every waiting entry for a batch of 10 new ones");
        // re-deliveries of waiting entries: only those are read back (to compare their content)
        ApplyResult again = apply(List.of(entry(7), entry(8), entry(2999)));
        assertEquals(3, again.redelivered());
        assertEquals(3, again.waitingRead());
        assertEquals(List.of(1L, (int) waiting + 10), query("select applied_sequence, waiting_count from "
                + "$s.partner_cursor"));

        // the gap fills: everything applies in order, at most a bounded number per transaction
        // (%test: 1000), the rest released by further transactions of the same partner
        long last = 12 + waiting;
        ApplyResult filled = apply(2, 2);
        assertTrue(filled.applied() <= 1000 + 100, "applied " + filled.applied() + " in one transaction");
        assertEquals(java.util.Set.of(P), filled.releasePending());
        long applied = filled.applied();
        // any later batch of the partner goes on with the unfinished release (a new entry waits behind it)
        ApplyResult resumed = apply(last + 1, last + 1);
        assertTrue(resumed.applied() > 0, "a later batch did not resume the release");
        assertTrue(resumed.applied() <= 1000 + 100);
        applied += resumed.applied();
        int transactions = 2;
        java.util.Set<String> pending = resumed.releasePending();
        while (!pending.isEmpty()) {
            ApplyResult more = applier.release(pending, schema);
            assertTrue(more.applied() <= 1000 + 100);
            applied += more.applied();
            pending = more.releasePending();
            transactions++;
        }
        last++;
        assertEquals(last - 1, applied);
        assertTrue(transactions >= 3, transactions + " transactions");
        assertEquals(java.util.Arrays.asList(last, 0, null), query("select applied_sequence, waiting_count, gap_expected from "
                + "$s.partner_cursor"));
        assertEquals(List.of(0L), query("select count(*) from $s.waiting_entry"));
        BigDecimal expected = BigDecimal.ZERO;
        for (long s = 1; s <= last; s++) {
            expected = expected.add(amount(s));
        }
        assertEquals(List.of(last, expected.setScale(8), last, last),
                query("select count(*), (select usage_amount from $s.period_total), count(distinct sequence), "
                        + "max(sequence) from $s.entry"));
        // and the entries after it go straight on
        ApplyResult next = apply(last + 1, last + 1);
        assertEquals(1, next.applied());
        assertEquals(0, next.waitingRead());
    }

    /**
     * Around a rebalance one instance may go on releasing a partner's backlog while another
     * applies the partner's new entries: their transactions take turns on the partner's cursor, so
     * every entry is applied exactly once and the cursor never goes back.
     */
    @Test
    void aReleaseAndNewEntriesOfThePartnerInParallelApplyEveryEntryOnce() throws Exception {
        long waiting = 3000;
        apply(1, 1);
        apply(3, 2 + waiting);
        ApplyResult filled = apply(2, 2);
        long last = 2 + waiting;
        java.util.concurrent.atomic.AtomicLong offsets = new java.util.concurrent.atomic.AtomicLong(1_000_000);
        java.util.concurrent.CompletableFuture<Void> newEntries = java.util.concurrent.CompletableFuture.runAsync(() -> {
            for (long s = last + 1; s <= last + 300; s++) {
                EntryFixtures.Entry e = entry(s);
                applier.apply(List.of(new DeliveredRecord(Topics.LEDGER_ENTRIES, 1, offsets.getAndIncrement(),
                        P, e.json().getBytes(StandardCharsets.UTF_8))), schema);
            }
        });
        java.util.Set<String> pending = filled.releasePending();
        while (!pending.isEmpty() || !newEntries.isDone()) {
            pending = applier.release(java.util.Set.of(P), schema).releasePending();
        }
        newEntries.get();
        while (!applier.release(java.util.Set.of(P), schema).releasePending().isEmpty()) {
            // drain what the last new entries left
        }
        long end = last + 300;
        BigDecimal expected = BigDecimal.ZERO;
        for (long s = 1; s <= end; s++) {
            expected = expected.add(amount(s));
        }
        assertEquals(java.util.Arrays.asList(end, 0, null), query("select applied_sequence, waiting_count, "
                + "gap_expected from $s.partner_cursor"));
        assertEquals(List.of(end, expected.setScale(8)), query("select count(*), (select usage_amount from "
                + "$s.period_total) from $s.entry"));
        assertEquals(List.of(0L), query("select count(*) from $s.waiting_entry"));
    }
}
