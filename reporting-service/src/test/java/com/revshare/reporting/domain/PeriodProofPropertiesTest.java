package com.revshare.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * SPEC §4.1 through the projection: a period's proof depends only on the set of entries, not on
 * the order the broker delivered them in, on batch boundaries, nor on re-publications (the same
 * sequence again, deduplicated by {@link EntrySequencer}). Seeded, 1000 tries, seed printed.
 */
class PeriodProofPropertiesTest {

    @Test
    void aPeriodsProofIsIndependentOfArrivalOrderAndRepublication() {
        Seeded.forAll("aPeriodsProofIsIndependentOfArrivalOrderAndRepublication", 1000, random -> {
            // given a partner's entries 1..n over three periods, each period's proof from the set itself
            List<LedgerEntry> entries = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (long s = 1; s <= n; s++) {
                entries.add(ProjectionPropertiesTest.entry(s, random));
            }
            Map<String, PeriodProof.Proof> expected = proofs(entries.stream()
                    .sorted(Comparator.comparingLong(LedgerEntry::sequence)).toList());

            // when they arrive shuffled, with re-publications, in random batches
            List<LedgerEntry> delivered = new ArrayList<>(entries);
            int republished = random.nextInt(n + 1);
            for (int i = 0; i < republished; i++) {
                delivered.add(entries.get(random.nextInt(n)));
            }
            Collections.shuffle(delivered, random);
            List<LedgerEntry> applied = new ArrayList<>();
            EntrySequencer.Cursor cursor = EntrySequencer.Cursor.initial();
            int i = 0;
            while (i < delivered.size()) {
                int size = 1 + random.nextInt(12);
                EntrySequencer.Decision d = EntrySequencer.decide(cursor,
                        delivered.subList(i, Math.min(delivered.size(), i + size)));
                i += size;
                applied.addAll(d.applied());
                TreeMap<Long, LedgerEntry> waiting = new TreeMap<>(cursor.waiting());
                d.released().forEach(waiting::remove);
                d.newlyWaiting().forEach(e -> waiting.put(e.sequence(), e));
                cursor = new EntrySequencer.Cursor(d.appliedSequence(), waiting);
            }

            // then every entry is applied once and each period's proof is the one of the set
            assertEquals(n, applied.size());
            assertEquals(expected, proofs(applied));
        });
    }

    @Test
    void aProofStoredAndResumedBatchByBatchIsTheProofOfThePeriod() {
        Seeded.forAll("aProofStoredAndResumedBatchByBatchIsTheProofOfThePeriod", 1000, random -> {
            // given a partner's entries 1..n over three periods, each period's proof from its entries' text
            List<LedgerEntry> entries = new ArrayList<>();
            int n = 1 + random.nextInt(60);
            for (long s = 1; s <= n; s++) {
                entries.add(ProjectionPropertiesTest.entry(s, random));
            }
            Map<String, PeriodProof.Proof> expected = proofs(entries);

            // when the projection folds them in random batches, storing each period's proof in progress
            // after every batch and resuming from what it stored (as period_proof rows)
            Map<String, PeriodProof.Saved> stored = new TreeMap<>();
            int i = 0;
            while (i < n) {
                int size = 1 + random.nextInt(12);
                Map<String, PeriodProof> batch = new TreeMap<>();
                for (LedgerEntry e : entries.subList(i, Math.min(n, i + size))) {
                    batch.computeIfAbsent(e.period(), p -> stored.containsKey(p)
                            ? PeriodProof.resume(stored.get(p)) : new PeriodProof()).add(e);
                }
                i += size;
                batch.forEach((period, proof) -> stored.put(period, proof.saved()));
            }

            // then each period's stored proof gives the proof of all its entries
            Map<String, PeriodProof.Proof> resumed = new TreeMap<>();
            stored.forEach((period, saved) -> resumed.put(period, PeriodProof.resume(saved).result()));
            assertEquals(expected, resumed);
        });
    }

    /** Each period's proof over the entries as the read model keeps them (in applied = sequence order). */
    private static Map<String, PeriodProof.Proof> proofs(List<LedgerEntry> inSequenceOrder) {
        Map<String, PeriodProof> byPeriod = new TreeMap<>();
        for (LedgerEntry e : inSequenceOrder) {
            byPeriod.computeIfAbsent(e.period(), p -> new PeriodProof()).add(e.sequence(), e.entryId(),
                    e.kind().name(), e.amount().toPlainString(), e.currency(), e.usageEventId(), e.model(),
                    e.metric(), text(e.quantity()), e.settlementRevenue() == null ? null
                            : e.settlementRevenue().toPlainString(), text(e.agreementVersion()), e.ruleId(),
                    e.reversesEntryId(), e.originalPeriod());
        }
        Map<String, PeriodProof.Proof> out = new TreeMap<>();
        byPeriod.forEach((period, proof) -> out.put(period, proof.result()));
        return out;
    }

    private static String text(Object value) {
        return value == null ? null : value.toString();
    }
}
