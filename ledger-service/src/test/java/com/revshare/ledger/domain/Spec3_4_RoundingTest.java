package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.d;
import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.version;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** SPEC §3.4: exact arithmetic, round8 HALF_EVEN once per entry, amountDue at the ISO 4217 minor unit. */
class Spec3_4_RoundingTest {

    @Test
    void eachEntryIsRoundedHalfEvenToEightDigitsOnce() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(version("2026-10-01T00:00:00Z", null, "USD",
                null, null, percent("half", "*", "*", "0.5")));
        s.usage(event("down", "2026-10-01T00:00:00Z", 1, "0.00000001"),
                event("up", "2026-10-01T00:00:00Z", 1, "0.00000003"),
                event("exact", "2026-10-01T00:00:00Z", 1, "0.00000002"));
        assertEquals("0.00000000", s.entryFor("down").amount().toPlainString()); // 0.000000005 → even 0
        assertEquals("0.00000002", s.entryFor("up").amount().toPlainString()); // 0.000000015 → even 2
        assertEquals("0.00000001", s.entryFor("exact").amount().toPlainString());
    }

    @Test
    void amountDueIsTheExactTotalRoundedHalfEvenToTheMinorUnit() {
        assertEquals("1.00", Money.amountDue(d("1.00500000"), "USD").toPlainString());
        assertEquals("1.02", Money.amountDue(d("1.01500000"), "USD").toPlainString());
        assertEquals("2", Money.amountDue(d("2.50000000"), "JPY").toPlainString());
        assertEquals("4", Money.amountDue(d("3.50000000"), "JPY").toPlainString());
        assertEquals("1.000", Money.amountDue(d("1.00050000"), "BHD").toPlainString());
        assertEquals("1.002", Money.amountDue(d("1.00150000"), "BHD").toPlainString());
        assertEquals(0, Money.minorUnit("JPY"));
        assertEquals(3, Money.minorUnit("BHD"));
        assertEquals(2, Money.minorUnit("EUR"));
    }

    @Test
    void aJpyPartnersStatementHasNoMinorDigits() {
        LedgerScenario s = LedgerScenario.partner("aws", "JPY").agreement(version("2026-10-01T00:00:00Z", null, "JPY",
                null, null, percent("rev", "*", "*", "0.25")));
        s.usage(event("a", "2026-10-01T00:00:00Z", "m", "requests", 1, "10", "JPY"),
                event("b", "2026-10-02T00:00:00Z", "m", "requests", 1, "0.5", "JPY"));
        s.close("2026-10");
        // 2.5 + 0.125 = 2.625 → JPY 3
        assertEquals(0, s.total("2026-10").compareTo(d("2.625")));
        assertEquals("3", Money.amountDue(s.state.periodTotal(java.time.YearMonth.of(2026, 10)), "JPY").toPlainString());
    }

    @Test
    void aBhdPartnersStatementHasThreeMinorDigits() {
        LedgerScenario s = LedgerScenario.partner("aws", "BHD").agreement(version("2026-10-01T00:00:00Z", null, "BHD",
                null, null, percent("rev", "*", "*", "0.1")));
        s.usage(event("a", "2026-10-01T00:00:00Z", "m", "requests", 1, "12.34567", "BHD"));
        s.close("2026-10");
        assertEquals("1.23456700", s.entryFor("a").amount().toPlainString());
        assertEquals("1.235", Money.amountDue(s.state.periodTotal(java.time.YearMonth.of(2026, 10)), "BHD")
                .toPlainString());
    }
}
