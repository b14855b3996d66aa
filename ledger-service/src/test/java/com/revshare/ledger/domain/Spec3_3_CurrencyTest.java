package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.perUnit;
import static com.revshare.ledger.domain.Terms.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** SPEC §3.3: conversion by the event's UTC date, exact; missing rate parks; no inverse rates. */
class Spec3_3_CurrencyTest {

    private static LedgerScenario usdPartner() {
        return LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-01-01T00:00:00Z", percent("rev", "*", "*", "0.15")));
    }

    @Test
    void revenueInAnotherCurrencyIsConvertedExactlyWithTheRateOfTheEventsUtcDate() {
        LedgerScenario s = usdPartner();
        s.rates.put("2026-10-01|EUR|USD", LedgerScenario.d("1.0842"));
        s.rates.put("2026-10-02|EUR|USD", LedgerScenario.d("1.1"));
        s.usage(event("late-on-1st", "2026-10-01T23:59:59Z", "m", "requests", 1, "10.00000000", "EUR"),
                event("on-2nd", "2026-10-02T00:00:00Z", "m", "requests", 1, "10.00000000", "EUR"));
        LedgerEntry first = s.entryFor("late-on-1st");
        assertEquals("1.0842", first.fxRate().toPlainString());
        assertEquals(0, first.settlementRevenue().compareTo(LedgerScenario.d("10.842")));
        assertEquals("1.62630000", first.amount().toPlainString());
        assertEquals("EUR", first.revenue().currency(), "the entry keeps the original revenue");
        assertEquals("1.65000000", s.entryFor("on-2nd").amount().toPlainString());
    }

    @Test
    void revenueInTheSettlementCurrencyNeedsNoRate() {
        LedgerScenario s = usdPartner();
        s.usage(event("e", "2026-10-01T00:00:00Z", 1, "2"));
        assertNull(s.entryFor("e").fxRate());
        assertEquals("2", s.entryFor("e").settlementRevenue().toPlainString());
    }

    @Test
    void withoutTheRateTheEventIsUnratedNoFxRateUntilTheRateIsSetThenRatedAutomatically() {
        LedgerScenario s = usdPartner();
        s.usage(event("e", "2026-10-05T10:00:00Z", "m", "requests", 1, "100", "EUR"));
        assertEquals(UnratedReason.NO_FX_RATE, s.unrated().get(0).reason());
        s.fxRate("2026-10-04", "EUR", "USD", "1.2"); // another date: still waiting
        assertEquals(1, s.unrated().size());
        s.fxRate("2026-10-05", "EUR", "USD", "1.25");
        assertTrue(s.unrated().isEmpty());
        LedgerEntry e = s.entryFor("e");
        assertEquals("18.75000000", e.amount().toPlainString());
        assertEquals("admin", e.actor(), "caused by the admin's FX command");
    }

    @Test
    void noInverseOrCrossRatesAreUsed() {
        LedgerScenario s = usdPartner();
        s.fxRate("2026-10-05", "USD", "EUR", "0.8");
        s.fxRate("2026-10-05", "EUR", "GBP", "0.9");
        s.usage(event("e", "2026-10-05T10:00:00Z", "m", "requests", 1, "100", "EUR"));
        assertEquals(UnratedReason.NO_FX_RATE, s.unrated().get(0).reason());
    }

    @Test
    void aNonRevenueRuleStillRecordsTheConvertedRevenueWhenTheRateExists() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-01-01T00:00:00Z", perUnit("u", "*", "*", "2", 1)));
        s.rates.put("2026-10-05|EUR|USD", LedgerScenario.d("2"));
        s.usage(event("with-rate", "2026-10-05T10:00:00Z", "m", "requests", 3, "1.5", "EUR"),
                event("without", "2026-10-06T10:00:00Z", "m", "requests", 3, "1.5", "EUR"));
        assertEquals(0, s.entryFor("with-rate").settlementRevenue().compareTo(LedgerScenario.d("3")));
        assertEquals("6.00000000", s.entryFor("without").amount().toPlainString(), "PER_UNIT needs no rate");
        assertNull(s.entryFor("without").settlementRevenue());
    }
}
