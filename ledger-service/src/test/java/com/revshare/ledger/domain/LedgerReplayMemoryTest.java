package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.Terms.perUnit;
import static com.revshare.ledger.domain.Terms.usd;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.IntFunction;

import org.junit.jupiter.api.Test;

/**
 * Issue 13.4: a proof's replay runs in bounded memory. Given a partner with 42,000 events — a force-closed
 * month, then 40,000 events in an OPEN month, some parked — a version that re-rates half of them in chunks,
 * the parked ones rated in pages, a write-off and more usage: the replay posts exactly the entries the
 * decider posts with the whole state in memory, while it keeps none of the usage records itself (they live
 * in its {@link ReplayMemory}): after the run every usage event it was given can be collected, and no decision
 * held more records than its batch or chunk. Before the memory port, the replay's state held every open
 * period's record (this test's retention check failed with all 40,000 events still reachable).
 */
class LedgerReplayMemoryTest {
    private static final String P = "big";
    private static final int BATCH = 1000;
    private static final int CHUNK = 1000;

    /** The n-th event: mostly llama (rated), every 50th mistral (no rule in version 1: parked). */
    private static UsageEvent event(String month, int n) {
        Instant time = Instant.parse(month + "-01T00:00:00Z").plusSeconds(n * 60L);
        return new UsageEvent(P, "e-" + month + "-" + n, time, n % 50 == 0 ? "mistral-7b" : "llama-3",
                "output_tokens", 1000 + n % 7, null, null);
    }

