package com.revshare.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * Invariants of applying entries: whatever the delivery (duplicates, reordering within and
 * across batches, batch boundaries), once every sequence has arrived each entry is applied once,
 * in order, and the pre-aggregated sums equal the plain sums of the entries. Seeded properties
 * ({@link Seeded}): 1000 tries each, the seed of a failure printed.
 */
class ProjectionPropertiesTest {

    @Test
    void anyDeliveryAppliesEachSequenceOnceInOrder() {
        Seeded.forAll("anyDeliveryAppliesEachSequenceOnceInOrder", 1000,
                random -> anyDeliveryAppliesEachSequenceOnceInOrder(1 + random.nextInt(60), random));
    }

    private static void anyDeliveryAppliesEachSequenceOnceInOrder(int count, Random random) {
        List<LedgerEntry> delivered = new ArrayList<>();
        for (long s = 1; s <= count; s++) {
            delivered.add(entry(s, random));
            if (random.nextInt(4) == 0) {
                delivered.add(delivered.get(random.nextInt(delivered.size())));
            }
        }
        // shuffle within a window, as a broker re-delivery after a rewind could look
        for (int i = 0; i < delivered.size(); i++) {
            int j = Math.min(delivered.size() - 1, i + random.nextInt(5));
            Collections.swap(delivered, i, j);
        }
        // What waits behind gaps is "stored"; each transaction reads back only what the applier
        // does: the delivered sequences, and the run after the cursor (up to `chunk` when the batch
        // delivers the missing sequence, else the next sequence alone); it releases at most a few
        // rounds, leaving the rest pending for later transactions (a release, or any later batch).
        Store store = new Store();
        List<LedgerEntry> applied = new ArrayList<>();
        BatchProjection total = new BatchProjection();
        int i = 0;
        while (i < delivered.size()) {
            if (store.pending && random.nextBoolean()) {
                store.transaction(List.of(), 1 + random.nextInt(5), random.nextInt(3), applied, total);
            }
            int size = 1 + random.nextInt(10);
            List<LedgerEntry> batch = delivered.subList(i, Math.min(delivered.size(), i + size));
            i += size;
            store.transaction(batch, 1 + random.nextInt(5), random.nextInt(3), applied, total);
        }
        while (store.pending) {
            store.transaction(List.of(), 1 + random.nextInt(5), random.nextInt(3), applied, total);
        }
        TreeMap<Long, LedgerEntry> stored = store.stored;
        long appliedSequence = store.appliedSequence;
        EntrySequencer.Cursor cursor = new EntrySequencer.Cursor(appliedSequence, stored);
        assertEquals(count, applied.size());
        for (int k = 0; k < count; k++) {
            assertEquals(k + 1, applied.get(k).sequence());
        }
        assertNull(EntrySequencer.decide(cursor, List.of()).gapExpected());
        BigDecimal sum = applied.stream().filter(e -> e.kind().isMoney()).map(LedgerEntry::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal projected = total.periods().values().stream()
                .map(p -> p.usageAmount().add(p.adjustmentsAmount())).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(projected));
        BigDecimal lines = total.lines().values().stream().map(BatchProjection.CellDelta::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal adjustments = total.adjustments().values().stream().reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal cells = total.summaryCells().values().stream().map(BatchProjection.CellDelta::amount)
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(lines.add(adjustments)), "lines + adjustments = total");
        assertEquals(0, sum.compareTo(cells), "summary cells = total");
    }

    /** The stored side of EntryApplier, simulated: waiting entries, cursor, a pending release. */
    private static final class Store {
        final TreeMap<Long, LedgerEntry> stored = new TreeMap<>();
        long appliedSequence;
        boolean pending;

        void transaction(List<LedgerEntry> batch, int chunk, int extraRounds, List<LedgerEntry> applied,
                BatchProjection total) {
            long from = appliedSequence;
            EntrySequencer.Cursor cursor;
            if (batch.isEmpty()) {
                cursor = new EntrySequencer.Cursor(from, stored.size(),
                        new TreeMap<>(stored.subMap(from + 1, true, from + chunk, true)), from + chunk);
            } else {
                boolean fillsGap = batch.stream().anyMatch(e -> e.sequence() == from + 1);
                long known = stored.isEmpty() ? Long.MAX_VALUE : fillsGap ? from + chunk : from + 1;
                TreeMap<Long, LedgerEntry> loaded = new TreeMap<>(stored.subMap(from + 1, true,
                        Math.max(from + 1, known), known != Long.MAX_VALUE));
                batch.forEach(e -> {
                    if (stored.containsKey(e.sequence())) {
                        loaded.put(e.sequence(), stored.get(e.sequence()));
                    }
                });
                assertEquals(true, loaded.size() <= batch.size() + chunk, "read back more than the batch needs");
                cursor = new EntrySequencer.Cursor(from, stored.size(), loaded, known);
            }
            EntrySequencer.Decision d = EntrySequencer.decide(cursor, batch);
            int rounds = 0;
            while (true) {
                d.released().forEach(stored::remove);
                d.newlyWaiting().forEach(e -> stored.put(e.sequence(), e));
                assertEquals(d.waitingCount(), stored.size());
                applied.addAll(d.applied());
                d.applied().forEach(total::add);
                appliedSequence = d.appliedSequence();
                pending = d.releaseIncomplete();
                if (!pending || rounds++ >= extraRounds) {
                    break;
                }
                long at = appliedSequence;
                d = EntrySequencer.decide(new EntrySequencer.Cursor(at, stored.size(),
                        new TreeMap<>(stored.subMap(at + 1, true, at + chunk, true)), at + chunk), List.of());
            }
            if (!pending) {
                assertEquals(false, stored.containsKey(appliedSequence + 1), "the next sequence waits");
                assertEquals(stored.isEmpty() ? null : appliedSequence + 1, d.gapExpected());
            }
        }
    }

