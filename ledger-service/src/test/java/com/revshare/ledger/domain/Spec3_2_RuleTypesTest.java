package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.d;
import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.perUnit;
import static com.revshare.ledger.domain.Terms.qty;
import static com.revshare.ledger.domain.Terms.rev;
import static com.revshare.ledger.domain.Terms.tiered;
import static com.revshare.ledger.domain.Terms.usd;
import static com.revshare.ledger.domain.Terms.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** SPEC §3.2: PERCENT_OF_REVENUE, PER_UNIT and TIERED (QUANTITY/REVENUE × GRADUATED/VOLUME), true-ups. */
class Spec3_2_RuleTypesTest {
    private static final String OCT = "2026-10";

    /** Tiers per unit: [0, 1000] at 0.05, (1000, 3000] at 0.02, above at 0.01. */
    private static LedgerScenario threeTiers(String mode) {
        return LedgerScenario.partner("aws", "USD").agreement(usd("2026-10-01T00:00:00Z",
                tiered("t", "*", "*", "QUANTITY", mode, qty(1000L, "0.05", 1), qty(3000L, "0.02", 1),
                        qty(null, "0.01", 1))));
    }

    private static String amount(LedgerScenario s, String eventId) {
        return s.entryFor(eventId).amount().toPlainString();
    }

