package com.revshare.ledger.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;

import org.junit.jupiter.api.Test;

/** SPEC §3.3: an FX rate's validation (each error names its field) and its immutability. */
class FxRateTest {
    @Test
    void aValidRateIsParsedExactly() {
        FxRate r = FxRate.parse("2026-10-02", "EUR", "USD", "1.0812345678");
        assertEquals(new BigDecimal("1.0812345678"), r.rate());
    }

    @Test
    void eachInvalidFieldIsNamed() {
        assertEquals("date", field(() -> FxRate.parse("2026-13-01", "EUR", "USD", "1")));
        assertEquals("base", field(() -> FxRate.parse("2026-10-02", "eur", "USD", "1")));
        assertEquals("quote", field(() -> FxRate.parse("2026-10-02", "EUR", "ZZZ", "1")));
        assertEquals("quote", field(() -> FxRate.parse("2026-10-02", "EUR", "EUR", "1")));
        assertEquals("rate", field(() -> FxRate.parse("2026-10-02", "EUR", "USD", "0")));
        assertEquals("rate", field(() -> FxRate.parse("2026-10-02", "EUR", "USD", "1.12345678901")));
        assertEquals("rate", field(() -> FxRate.parse("2026-10-02", "EUR", "USD", "1234567")));
        assertEquals("rate", field(() -> FxRate.parse("2026-10-02", "EUR", "USD", "1e3")));
    }

    @Test
    void theSameRateAgainIsAcceptedAndAnotherIsRefused() {
        FxRate stored = FxRate.parse("2026-10-02", "EUR", "USD", "1.1");
        assertTrue(FxRate.parse("2026-10-02", "EUR", "USD", "1.10").reconcile(stored));
        assertThrows(LedgerConflictException.class,
                () -> FxRate.parse("2026-10-02", "EUR", "USD", "1.2").reconcile(stored));
    }

    @Test
    void thePeriodStatusIsClosedUpToTheLastClosedPeriod() {
        java.time.YearMonth sep = java.time.YearMonth.of(2026, 9);
        assertEquals(PeriodStatus.CLOSED, PeriodStatus.of(sep.minusMonths(1), sep));
        assertEquals(PeriodStatus.CLOSED, PeriodStatus.of(sep, sep));
        assertEquals(PeriodStatus.OPEN, PeriodStatus.of(sep.plusMonths(1), sep));
        assertEquals(PeriodStatus.OPEN, PeriodStatus.of(sep, null));
    }

    private static String field(Runnable r) {
        return assertThrows(InvalidFieldException.class, r::run).field();
    }
}