    @Test
    void splittingABatchNeverChangesTheSums() {
        Seeded.forAll("splittingABatchNeverChangesTheSums", 1000,
                random -> splittingABatchNeverChangesTheSums(entryList(random), random.nextInt(41)));
    }

    private static void splittingABatchNeverChangesTheSums(List<LedgerEntry> entries, int cut) {
        BatchProjection whole = new BatchProjection();
        entries.forEach(whole::add);
        BatchProjection first = new BatchProjection();
        BatchProjection second = new BatchProjection();
        int at = Math.min(cut, entries.size());
        entries.subList(0, at).forEach(first::add);
        entries.subList(at, entries.size()).forEach(second::add);
        whole.lines().forEach((key, cell) -> {
            BigDecimal a = amount(first.lines(), key).add(amount(second.lines(), key));
            assertEquals(0, cell.amount().compareTo(a));
        });
        whole.periods().forEach((key, p) -> {
            long events = events(first, key) + events(second, key);
            assertEquals(p.eventCount(), events);
        });
    }

    @Test
    void amountDueIsTheTotalRoundedHalfEvenToTheMinorUnit() {
        Seeded.forAll("amountDueIsTheTotalRoundedHalfEvenToTheMinorUnit", 1000,
                random -> amountDueIsTheTotalRoundedHalfEvenToTheMinorUnit(
                        random.nextLong(-10_000_000_000L, 10_000_000_001L),
                        CURRENCIES[random.nextInt(CURRENCIES.length)]));
    }

    private static void amountDueIsTheTotalRoundedHalfEvenToTheMinorUnit(long units, String currency) {
        BigDecimal total = BigDecimal.valueOf(units, 8);
        BigDecimal due = Money.amountDue(total, currency);
        int digits = com.revshare.platform.Iso4217.minorUnit(currency);
        assertEquals(digits, due.scale());
        // the rounding error is at most half a minor unit, and exactly half only toward an even last digit
        BigDecimal error = total.subtract(due).abs();
        BigDecimal half = BigDecimal.ONE.movePointLeft(digits).divide(BigDecimal.valueOf(2));
        assertEquals(true, error.compareTo(half) <= 0);
        if (error.compareTo(half) == 0) {
            assertEquals(0, due.unscaledValue().mod(java.math.BigInteger.TWO).intValue());
        }
    }

    private static final String[] CURRENCIES = { "USD", "EUR", "JPY", "BHD", "KWD", "CLP", "GBP" };

    /** 0 to 40 entries with sequences 1..n. */
    static List<LedgerEntry> entryList(Random random) {
        int n = random.nextInt(41);
        List<LedgerEntry> out = new ArrayList<>();
        for (long s = 1; s <= n; s++) {
            out.add(entry(s, random));
        }
        return out;
    }

    private static BigDecimal amount(Map<BatchProjection.CellKey, BatchProjection.CellDelta> cells,
            BatchProjection.CellKey key) {
        BatchProjection.CellDelta c = cells.get(key);
        return c == null ? BigDecimal.ZERO : c.amount();
    }

    private static long events(BatchProjection p, BatchProjection.PeriodKey key) {
        BatchProjection.PeriodDelta d = p.periods().get(key);
        return d == null ? 0 : d.eventCount();
    }

    private static final EntryKind[] KINDS = EntryKind.values();
    private static final String[] MODELS = { "llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "mixtral" };
    private static final String[] METRICS = { "input_tokens", "output_tokens", "requests" };

    static LedgerEntry entry(long sequence, Random random) {
        EntryKind kind = KINDS[random.nextInt(KINDS.length)];
        boolean usage = kind == EntryKind.USAGE || kind == EntryKind.REVERSAL || kind == EntryKind.LATE_USAGE;
        BigDecimal amount = kind == EntryKind.PERIOD_CLOSED ? BigDecimal.ZERO
                : kind == EntryKind.PAYMENT ? BigDecimal.valueOf(1 + random.nextInt(1_000_000), 2).setScale(8)
                : BigDecimal.valueOf(random.nextLong() % 1_000_000_000_000L, 8);
        String period = "2026-" + (10 + random.nextInt(3));
        return new LedgerEntry("e" + sequence, "p1", sequence, period, kind, amount, "USD",
                usage ? "ev" + sequence : null, usage ? MODELS[random.nextInt(3)] : null,
                usage ? METRICS[random.nextInt(3)] : null, usage ? (long) random.nextInt(1_000_000) : null, null,
                null, null, usage ? amount.multiply(BigDecimal.TEN) : null, 1, "r", null, null, null, null,
                kind == EntryKind.PERIOD_CLOSED ? Instant.EPOCH : null, null, Instant.EPOCH.plusSeconds(sequence), null,
                null, kind == EntryKind.PAYMENT ? "pay-" + sequence : null,
                kind == EntryKind.PAYMENT ? java.time.LocalDate.of(2026, 12, 1) : null, null);
    }
}
