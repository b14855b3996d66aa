package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.perUnit;
import static com.revshare.ledger.domain.Terms.qty;
import static com.revshare.ledger.domain.Terms.tiered;
import static com.revshare.ledger.domain.Terms.usd;
import static com.revshare.ledger.domain.Terms.version;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** SPEC §3.1: agreement versions, effective ranges, later-added-governs, the closed-period guard, validation, matching. */
class Spec3_1_AgreementVersionsTest {

    @Test
    void versionsAreNumberedInTheOrderTheyAreAdded() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-01-01T00:00:00Z", percent("rev", "*", "*", "0.1")))
                .agreement(usd("2026-06-01T00:00:00Z", percent("rev", "*", "*", "0.2")));
        assertEquals(List.of(1, 2), s.state.versions().stream().map(AgreementVersion::version).toList());
        assertEquals("admin", s.state.version(2).actor());
    }

    @Test
    void anEventIsRatedByTheVersionInEffectAtItsTime_effectiveToExclusive() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(version("2026-01-01T00:00:00Z", "2026-10-15T00:00:00Z", "USD", null, null,
                        percent("rev", "*", "*", "0.10")))
                .agreement(version("2026-10-15T00:00:00Z", null, "USD", null, null,
                        percent("rev", "*", "*", "0.20")));
        // given / when
        s.usage(event("before", "2026-10-14T23:59:59.999Z", 1, "100"), event("at", "2026-10-15T00:00:00Z", 1, "100"));
        // then
        assertEquals(1, s.entryFor("before").agreementVersion());
        assertEquals("10.00000000", s.entryFor("before").amount().toPlainString());
        assertEquals(2, s.entryFor("at").agreementVersion());
        assertEquals("20.00000000", s.entryFor("at").amount().toPlainString());
    }

    @Test
    void whereVersionsOverlapTheOneAddedLaterGoverns() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.30")))
                .agreement(version("2026-01-01T00:00:00Z", "2026-12-01T00:00:00Z", "USD", null, null,
                        percent("rev", "*", "*", "0.05")));
        s.usage(event("e", "2026-10-20T00:00:00Z", 1, "100"), event("dec", "2026-12-02T00:00:00Z", 1, "100"));
        assertEquals(2, s.entryFor("e").agreementVersion());
        assertEquals("5.00000000", s.entryFor("e").amount().toPlainString());
        assertEquals(1, s.entryFor("dec").agreementVersion());
    }

    @Test
    void aVersionStartingBeforeTheEndOfTheLatestClosedPeriodIs409() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-09-01T00:00:00Z", percent("rev", "*", "*", "0.1"))).close("2026-09");
        assertThrows(LedgerConflictException.class,
                () -> s.agreement(usd("2026-09-30T23:59:59Z", percent("rev", "*", "*", "0.2"))));
        s.agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.2")));
        assertEquals(2, s.state.versions().size());
    }

    @Test
    void rulesAreTriedInOrderAndTheFirstMatchingRuleRates() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-01-01T00:00:00Z",
                perUnit("405b-out", "llama-3.1-405b*", "output_tokens", "0.30", 1_000_000),
                percent("rev", "*", "*", "0.15")));
        s.usage(event("a", "2026-10-01T00:00:00Z", "llama-3.1-405b-instruct", "output_tokens", 2_000_000, "9", "USD"),
                event("b", "2026-10-01T00:00:00Z", "llama-3.1-405b-instruct", "input_tokens", 2_000_000, "9", "USD"));
        assertEquals("405b-out", s.entryFor("a").ruleId());
        assertEquals("0.60000000", s.entryFor("a").amount().toPlainString());
        assertEquals("rev", s.entryFor("b").ruleId());
        assertEquals("1.35000000", s.entryFor("b").amount().toPlainString());
    }

    @Test
    void modelGlobsAreCaseSensitiveAndStarMatchesAnyRun() {
        assertTrue(Glob.matches("llama-3.1-405b*", "llama-3.1-405b-instruct"));
        assertTrue(Glob.matches("llama-3.1-405b*", "llama-3.1-405b"));
        assertTrue(Glob.matches("*", ""));
        assertTrue(Glob.matches("*-instruct", "llama-3.1-8b-instruct"));
        assertTrue(Glob.matches("l*a*t", "llama-instruct"));
        assertTrue(!Glob.matches("Llama*", "llama-3.1-8b"));
        assertTrue(!Glob.matches("llama-3.1-8b", "llama-3.1-8b-instruct"));
        assertTrue(!Glob.matches("llama.3*", "llama-3.1"), "the dot is not special");
        assertTrue(!Glob.matches("llama?", "llamas"), "? is not special");
    }

    @Test
    void aRevenueBasedRuleIsSkippedWhenTheEventHasNoRevenue() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-01-01T00:00:00Z",
                percent("rev", "*", "*", "0.15"),
                tiered("trev", "*", "*", "REVENUE", "GRADUATED", Terms.rev(null, "0.5")),
                perUnit("unit", "*", "*", "1", 1000)));
        s.usage(event("no-revenue", "2026-10-01T00:00:00Z", 3000, null));
        assertEquals("unit", s.entryFor("no-revenue").ruleId());
        assertEquals("3.00000000", s.entryFor("no-revenue").amount().toPlainString());
        assertNull(s.entryFor("no-revenue").settlementRevenue());
    }

    @Test
    void withoutAMatchingRuleTheEventIsUnratedNoMatchingRule() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-01-01T00:00:00Z",
                perUnit("8b", "llama-3.1-8b*", "*", "1", 1000)));
        s.usage(event("e", "2026-10-01T00:00:00Z", 1, "1"));
        assertEquals(UnratedReason.NO_MATCHING_RULE, s.unrated().get(0).reason());
        assertTrue(s.entries().isEmpty());
    }

    @Test
    void aMatchingRevenueRuleWithoutItsFxRateStopsTheSearch_noFxRate() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(usd("2026-01-01T00:00:00Z",
                percent("rev", "*", "*", "0.15"), perUnit("unit", "*", "*", "1", 1000)));
        s.usage(event("eur", "2026-10-01T00:00:00Z", "m", "requests", 5, "10", "EUR"));
        assertEquals(UnratedReason.NO_FX_RATE, s.unrated().get(0).reason());
        assertTrue(s.entries().isEmpty(), "the later PER_UNIT rule is not tried");
    }

    // ---- validation: 400 naming the field ----

    private static String invalidField(AgreementDraft draft) {
        LedgerScenario s = LedgerScenario.partner("aws", "USD");
        return assertThrows(InvalidFieldException.class, () -> s.agreement(draft)).field();
    }

    @Test
    void validationNamesTheOffendingField() {
        String from = "2026-01-01T00:00:00Z";
        var ok = percent("r", "*", "*", "0.1");
        assertEquals("currency", invalidField(version(from, null, "EUR", null, null, ok)));
        assertEquals("effectiveFrom", invalidField(version(null, null, "USD", null, null, ok)));
        assertEquals("effectiveFrom", invalidField(version("2026-01-01", null, "USD", null, null, ok)));
        assertEquals("effectiveTo", invalidField(version(from, from, "USD", null, null, ok)));
        assertEquals("effectiveFrom", invalidField(version("2026-01-01T00:00:00.0000001Z", null, "USD", null, null,
                ok)));
        assertEquals("rules[1].id", invalidField(usd(from, ok, percent("r", "*", "*", "0.2"))));
        assertEquals("rules[0].metric", invalidField(usd(from, percent("r", "*", "tokens", "0.1"))));
        assertEquals("rules[0].model", invalidField(usd(from, percent("r", "llama 3", "*", "0.1"))));
        assertEquals("rules[0].type", invalidField(usd(from, new AgreementDraft.RuleDraft("r", "*", "*", "FLAT",
                null, null, null, null, null, null))));
        assertEquals("rules[0].rate", invalidField(usd(from, percent("r", "*", "*", "-0.1"))));
        assertEquals("rules[0].rate", invalidField(usd(from, percent("r", "*", "*", "0.1234567890123"))));
        assertEquals("rules[0].unitSize", invalidField(usd(from, perUnit("r", "*", "*", "1", 1500))));
        assertEquals("rules[0].unitSize", invalidField(usd(from, perUnit("r", "*", "*", "1", 10_000_000_000L))));
        assertEquals("rules[0].unitPrice", invalidField(usd(from, new AgreementDraft.RuleDraft("r", "*", "*",
                "PER_UNIT", null, "1e3", "1", null, null, null))));
        assertEquals("monthlyMinimum", invalidField(version(from, null, "USD", "10.123456789", null, ok)));
        assertEquals("monthlyCap", invalidField(version(from, null, "USD", null, "-1", ok)));
        assertEquals("monthlyMinimum", invalidField(version(from, null, "USD", "100", "99.99", ok)));
        assertEquals("rules[0].tiers", invalidField(usd(from, tiered("t", "*", "*", "QUANTITY", "GRADUATED"))));
        assertEquals("rules[0].tiers[1].upTo", invalidField(usd(from, tiered("t", "*", "*", "QUANTITY", "VOLUME",
                qty(100L, "1", 1), qty(100L, "1", 1), qty(null, "1", 1)))));
        assertEquals("rules[0].tiers[0].upTo", invalidField(usd(from, tiered("t", "*", "*", "QUANTITY", "VOLUME",
                qty(0L, "1", 1), qty(null, "1", 1)))));
        assertEquals("rules[0].tiers[1].upTo", invalidField(usd(from, tiered("t", "*", "*", "QUANTITY", "VOLUME",
                qty(10L, "1", 1), qty(20L, "1", 1)))));
        assertEquals("rules[0].basis", invalidField(usd(from, tiered("t", "*", "*", "UNITS", "VOLUME",
                qty(null, "1", 1)))));
        assertEquals("rules[0].tiers[0].rate", invalidField(usd(from, tiered("t", "*", "*", "REVENUE", "VOLUME",
                qty(null, "1", 1)))));
    }

    @Test
    void boundaryValuesOfValidationAreAccepted() {
        LedgerScenario s = LedgerScenario.partner("aws", "USD").agreement(version("2026-01-01T00:00:00Z", null,
                "USD", "0", "0.12345678", percent("r", "*", "*", "0.123456789012"),
                perUnit("u", "*", "requests", "0", 1), perUnit("v", "*", "*", "1", 1_000_000_000)));
        assertEquals(1, s.state.versions().size());
    }
}
