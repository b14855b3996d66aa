package com.revshare.reporting.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/** Exactly once and in order per partner: re-deliveries skipped, gaps wait, never skipped. */
class EntrySequencerTest {

    static LedgerEntry entry(long sequence) {
        return entry("p1", sequence, "0.00000001");
    }

    static LedgerEntry entry(String partner, long sequence, String amount) {
        return new LedgerEntry("id-" + partner + "-" + sequence, partner, sequence, "2026-11", EntryKind.USAGE,
                new BigDecimal(amount), "USD", "ev" + sequence, "m", "requests", 1L, null, null, null, null, 1, "r",
                null, null, null, null, null, null, Instant.EPOCH.plusSeconds(sequence), null, null, null, null, null);
    }

    @Test
    void givenAFreshPartner_whenEntriesArriveInOrder_thenAllApply() {
        EntrySequencer.Decision d = EntrySequencer.decide(EntrySequencer.Cursor.initial(),
                List.of(entry(1), entry(2), entry(3)));
        assertEquals(List.of(1L, 2L, 3L), d.applied().stream().map(LedgerEntry::sequence).toList());
        assertEquals(3, d.appliedSequence());
        assertEquals(0, d.redelivered());
        assertNull(d.gapExpected());
    }

    @Test
    void givenAppliedUpToTwo_whenOneToFourArriveWithRepeats_thenOnlyThreeAndFourApply() {
        EntrySequencer.Decision d = EntrySequencer.decide(new EntrySequencer.Cursor(2, new TreeMap<>()),
                List.of(entry(1), entry(2), entry(3), entry(3), entry(4)));
        assertEquals(List.of(3L, 4L), d.applied().stream().map(LedgerEntry::sequence).toList());
        assertEquals(3, d.redelivered());
        assertEquals(4, d.appliedSequence());
    }

    @Test
    void givenAGap_whenLaterEntriesArrive_thenTheyWaitAndTheGapIsReported() {
        EntrySequencer.Decision d = EntrySequencer.decide(new EntrySequencer.Cursor(1, new TreeMap<>()),
                List.of(entry(3), entry(4)));
        assertEquals(List.of(), d.applied());
        assertEquals(List.of(3L, 4L), d.newlyWaiting().stream().map(LedgerEntry::sequence).toList());
        assertEquals(2L, d.gapExpected());
        assertEquals(2, d.waitingCount());
        assertEquals(1, d.appliedSequence());
    }

    @Test
    void givenEntriesWaiting_whenTheMissingOneArrives_thenAllApplyInOrderAndAreReleased() {
        TreeMap<Long, LedgerEntry> waiting = new TreeMap<>();
        waiting.put(3L, entry(3));
        waiting.put(4L, entry(4));
        waiting.put(6L, entry(6));
        EntrySequencer.Decision d = EntrySequencer.decide(new EntrySequencer.Cursor(1, waiting),
                List.of(entry(4), entry(2)));
        assertEquals(List.of(2L, 3L, 4L), d.applied().stream().map(LedgerEntry::sequence).toList());
        assertEquals(List.of(3L, 4L), d.released());
        assertEquals(1, d.redelivered());
        assertEquals(5L, d.gapExpected());
        assertEquals(1, d.waitingCount());
        assertEquals(List.of(), d.newlyWaiting());
    }

    @Test
    void givenAWaitingEntry_whenADifferentEntryArrivesForItsSequence_thenItIsAConflictAndTheFirstStays() {
        TreeMap<Long, LedgerEntry> waiting = new TreeMap<>();
        waiting.put(3L, entry(3));
        EntrySequencer.Decision d = EntrySequencer.decide(new EntrySequencer.Cursor(1, waiting),
                List.of(entry("p1", 3, "9.00000000")));
        assertEquals(1, d.conflicting());
        assertEquals(List.of(), d.newlyWaiting());
    }

    @Test
    void givenManyWaitingButOnlySomeLoaded_whenTheRunPassesWhatIsLoaded_thenTheReleaseIsIncomplete() {
        // 5 entries wait (3..7) behind missing 2; only 3 and 4 were read back (known through 4)
        TreeMap<Long, LedgerEntry> loaded = new TreeMap<>();
        loaded.put(3L, entry(3));
        loaded.put(4L, entry(4));
        EntrySequencer.Decision d = EntrySequencer.decide(new EntrySequencer.Cursor(1, 5, loaded, 4),
                List.of(entry(2)));
        assertEquals(List.of(2L, 3L, 4L), d.applied().stream().map(LedgerEntry::sequence).toList());
        assertEquals(3, d.waitingCount());
        assertEquals(true, d.releaseIncomplete());
        assertEquals(false, d.hasGap(), "not a gap before 5 has been looked for");
    }

    @Test
    void givenEntriesWaitingButNoneLoaded_whenNewOnesArriveBehindTheGap_thenTheyWaitAndAreCounted() {
        EntrySequencer.Decision d = EntrySequencer.decide(new EntrySequencer.Cursor(1, 1000, new TreeMap<>(), 2),
                List.of(entry(5000), entry(5001)));
        assertEquals(List.of(), d.applied());
        assertEquals(1002, d.waitingCount());
        assertEquals(2L, d.gapExpected());
        assertEquals(false, d.releaseIncomplete());
        assertEquals(true, d.hasGap());
    }
}