    @Test
    void aReplayOfAnOpenMonthWithFortyThousandEventsKeepsNoRecordOnTheHeapAndPostsTheDecidersEntries() {
        // the reference: the decider with the partner's whole state in memory
        PartnerLedger full = new PartnerLedger(P, "USD");
        long[] refIds = {0};
        List<LedgerEntry> expected = new ArrayList<>();
        // the replay: its records in a memory off its heap (here a map of copies, as a store would hold rows)
        CopyingMemory memory = new CopyingMemory();
        List<LedgerEntry> replayed = new ArrayList<>();
        LedgerReplay replay = new LedgerReplay(P, "USD", memory, replayed::add);
        List<WeakReference<UsageEvent>> given = new ArrayList<>();
        Instant at = Instant.parse("2026-12-05T00:00:00Z");
        FxRates fx = FxRates.NONE;

        class Both {
            void decide(LedgerCommand reference, LedgerCommand... replayCommands) {
                for (LedgerEvent e : LedgerDecider.handle(reference, full,
                        new LedgerContext(at, null, fx, () -> new UUID(0, ++refIds[0])))) {
                    if (e instanceof LedgerEvent.EntryPosted p) {
                        expected.add(p.entry());
                    }
                }
                for (LedgerCommand c : replayCommands) {
                    replay.decide(c, at, fx);
                    assertEquals(0, replay.heldRecords(), "records left on the replay's heap after " + c);
                }
            }

            void usage(String month, int from, int count) {
                IntFunction<UsageEvent> e = n -> event(month, n);
                List<UsageEvent> reference = new ArrayList<>();
                List<UsageEvent> forReplay = new ArrayList<>();
                for (int n = from; n < from + count; n++) {
                    reference.add(e.apply(n));
                    UsageEvent mine = e.apply(n); // an equal but distinct object: only the replay may hold it
                    forReplay.add(mine);
                    given.add(new WeakReference<>(mine));
                }
                decide(new LedgerCommand.RecordUsage(reference), new LedgerCommand.RecordUsage(forReplay));
            }
        }
        Both both = new Both();

        // given version 1 (llama only) and a force-closed October with parked events
        LedgerDecider.handle(new LedgerCommand.AddAgreementVersion(usd("2026-10-01T00:00:00Z",
                perUnit("llama", "llama*", "*", "0.002", 1))), full,
                new LedgerContext(at, null, fx, () -> new UUID(0, ++refIds[0])));
        replay.agreementAdded(full.version(1));
        both.usage("2026-10", 0, 2000);
        both.decide(new LedgerCommand.ClosePeriod(YearMonth.parse("2026-10"), true),
                new LedgerCommand.ClosePeriod(YearMonth.parse("2026-10"), true));
        // and 40,000 events in the OPEN month November
        for (int b = 0; b < 40; b++) {
            both.usage("2026-11", b * BATCH, BATCH);
        }

        // when version 2 (from Nov 15, llama and mistral) re-rates half of November in chunks and rates the
        // parked November events in pages, as the store journals them
        List<LedgerEvent> added = LedgerDecider.handle(new LedgerCommand.AddAgreementVersion(usd(
                "2026-11-15T00:00:00Z", perUnit("llama", "llama*", "*", "0.003", 1),
                perUnit("mistral", "mistral*", "*", "0.001", 1))), full,
                new LedgerContext(at, null, fx, () -> new UUID(0, ++refIds[0])));
        added.stream().filter(e -> e instanceof LedgerEvent.EntryPosted).map(e -> ((LedgerEvent.EntryPosted) e).entry())
                .forEach(expected::add);
        replay.agreementAdded(full.version(2));
        int reversals;
        do {
            int before = replayed.size();
            replay.decide(new LedgerCommand.ReRate(0, CHUNK), at, fx);
            reversals = (int) replayed.subList(before, replayed.size()).stream()
                    .filter(e -> e.kind() == EntryKind.REVERSAL).count();
            assertEquals(0, replay.heldRecords());
        } while (reversals > 0);
        // the pages of parked events, as the store reads them (a page's last record is the next cursor)
        Instant afterTime = null;
        String afterId = null;
        List<UsageRecord> page;
        while (!(page = memory.unratedAfter(afterTime, afterId, CHUNK)).isEmpty()) {
            replay.decide(new LedgerCommand.RatePending(afterTime, afterId, CHUNK), at, fx);
            assertEquals(0, replay.heldRecords());
            afterTime = page.get(page.size() - 1).event().time();
            afterId = page.get(page.size() - 1).event().eventId();
        }
        // and a parked October event is written off, then more November usage arrives
        both.decide(new LedgerCommand.WriteOff("e-2026-10-50", "gave up"),
                new LedgerCommand.WriteOff("e-2026-10-50", "gave up"));
        both.usage("2026-11", 40_000, BATCH);

        // then the replay posted exactly the decider's entries
        assertTrue(expected.size() > 60_000, "re-rating happened: " + expected.size());
        assertEquals(expected.size(), replayed.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), replayed.get(i), "entry " + (i + 1));
        }
        // and no decision held more records than its batch or its chunk (loaded, then recalled to fold), and
        // none is left on its heap
        assertTrue(replay.heldRecordsPeak() <= BATCH + CHUNK, "peak " + replay.heldRecordsPeak());
        assertEquals(0, replay.heldRecords());
        // and every event object given to the replay is unreachable from it (the memory holds copies)
        await().until(() -> {
            System.gc();
            return given.stream().filter(w -> w.get() != null).count() == 0;
        });
        // while its memory holds the open month's records and the parked October ones, not the settled October
        assertEquals(41_000 + 2000 / 50 - 1, memory.records.size());
        Objects.requireNonNull(replay); // the replay itself stayed reachable throughout
    }

    /** A memory that holds copies of the records (as a store holds rows), answering like the proof's table. */
    private static final class CopyingMemory implements ReplayMemory {
        final Map<String, UsageRecord> records = new HashMap<>();

        private static UsageRecord copy(UsageRecord r) {
            UsageEvent e = r.event();
            return new UsageRecord(new UsageEvent(e.partnerId(), e.eventId(), e.time(), e.model(), e.metric(),
                    e.quantity(), e.revenue(), e.region()), r.status(), r.reason(), r.current());
        }

        @Override
        public void remember(Collection<UsageRecord> rs) {
            rs.forEach(r -> records.put(r.event().eventId(), copy(r)));
        }

        @Override
        public Map<String, UsageRecord> recall(Collection<String> eventIds) {
            Map<String, UsageRecord> found = new HashMap<>();
            eventIds.stream().filter(records::containsKey).forEach(id -> found.put(id, copy(records.get(id))));
            return found;
        }

        @Override
        public void forget(Collection<String> eventIds) {
            eventIds.forEach(records::remove);
        }

        @Override
        public List<UsageRecord> ratedAfter(long afterSequence, int belowVersion, int limit) {
            return records.values().stream()
                    .filter(r -> r.status() == UsageRecord.UsageStatus.RATED && r.current() != null
                            && r.current().kind() == EntryKind.USAGE && r.current().sequence() > afterSequence
                            && r.current().agreementVersion() < belowVersion)
                    .sorted(Comparator.comparingLong(r -> r.current().sequence())).limit(limit).map(CopyingMemory::copy)
                    .toList();
        }

        @Override
        public List<UsageRecord> unratedAfter(Instant afterTime, String afterId, int limit) {
            return records.values().stream().filter(r -> r.status() == UsageRecord.UsageStatus.UNRATED)
                    .filter(r -> afterTime == null || r.event().time().isAfter(afterTime)
                            || (r.event().time().equals(afterTime) && r.event().eventId().compareTo(afterId) > 0))
                    .sorted(Comparator.comparing((UsageRecord r) -> r.event().time())
                            .thenComparing(r -> r.event().eventId()))
                    .limit(limit).map(CopyingMemory::copy).toList();
        }

        @Override
        public void forgetSettled(YearMonth period) {
            records.values().removeIf(r -> r.status() != UsageRecord.UsageStatus.UNRATED
                    && ReplayMemory.periodOf(r).equals(period));
        }
    }
}
