package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.d;
import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.perUnit;
import static com.revshare.ledger.domain.Terms.qty;
import static com.revshare.ledger.domain.Terms.tiered;
import static com.revshare.ledger.domain.Terms.usd;
import static com.revshare.ledger.domain.Terms.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.YearMonth;
import java.util.List;

import org.junit.jupiter.api.Test;

/** SPEC §3.6: parking with a reason, automatic rating, write-offs, re-rating by REVERSAL + USAGE or parking. */
class Spec3_6_UnratedWriteOffReRatingTest {

    @Test
    void anEventWithoutAgreementIsParkedNoAgreementAndRatedWhenAVersionCoversIt() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD");
        s.usage(event("e", "2026-10-03T00:00:00Z", 1, "10"), event("dec", "2026-12-03T00:00:00Z", 1, "10"));
        assertEquals(List.of(UnratedReason.NO_AGREEMENT, UnratedReason.NO_AGREEMENT),
                s.unrated().stream().map(UsageRecord::reason).toList());
        s.agreement(version("2026-10-01T00:00:00Z", "2026-11-01T00:00:00Z", "USD", null, null,
                percent("rev", "*", "*", "0.1")));
        assertEquals("1.00000000", s.entryFor("e").amount().toPlainString());
        assertEquals("admin", s.entryFor("e").actor());
        assertEquals(List.of("dec"), s.unrated().stream().map(r -> r.event().eventId()).toList());
    }

    @Test
    void anEventWithoutMatchingRuleIsParkedAndRatedWhenANewVersionHasOne() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-10-01T00:00:00Z", perUnit("8b", "llama-3.1-8b*", "*", "1", 1)));
        s.usage(event("70b", "2026-10-03T00:00:00Z", 7, null));
        assertEquals(UnratedReason.NO_MATCHING_RULE, s.unrated().get(0).reason());
        s.agreement(usd("2026-10-01T00:00:00Z", perUnit("8b", "llama-3.1-8b*", "*", "1", 1),
                perUnit("any", "*", "*", "2", 1)));
        assertTrue(s.unrated().isEmpty());
        assertEquals("14.00000000", s.entryFor("70b").amount().toPlainString());
        assertEquals(2, s.entryFor("70b").agreementVersion());
    }

    @Test
    void aParkedEventsReasonFollowsWhatNowStopsIt() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD");
        s.usage(event("eur", "2026-10-03T00:00:00Z", "m", "requests", 1, "5", "EUR"));
        assertEquals(UnratedReason.NO_AGREEMENT, s.unrated().get(0).reason());
        s.agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.1")));
        assertEquals(UnratedReason.NO_FX_RATE, s.unrated().get(0).reason());
    }

    @Test
    void writeOffRemovesTheEventFromTheListWithActorAndMemoAndNoEntry() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD");
        s.usage(event("e", "2026-10-03T00:00:00Z", 1, "10"));
        s.writeOff("e", "test traffic");
        LedgerEvent.UsageWrittenOff off = (LedgerEvent.UsageWrittenOff) s.last.get(0);
        assertEquals("finance", off.actor());
        assertEquals("test traffic", off.memo());
        assertTrue(s.unrated().isEmpty());
        s.agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.1")));
        assertTrue(s.entries().isEmpty(), "a written-off event is never rated");
    }

    @Test
    void writeOffNeedsAMemoAnUnratedEventAndAKnownId() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.1")));
        s.usage(event("rated", "2026-10-03T00:00:00Z", 1, "10"), event("parked", "2026-10-03T00:00:00Z", 1, null));
        assertEquals("memo", assertThrows(InvalidFieldException.class, () -> s.writeOff("parked", " ")).field());
        assertThrows(LedgerConflictException.class, () -> s.writeOff("rated", "no"));
        assertThrows(NotFoundException.class, () -> s.writeOff("nope", "no"));
        s.writeOff("parked", "ok");
        assertThrows(LedgerConflictException.class, () -> s.writeOff("parked", "again"));
    }

    @Test
    void aNewGoverningVersionReRatesOpenPeriodEventsByReversalAndNewUsage() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.1")));
        s.usage(event("early", "2026-10-03T00:00:00Z", 5, "10"), event("later", "2026-10-20T00:00:00Z", 5, "30"));
        LedgerEntry original = s.entryFor("later");
        s.agreement(usd("2026-10-15T00:00:00Z", percent("rev2", "*", "*", "0.2")));
        List<LedgerEntry> caused = s.lastEntries();
        assertEquals(List.of(EntryKind.REVERSAL, EntryKind.USAGE), caused.stream().map(LedgerEntry::kind).toList());
        LedgerEntry reversal = caused.get(0);
        assertEquals(original.entryId(), reversal.reversesEntryId());
        assertEquals("-3.00000000", reversal.amount().toPlainString());
        assertEquals(-5L, reversal.quantity());
        assertEquals(0, reversal.revenue().amount().compareTo(d("-30")));
        assertEquals(0, reversal.settlementRevenue().compareTo(d("-30")));
        assertEquals(original.model(), reversal.model());
        assertEquals(original.metric(), reversal.metric());
        assertEquals(original.period(), reversal.period());
        assertEquals("later", reversal.usageEventId());
        assertEquals(original.eventTime(), reversal.eventTime());
        assertEquals(1, reversal.agreementVersion());
        assertEquals("rev", reversal.ruleId());
        assertEquals("admin", reversal.actor());
        assertEquals("6.00000000", caused.get(1).amount().toPlainString());
        assertEquals(2, caused.get(1).agreementVersion());
        assertEquals(1, s.entryFor("early").agreementVersion(), "outside the new range: untouched");
        assertEquals(2, s.state.eventCount(YearMonth.of(2026, 10)));
        assertEquals(0, s.total("2026-10").compareTo(d("7")));
    }

    @Test
    void reRatingParksTheEventWhenTheNewVersionCannotRateIt() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.1")));
        s.usage(event("e", "2026-10-03T00:00:00Z", 5, "10"));
        s.agreement(usd("2026-10-01T00:00:00Z", perUnit("8b", "llama-3.1-8b*", "*", "1", 1)));
        assertEquals(List.of(EntryKind.REVERSAL), s.lastEntries().stream().map(LedgerEntry::kind).toList());
        assertEquals(UnratedReason.NO_MATCHING_RULE, s.unrated().get(0).reason());
        assertEquals(0, s.state.eventCount(YearMonth.of(2026, 10)));
        assertEquals(0, s.total("2026-10").signum());
    }

    @Test
    void reRatingTouchesOnlyOpenPeriods() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.1")));
        s.usage(event("oct", "2026-10-03T00:00:00Z", 1, "10"), event("nov", "2026-11-03T00:00:00Z", 1, "10"));
        s.close("2026-10");
        s.agreement(usd("2026-11-01T00:00:00Z", percent("rev", "*", "*", "0.5")));
        assertEquals(1, s.entryFor("oct").agreementVersion());
        assertEquals(2, s.entryFor("nov").agreementVersion());
        assertEquals(1, s.entries(EntryKind.REVERSAL).size());
    }

    @Test
    void reRatingMovesTierCountersFromTheOldToTheNewVersion() {
        var tiers = tiered("t", "*", "*", "QUANTITY", "GRADUATED", qty(1000L, "0.05", 1), qty(null, "0.02", 1));
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-10-01T00:00:00Z", tiers));
        s.usage(event("a", "2026-10-03T00:00:00Z", 800, null), event("b", "2026-10-04T00:00:00Z", 400, null));
        s.agreement(usd("2026-10-01T00:00:00Z", tiers));
        YearMonth oct = YearMonth.of(2026, 10);
        assertEquals(0, s.state.counter(new TierKey(oct, 1, "t")).signum());
        assertEquals(0, s.state.counter(new TierKey(oct, 2, "t")).compareTo(d("1200")));
        s.close("2026-10");
        assertEquals(0, s.total("2026-10").compareTo(d("54")), "1000 × 0.05 + 200 × 0.02");
    }

    /**
     * What a store does when it re-rates in chunks: the version alone first (nothing loaded to
     * re-rate), then ReRate over slices of the stale entries. The entries equal those of adding the
     * version over the whole state at once, and ReRate over fresh entries does nothing.
     */
    @Test
    void reRatingInChunksAfterTheVersionGivesTheSameEntriesAsReRatingAtOnce() {
        var v1 = usd("2026-10-01T00:00:00Z", tiered("t", "*", "*", "QUANTITY", "GRADUATED", qty(1000L, "0.05", 1),
                qty(null, "0.02", 1)));
        var v2 = usd("2026-10-10T00:00:00Z", tiered("t", "*", "*", "QUANTITY", "VOLUME", qty(500L, "0.07", 1),
                qty(null, "0.01", 1)), percent("rev", "*", "*", "0.3"));
        UsageEvent[] events = {event("a", "2026-10-03T00:00:00Z", 800, null), event("b", "2026-10-11T00:00:00Z", 400,
            null), event("c", "2026-10-12T00:00:00Z", 300, "5"), event("d", "2026-10-13T00:00:00Z", 200, null)};
        LedgerScenario atOnce = LedgerScenario.partner("aws", "USD").agreement(v1).usage(events).agreement(v2);

        LedgerScenario chunked = LedgerScenario.partner("aws", "USD").agreement(v1).usage(events);
        List<LedgerEntry> current = chunked.state.usage().stream().map(UsageRecord::current).toList();
        PartnerLedger versionOnly = new PartnerLedger("aws", "USD").withSnapshot(chunked.state.versions(), null,
                chunked.state.lastSequence());
        chunked.state.apply(LedgerDecider.decide(new LedgerCommand.AddAgreementVersion(v2), versionOnly,
                chunked.ctx("admin")).get(0));
        for (List<LedgerEntry> slice : List.of(current.subList(0, 2), current.subList(2, 4))) {
            PartnerLedger loaded = new PartnerLedger("aws", "USD").withSnapshot(chunked.state.versions(), null,
                    chunked.state.lastSequence());
            chunked.state.counters().forEach(loaded::loadCounter);
            slice.forEach(e -> loaded.loadUsage(chunked.state.usage(e.usageEventId())));
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.ReRate(), loaded, chunked.ctx("admin"));
            decided.forEach(chunked.state::apply);
            chunked.history.addAll(decided);
        }
        assertEquals(atOnce.entries().stream().map(e -> e.sequence() + " " + e.kind() + " " + e.usageEventId() + " "
                + e.amount()).toList(), chunked.entries().stream().map(e -> e.sequence() + " " + e.kind() + " "
                        + e.usageEventId() + " " + e.amount()).toList());
        assertEquals(3, chunked.entries(EntryKind.REVERSAL).size());
        assertTrue(LedgerDecider.decide(new LedgerCommand.ReRate(), chunked.state, chunked.ctx("admin")).isEmpty());
    }
}
