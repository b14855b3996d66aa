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

    /**
     * A partner's state before the batch: the last applied sequence, how many entries wait behind a
     * gap, and those of the waiting entries the caller has loaded. A caller need not load every
     * waiting entry (there may be millions behind a permanent gap): it must load each waiting entry
     * whose sequence is delivered in the batch (to recognise re-deliveries), and every waiting entry
     * with a sequence up to {@code waitingKnownThrough} (at least the one after
     * {@code appliedSequence}: it waits only while a release of waiting entries is unfinished,
     * and loading it lets any batch go on with that release).
     *
     * @param appliedSequence     last applied sequence (0 = none)
     * @param waitingCount        how many entries wait in all
     * @param waiting             the loaded waiting entries by sequence
     * @param waitingKnownThrough every waiting entry with a sequence at or below this is in {@code waiting}
     */
    public record Cursor(long appliedSequence, int waitingCount, SortedMap<Long, LedgerEntry> waiting,
            long waitingKnownThrough) {

        /** A cursor whose every waiting entry is loaded. */
        public Cursor(long appliedSequence, SortedMap<Long, LedgerEntry> waiting) {
            this(appliedSequence, waiting.size(), waiting, Long.MAX_VALUE);
        }

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
     * @param conflictingEntries re-deliveries whose content differs from the entry known for that
     *                       sequence (the known one stays; the caller holds these visibly)
     * @param appliedSequence the cursor after the batch
     * @param waitingCount   entries waiting after the batch
     * @param gapExpected    the missing sequence entries wait for, or null when none wait
     * @param releaseIncomplete the run stopped past {@code waitingKnownThrough} while entries still
     *                       wait: the next of them may continue it, so load the waiting entries after
     *                       {@code appliedSequence} and decide again (with nothing delivered)
     */
    public record Decision(List<LedgerEntry> applied, List<LedgerEntry> newlyWaiting, List<Long> released,
            int redelivered, List<LedgerEntry> conflictingEntries, long appliedSequence, int waitingCount, Long gapExpected,
            boolean releaseIncomplete) {
        public int conflicting() {
            return conflictingEntries.size();
        }

        public boolean hasGap() {
            return gapExpected != null && !releaseIncomplete;
        }
    }

    public static Decision decide(Cursor cursor, Collection<LedgerEntry> delivered) {
        TreeMap<Long, LedgerEntry> candidates = new TreeMap<>(cursor.waiting());
        Map<Long, LedgerEntry> fresh = new TreeMap<>();
        int redelivered = 0;
        List<LedgerEntry> conflicting = new ArrayList<>();
        for (LedgerEntry entry : delivered) {
            long sequence = entry.sequence();
            LedgerEntry known = candidates.get(sequence);
            if (sequence <= cursor.appliedSequence() || known != null) {
                redelivered++;
                if (known != null && !known.sameEntryAs(entry)) {
                    conflicting.add(entry);
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
        int waitingCount = cursor.waitingCount() + newlyWaiting.size() - released.size();
        Long gapExpected = waitingCount > 0 ? next : null;
        boolean releaseIncomplete = waitingCount > 0 && next > cursor.waitingKnownThrough();
        return new Decision(applied, newlyWaiting, released, redelivered, conflicting, next - 1, waitingCount,
                gapExpected, releaseIncomplete);
    }
}
