package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.d;
import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.qty;
import static com.revshare.ledger.domain.Terms.tiered;
import static com.revshare.ledger.domain.Terms.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import org.junit.jupiter.api.Test;

/** SPEC §3.5: periods, ordered close, true-ups, minimum and cap, PERIOD_CLOSED, forced close, late events. */
class Spec3_5_PeriodsCloseLateTest {

    private static LedgerScenario percentFrom(String from, String minimum, String cap) {
        return LedgerScenario.partner("aws", "USD")
                .agreement(version(from, null, "USD", minimum, cap, percent("rev", "*", "*", "0.1")));
    }

    private static List<EntryKind> kinds(List<LedgerEntry> entries) {
        return entries.stream().map(LedgerEntry::kind).toList();
    }

    @Test
    void aPeriodThatHasNotEndedCannotBeClosed() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", null, null).at("2026-10-31T23:59:59Z");
        assertThrows(LedgerConflictException.class, () -> s.close("2026-10"));
        s.at("2026-11-01T00:00:00Z").close("2026-10");
        assertTrue(s.state.isClosed(YearMonth.of(2026, 10)));
    }

    @Test
    void periodsCloseOneAtATimeInOrderFromTheEarliestVersionsMonth() {
        LedgerScenario s = percentFrom("2026-09-15T00:00:00Z", null, null);
        assertThrows(LedgerConflictException.class, () -> s.close("2026-10"), "2026-09 is still OPEN");
        assertThrows(LedgerConflictException.class, () -> s.close("2026-08"), "before the first period");
        s.close("2026-09").close("2026-10");
        assertEquals(YearMonth.of(2026, 10), s.state.lastClosed());
    }

    @Test
    void closingAClosedPeriodAgainChangesNothing() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", "10", null).close("2026-10");
        int entries = s.entries().size();
        s.close("2026-10");
        assertTrue(s.last.isEmpty());
        assertEquals(entries, s.entries().size());
    }

    @Test
    void periodClosedEntryIsNoMoneyAndCarriesClosedAtAndActor() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", null, null).at("2026-11-02T08:00:00Z");
        s.usage(event("e", "2026-10-03T00:00:00Z", 1, "10")).close("2026-10");
        LedgerEntry closed = s.entries(EntryKind.PERIOD_CLOSED).get(0);
        assertEquals("0.00000000", closed.amount().toPlainString());
        assertEquals(Instant.parse("2026-11-02T08:00:00Z"), closed.closedAt());
        assertEquals("admin", closed.actor());
        assertEquals(2, closed.sequence());
        assertNull(closed.usageEventId());
    }

    @Test
    void anEmptyMonthIsClosedAndItsMinimumStillApplies() {
        LedgerScenario s = percentFrom("2026-09-01T00:00:00Z", "100.50", null).close("2026-09");
        assertEquals(List.of(EntryKind.MINIMUM_TRUE_UP, EntryKind.PERIOD_CLOSED), kinds(s.lastEntries()));
        assertEquals("100.50000000", s.lastEntries().get(0).amount().toPlainString());
    }

    @Test
    void minimumTrueUpTopsTheTotalUpToTheMinimum() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", "10", "1000");
        s.usage(event("e", "2026-10-03T00:00:00Z", 1, "33.33")).close("2026-10");
        assertEquals("6.66700000", s.entries(EntryKind.MINIMUM_TRUE_UP).get(0).amount().toPlainString());
        assertEquals(0, s.total("2026-10").compareTo(d("10")));
    }

    @Test
    void capAdjustmentBringsTheTotalDownToTheCap() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", "1", "25");
        s.usage(event("e", "2026-10-03T00:00:00Z", 1, "300")).close("2026-10");
        assertEquals("-5.00000000", s.entries(EntryKind.CAP_ADJUSTMENT).get(0).amount().toPlainString());
        assertTrue(s.entries(EntryKind.MINIMUM_TRUE_UP).isEmpty());
        assertEquals(0, s.total("2026-10").compareTo(d("25")));
    }

    @Test
    void minimumAndCapComeFromTheVersionGoverningThePeriodsEnd() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(version("2026-10-01T00:00:00Z", null, "USD", "100", null, percent("rev", "*", "*", "0.1")))
                .agreement(version("2026-10-20T00:00:00Z", "2026-11-01T00:00:00Z", "USD", "50", null,
                        percent("rev", "*", "*", "0.1")))
                .agreement(version("2026-11-01T00:00:00Z", null, "USD", "500", null, percent("rev", "*", "*", "0.1")));
        s.usage(event("e", "2026-10-05T00:00:00Z", 1, "300")).close("2026-10");
        // version 2 (effectiveFrom < end ≤ effectiveTo) governs the end of October, version 3 starts at it
        assertEquals("20.00000000", s.entries(EntryKind.MINIMUM_TRUE_UP).get(0).amount().toPlainString());
    }

    @Test
    void tierTrueUpComesBeforeMinimumAndTheMinimumSeesIt() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(version("2026-10-01T00:00:00Z", null,
                "USD", "30", null, tiered("t", "*", "*", "QUANTITY", "VOLUME", qty(1000L, "0.05", 1),
                        qty(null, "0.02", 1))));
        s.usage(event("a", "2026-10-01T00:00:00Z", 600, null), event("b", "2026-10-02T00:00:00Z", 600, null));
        s.close("2026-10");
        assertEquals(List.of(EntryKind.TIER_TRUE_UP, EntryKind.MINIMUM_TRUE_UP, EntryKind.PERIOD_CLOSED),
                kinds(s.lastEntries()));
        // provisional 42, true-up −18 → 24, minimum 30 → +6
        assertEquals("6.00000000", s.lastEntries().get(1).amount().toPlainString());
    }

    @Test
    void manualAdjustmentsAndLateUsageCountTowardTheMinimum() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", "10", null);
        s.close("2026-10");
        s.usage(event("late", "2026-10-15T00:00:00Z", 1, "20")); // 2.00 LATE_USAGE into November
        s.adjust("2026-11", "5", "goodwill").close("2026-11");
        assertEquals("3.00000000", s.entries(EntryKind.MINIMUM_TRUE_UP).get(1).amount().toPlainString());
    }

    @Test
    void closeFirstCompletesPendingRating() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", null, null);
        s.usage(event("eur", "2026-10-03T00:00:00Z", "m", "requests", 1, "100", "EUR"));
        assertEquals(1, s.unrated().size());
        s.rates.put("2026-10-03|EUR|USD", d("1.5")); // the rate exists; its rating is still pending
        s.close("2026-10");
        assertEquals(List.of(EntryKind.USAGE, EntryKind.PERIOD_CLOSED), kinds(s.lastEntries()));
        assertEquals("15.00000000", s.lastEntries().get(0).amount().toPlainString());
    }

    @Test
    void unratedEventsInThePeriodRefuseTheCloseWithTheirCount() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", null, null);
        s.usage(event("a", "2026-10-03T00:00:00Z", "m", "requests", 1, "1", "EUR"),
                event("b", "2026-10-04T00:00:00Z", "m", "requests", 1, "1", "GBP"),
                event("nov", "2026-11-04T00:00:00Z", "m", "requests", 1, "1", "GBP"));
        LedgerConflictException e = assertThrows(LedgerConflictException.class, () -> s.close("2026-10"));
        assertEquals(2L, e.extensions().get("unratedCount"));
        assertTrue(s.entries().isEmpty());
    }

    @Test
    void forcedCloseLeavesUnratedEventsThatBecomeLateWhenRated() {
        LedgerScenario s = percentFrom("2026-10-01T00:00:00Z", null, null);
        s.usage(event("a", "2026-10-03T00:00:00Z", "m", "requests", 1, "100", "EUR"));
        s.forceClose("2026-10");
        assertEquals(1, s.unrated().size());
        s.fxRate("2026-10-03", "EUR", "USD", "1.1");
        LedgerEntry late = s.entryFor("a");
        assertEquals(EntryKind.LATE_USAGE, late.kind());
        assertEquals(YearMonth.of(2026, 11), late.period());
        assertEquals(YearMonth.of(2026, 10), late.originalPeriod());
        assertEquals("11.00000000", late.amount().toPlainString());
    }

    @Test
    void aLateEventIsBookedIntoTheEarliestOpenPeriodAfterIt() {
        LedgerScenario s = percentFrom("2026-09-01T00:00:00Z", null, null).close("2026-09").close("2026-10");
        s.usage(event("sep", "2026-09-30T23:00:00Z", 1, "10"));
        LedgerEntry late = s.entryFor("sep");
        assertEquals(EntryKind.LATE_USAGE, late.kind());
        assertEquals(YearMonth.of(2026, 11), late.period());
        assertEquals(YearMonth.of(2026, 9), late.originalPeriod());
        assertEquals(1, late.agreementVersion());
        assertEquals(1, s.state.eventCount(YearMonth.of(2026, 11)));
    }

    @Test
    void aLateTieredEventIsPricedAtTheOriginalPeriodsFinalMarginalPriceAndMovesNoCounter() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(version("2026-10-01T00:00:00Z", null,
                "USD", null, null, tiered("t", "*", "*", "QUANTITY", "GRADUATED", qty(1000L, "0.05", 1),
                        qty(null, "0.02", 1))));
        s.usage(event("oct", "2026-10-10T00:00:00Z", 1200, null)).close("2026-10");
        s.usage(event("late", "2026-10-20T00:00:00Z", 100, null), event("nov", "2026-11-02T00:00:00Z", 100, null));
        assertEquals("2.00000000", s.entryFor("late").amount().toPlainString()); // 100 × marginal(1200) = 0.02
        assertEquals("5.00000000", s.entryFor("nov").amount().toPlainString()); // November starts in tier 1
        assertEquals(0, s.state.counter(new TierKey(YearMonth.of(2026, 10), 1, "t")).compareTo(d("1200")));
        assertEquals(0, s.state.counter(new TierKey(YearMonth.of(2026, 11), 1, "t")).compareTo(d("100")));
        s.close("2026-11");
        assertTrue(s.entries(EntryKind.TIER_TRUE_UP).isEmpty(), "LATE_USAGE takes no part in the true-up");
        assertEquals(0, s.total("2026-11").compareTo(d("7")));
    }
}
