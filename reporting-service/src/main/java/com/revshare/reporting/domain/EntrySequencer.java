package com.revshare.reporting.domain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Decides, for one partner, which delivered entries to apply so that each sequence is applied
 * exactly once and in order (SPEC §4: sequence is gapless per partner from 1).
 * <p>
 * Given the partner's cursor (last applied sequence and the entries already waiting behind a
 * gap) and a batch of delivered entries, it applies the run that continues the cursor, counts
 * re-deliveries (a sequence at or below the cursor, or one already waiting or repeated in the
 * batch) and leaves everything beyond a missing sequence waiting rather than skipping it.
 */
public final class EntrySequencer {
    private EntrySequencer() {
    }

    /** A partner's state before the batch. */
    public record Cursor(long appliedSequence, SortedMap<Long, LedgerEntry> waiting) {
        public static Cursor initial() {
            return new Cursor(0, new TreeMap<>());
        }
    }

    /**
     * The outcome for one partner.
     *
     * @param applied        entries to apply now, in sequence order
     * @param newlyWaiting   delivered entries that must wait behind a gap (to be stored)
     * @param released       sequences that were waiting and are applied now (to be removed)
     * @param redelivered    delivered entries already applied or already known
     * @param conflicting    re-deliveries whose content differs from the entry known for that sequence
     * @param appliedSequence the cursor after the batch
     * @param waitingCount   entries waiting after the batch
     * @param gapExpected    the missing sequence entries wait for, or null when none wait
     */
    public record Decision(List<LedgerEntry> applied, List<LedgerEntry> newlyWaiting, List<Long> released,
            int redelivered, int conflicting, long appliedSequence, int waitingCount, Long gapExpected) {
        public boolean hasGap() {
            return gapExpected != null;
        }
    }

    public static Decision decide(Cursor cursor, Collection<LedgerEntry> delivered) {
        TreeMap<Long, LedgerEntry> candidates = new TreeMap<>(cursor.waiting());
        Map<Long, LedgerEntry> fresh = new TreeMap<>();
        int redelivered = 0;
        int conflicting = 0;
        for (LedgerEntry entry : delivered) {
            long sequence = entry.sequence();
            LedgerEntry known = candidates.get(sequence);
            if (sequence <= cursor.appliedSequence() || known != null) {
                redelivered++;
                if (known != null && !known.sameEntryAs(entry)) {
                    conflicting++;
                }
                continue;
            }
            candidates.put(sequence, entry);
            fresh.put(sequence, entry);
        }
        List<LedgerEntry> applied = new ArrayList<>();
        List<Long> released = new ArrayList<>();
        long next = cursor.appliedSequence() + 1;
        while (!candidates.isEmpty() && candidates.firstKey() == next) {
            LedgerEntry entry = candidates.pollFirstEntry().getValue();
            applied.add(entry);
            if (cursor.waiting().containsKey(next)) {
                released.add(next);
            }
            next++;
        }
        List<LedgerEntry> newlyWaiting = new ArrayList<>();
        for (LedgerEntry entry : candidates.values()) {
            if (fresh.containsKey(entry.sequence())) {
                newlyWaiting.add(entry);
            }
        }
        Long gapExpected = candidates.isEmpty() ? null : next;
        return new Decision(applied, newlyWaiting, released, redelivered, conflicting, next - 1, candidates.size(),
                gapExpected);
    }
}