    @Test
    void percentOfRevenueIsRevenueTimesRate() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-01-01T00:00:00Z", percent("rev", "*", "*", "0.15")));
        s.usage(event("e", "2026-10-01T12:00:00Z", 125000, "1.87500000"));
        LedgerEntry e = s.entryFor("e");
        assertEquals("0.28125000", e.amount().toPlainString());
        assertEquals("1.87500000", e.settlementRevenue().toPlainString());
        assertEquals(EntryKind.USAGE, e.kind());
        assertEquals(OCT, e.period().toString());
    }

    @Test
    void perUnitIsQuantityTimesUnitPriceOverUnitSize() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-01-01T00:00:00Z", perUnit("u", "*", "*", "0.30", 1_000_000)));
        s.usage(event("e", "2026-10-01T00:00:00Z", 125_000, null));
        assertEquals("0.03750000", amount(s, "e"));
    }

    @Test
    void graduated_anEventReachingATierBoundaryExactlyIsPricedInTheLowerTier() {
        LedgerScenario s = threeTiers("GRADUATED");
        s.usage(event("to-boundary", "2026-10-01T00:00:00Z", 1000, null), event("next", "2026-10-02T00:00:00Z", 1, null));
        assertEquals("50.00000000", amount(s, "to-boundary"));
        assertEquals("0.02000000", amount(s, "next"));
    }

    @Test
    void graduated_anEventStraddlingTwoBoundariesIsSplitAcrossThreeTiers() {
        LedgerScenario s = threeTiers("GRADUATED");
        s.usage(event("small", "2026-10-01T00:00:00Z", 400, null), event("big", "2026-10-02T00:00:00Z", 3100, null));
        // 400 × 0.05 = 20; then 600 × 0.05 + 2000 × 0.02 + 500 × 0.01 = 30 + 40 + 5
        assertEquals("20.00000000", amount(s, "small"));
        assertEquals("75.00000000", amount(s, "big"));
        s.close(OCT);
        assertTrue(s.entries(EntryKind.TIER_TRUE_UP).isEmpty(), "exact graduated entries need no true-up");
        assertEquals(0, s.total(OCT).compareTo(d("95")));
    }

    @Test
    void graduated_trueUpCorrectsEntryRoundingToRound8OfTheMonthPrice() {
        // 0.003 per 1e6 units = 3e-9 per unit: each 1-unit entry rounds to 0, the month of 10 units is 3e-8
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-10-01T00:00:00Z",
                tiered("t", "*", "*", "QUANTITY", "GRADUATED", qty(null, "0.003", 1_000_000))));
        for (int i = 0; i < 10; i++) {
            s.usage(event("e" + i, "2026-10-01T00:00:00Z", 1, null));
        }
        assertTrue(s.entries(EntryKind.USAGE).stream().allMatch(e -> e.amount().signum() == 0));
        s.close(OCT);
        List<LedgerEntry> trueUps = s.entries(EntryKind.TIER_TRUE_UP);
        assertEquals(1, trueUps.size());
        assertEquals("0.00000003", trueUps.get(0).amount().toPlainString());
        assertEquals(1, trueUps.get(0).agreementVersion());
        assertEquals("t", trueUps.get(0).ruleId());
    }

    @Test
    void volume_crossingABoundaryMidMonthIsProvisionalThenTrueUpToTotalTimesMarginal() {
        LedgerScenario s = threeTiers("VOLUME");
        s.usage(event("a", "2026-10-01T00:00:00Z", 600, null), event("b", "2026-10-10T00:00:00Z", 600, null));
        assertEquals("30.00000000", amount(s, "a")); // 600 × marginal(600) = 0.05
        assertEquals("12.00000000", amount(s, "b")); // 600 × marginal(1200) = 0.02
        s.close(OCT);
        // B = 1200 → 1200 × 0.02 = 24; true-up 24 − 42 = −18
        assertEquals("-18.00000000", s.entries(EntryKind.TIER_TRUE_UP).get(0).amount().toPlainString());
        assertEquals(0, s.total(OCT).compareTo(d("24")));
    }

    @Test
    void volume_aTotalExactlyOnABoundaryTakesTheLowerTiersPrice() {
        LedgerScenario s = threeTiers("VOLUME");
        s.usage(event("a", "2026-10-01T00:00:00Z", 400, null), event("b", "2026-10-02T00:00:00Z", 600, null));
        s.close(OCT);
        assertTrue(s.entries(EntryKind.TIER_TRUE_UP).isEmpty(), "1000 × 0.05 = 20 + 30 already");
        assertEquals(0, s.total(OCT).compareTo(d("50")));
    }

    @Test
    void tieredWithRevenueBasisUsesRatesOverSettlementRevenue() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-01-01T00:00:00Z",
                tiered("tr", "*", "*", "REVENUE", "GRADUATED", rev("100", "0.10"), rev(null, "0.05"))));
        s.usage(event("a", "2026-10-01T00:00:00Z", 1, "150.00000000"), event("b", "2026-10-02T00:00:00Z", 1, "10"));
        assertEquals("12.50000000", amount(s, "a"));
        assertEquals("0.50000000", amount(s, "b"));
    }

    @Test
    void zeroQuantityEventsGetAnEntryOfZero() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-01-01T00:00:00Z",
                perUnit("u", "*", "requests", "1", 1),
                tiered("t", "*", "*", "QUANTITY", "VOLUME", qty(10L, "5", 1), qty(null, "1", 1))));
        s.usage(event("pu", "2026-10-01T00:00:00Z", "m", "requests", 0, null, null),
                event("ti", "2026-10-01T00:00:00Z", "m", "input_tokens", 0, null, null),
                event("pct", "2026-10-01T00:00:00Z", "m", "input_tokens", 0, "0", "USD"));
        assertEquals(3, s.entries(EntryKind.USAGE).size());
        assertTrue(s.entries(EntryKind.USAGE).stream().allMatch(e -> "0E-8".equals(e.amount().toString())));
    }

    @Test
    void tierCountersArePerAgreementVersionAndRule() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(version("2026-01-01T00:00:00Z", "2026-10-15T00:00:00Z", "USD", null, null,
                        tiered("t", "*", "*", "QUANTITY", "GRADUATED", qty(1000L, "0.05", 1), qty(null, "0.02", 1))))
                .agreement(version("2026-10-15T00:00:00Z", null, "USD", null, null,
                        tiered("t", "*", "*", "QUANTITY", "GRADUATED", qty(1000L, "0.05", 1), qty(null, "0.02", 1))));
        s.usage(event("v1", "2026-10-01T00:00:00Z", 800, null), event("v2", "2026-10-20T00:00:00Z", 800, null));
        assertEquals("40.00000000", amount(s, "v1"));
        assertEquals("40.00000000", amount(s, "v2"), "version 2 counts from zero");
        assertEquals(0, s.state.counter(new TierKey(java.time.YearMonth.of(2026, 10), 1, "t")).compareTo(d("800")));
    }

    @Test
    void tierCountersStartAgainEachMonth() {
        LedgerScenario s = threeTiers("GRADUATED");
        s.usage(event("oct", "2026-10-31T23:59:59Z", 1000, null), event("nov", "2026-11-01T00:00:00Z", 1000, null));
        assertEquals("50.00000000", amount(s, "oct"));
        assertEquals("50.00000000", amount(s, "nov"));
    }

    @Test
    void theSchedulesPriceFunctionsFollowTheDefinitions() {
        TierSchedule t = new TierSchedule(List.of(new RatingRule.Tier(d("1000"), d("0.05"), 1L, null),
                new RatingRule.Tier(d("3000"), d("0.02"), 1L, null), new RatingRule.Tier(null, d("0.01"), 1L, null)));
        assertEquals(0, t.graduated(d("0")).compareTo(d("0")));
        assertEquals(0, t.graduated(d("3500")).compareTo(d("95")));
        assertEquals(0, t.marginal(d("0")).compareTo(d("0.05")), "B = 0 reaches the first tier");
        assertEquals(0, t.marginal(d("1000")).compareTo(d("0.05")));
        assertEquals(0, t.marginal(d("1000.5")).compareTo(d("0.02")));
        assertEquals(0, t.marginal(d("3001")).compareTo(d("0.01")));
    }
}
