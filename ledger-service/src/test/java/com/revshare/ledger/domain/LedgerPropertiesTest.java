package com.revshare.ledger.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

/**
 * The four invariants issue 3 asks for, over random agreements (every rule type) and random
 * usage: (a) a closed period's figures ignore order, duplication and batching; (b) every balance
 * is the fold of its entries; (c) debits equal credits; (d) re-rating then restoring the terms
 * gives back the original totals. Each property runs 1000 seeded tries ({@link Seeded}: a failure prints
 * the seed that replays it).
 */
class LedgerPropertiesTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant OCT_START = Instant.parse("2026-10-01T00:00:00Z");
    private static final List<String> MODELS = List.of("llama-3.1-8b-instruct", "llama-3.1-70b-instruct",
            "mistral-7b");
    private static final List<String> METRICS = List.of("input_tokens", "output_tokens", "requests");

    // ---------------- (a) ----------------

    @Test
    void closedPeriodFiguresAreTheSameForAnyOrderDuplicationAndBatching() {
        Seeded.forAll("closed period figures ignore order, duplication and batching", 1000,
                random -> closedPeriodFigures(terms(random), usage(random), random));
    }

    private static void closedPeriodFigures(AgreementDraft terms, List<UsageEvent> events, Random random) {
        LedgerScenario inOrder = scenario(terms);
        inOrder.usage(events.toArray(UsageEvent[]::new));
        inOrder.at("2026-11-05T00:00:00Z").close("2026-10");

        List<UsageEvent> shuffled = new ArrayList<>(events);
        for (int i = 0; i < events.size() / 2 + 1 && !events.isEmpty(); i++) {
            shuffled.add(events.get(random.nextInt(events.size()))); // re-deliveries
        }
        Collections.shuffle(shuffled, random);
        LedgerScenario other = scenario(terms);
        int i = 0;
        while (i < shuffled.size()) {
            int size = 1 + random.nextInt(Math.max(1, shuffled.size() / 2));
            other.usage(shuffled.subList(i, Math.min(shuffled.size(), i + size)).toArray(UsageEvent[]::new));
            i += size;
        }
        other.at("2026-11-05T00:00:00Z").close("2026-10");

        assertEquals(0, inOrder.state.periodTotal(OCT).compareTo(other.state.periodTotal(OCT)),
                () -> inOrder.state.periodTotal(OCT) + " vs " + other.state.periodTotal(OCT));
        assertEquals(Money.amountDue(inOrder.state.periodTotal(OCT), "USD"),
                Money.amountDue(other.state.periodTotal(OCT), "USD"));
        assertEquals(quantities(inOrder), quantities(other));
        assertEquals(nonTieredLines(inOrder), nonTieredLines(other));
        assertEquals(inOrder.state.eventCount(OCT), other.state.eventCount(OCT));
        assertEquals(events.size(), inOrder.state.eventCount(OCT));
    }

    // ---------------- (b) and (c) ----------------

    @Test
    void everyBalanceEqualsTheFoldOfItsEntries() {
        Seeded.forAll("every balance is the fold of its entries", 1000,
                random -> balancesAreFolds(terms(random), terms(random), usage(random), random));
    }

    private static void balancesAreFolds(AgreementDraft first, AgreementDraft second, List<UsageEvent> events,
            Random random) {
        LedgerScenario s = randomHistory(first, second, events, random);
        List<LedgerEntry> entries = s.entries();

        // folding the whole history into a fresh state gives the same derived state
        PartnerLedger fresh = new PartnerLedger("aws", "USD");
        s.history.forEach(fresh::apply);
        Map<YearMonth, BigDecimal> sums = new TreeMap<>();
        Map<YearMonth, Long> counts = new TreeMap<>();
        BigDecimal receivable = BigDecimal.ZERO;
        for (LedgerEntry e : entries) {
            if (!e.kind().isMoney()) {
                continue;
            }
            sums.merge(e.period(), e.amount(), BigDecimal::add);
            receivable = receivable.add(e.amount());
            long delta = e.kind() == EntryKind.USAGE || e.kind() == EntryKind.LATE_USAGE ? 1
                    : e.kind() == EntryKind.REVERSAL ? -1 : 0;
            counts.merge(e.period(), delta, Long::sum);
        }
        for (var period : sums.keySet()) {
            assertEquals(0, sums.get(period).compareTo(s.state.periodTotal(period)), "total of " + period);
            assertEquals(0, sums.get(period).compareTo(fresh.periodTotal(period)), "refolded total of " + period);
            assertEquals(counts.get(period), s.state.eventCount(period), "event count of " + period);
        }
        BigDecimal stateReceivable = s.state.periodTotals().values().stream().reduce(BigDecimal.ZERO,
                BigDecimal::add);
        assertEquals(0, receivable.compareTo(stateReceivable));
        assertEquals(entries.size(), s.state.lastSequence());
        assertEquals(fresh.lastSequence(), s.state.lastSequence());
        assertEquals(fresh.lastClosed(), s.state.lastClosed());
        // tier counters are the basis of the USAGE and REVERSAL entries of their (month, version, rule)
        Map<TierKey, BigDecimal> basis = new HashMap<>();
        for (LedgerEntry e : entries) {
            if ((e.kind() == EntryKind.USAGE || e.kind() == EntryKind.REVERSAL)
                    && s.state.version(e.agreementVersion()).rule(e.ruleId()) instanceof RatingRule.Tiered t) {
                basis.merge(new TierKey(e.period(), e.agreementVersion(), e.ruleId()),
                        t.basis() == RatingRule.TierBasis.QUANTITY ? BigDecimal.valueOf(e.quantity())
                                : e.settlementRevenue(), BigDecimal::add);
            }
        }
        basis.forEach((key, b) -> assertEquals(0, b.compareTo(s.state.counter(key)), "counter " + key));
        // every usage event has at most one current entry and the right status
        for (UsageRecord r : s.state.usage()) {
            assertTrue(r.status() != UsageRecord.UsageStatus.RATED || r.current() != null);
        }
        // the unrated count a close refuses on is the number of UNRATED events of the period
        Map<YearMonth, Long> unrated = new HashMap<>();
        s.state.usage().stream().filter(r -> r.status() == UsageRecord.UsageStatus.UNRATED)
                .forEach(r -> unrated.merge(r.event().period(), 1L, Long::sum));
        for (YearMonth m = OCT.minusMonths(1); !m.isAfter(OCT.plusMonths(2)); m = m.plusMonths(1)) {
            assertEquals(unrated.getOrDefault(m, 0L), s.state.unratedCount(m), "unrated count of " + m);
            assertEquals(unrated.getOrDefault(m, 0L), fresh.unratedCount(m), "refolded unrated count of " + m);
        }
    }

    @Test
    void debitsEqualCreditsForEveryHistory() {
        Seeded.forAll("debits equal credits", 1000,
                random -> debitsEqualCredits(terms(random), terms(random), usage(random), random));
    }

    private static void debitsEqualCredits(AgreementDraft first, AgreementDraft second, List<UsageEvent> events,
            Random random) {
        LedgerScenario s = randomHistory(first, second, events, random);
        Map<String, BigDecimal> balances = new LinkedHashMap<>();
        BigDecimal debits = BigDecimal.ZERO;
        BigDecimal credits = BigDecimal.ZERO;
        for (Postings.Posting p : Postings.of(s.entries())) {
            debits = debits.add(p.debit());
            credits = credits.add(p.credit());
            balances.merge(p.account(), p.debit().subtract(p.credit()), BigDecimal::add);
        }
        assertEquals(0, debits.compareTo(credits));
        BigDecimal receivable = balances.getOrDefault("partners/aws/receivable", BigDecimal.ZERO);
        BigDecimal share = balances.getOrDefault("revenue/aws/share", BigDecimal.ZERO);
        assertEquals(0, receivable.add(share).signum(), "the books balance");
        Postings.checkEntries(s.entries());
    }

    // ---------------- (d) ----------------

    @Test
    void reRatingThenRestoringTheTermsReturnsTheOriginalTotals() {
        Seeded.forAll("re-rating then restoring the terms returns the original totals", 1000,
                random -> reRatingRestores(terms(random), terms(random), usage(random), octoberInstant(random)));
    }

    private static void reRatingRestores(AgreementDraft terms, AgreementDraft other, List<UsageEvent> events,
            Instant otherFrom) {
        LedgerScenario original = scenario(terms);
        original.usage(events.toArray(UsageEvent[]::new));
        original.at("2026-11-05T00:00:00Z").close("2026-10");

        LedgerScenario reRated = scenario(terms);
        reRated.usage(events.toArray(UsageEvent[]::new));
        reRated.agreement(new AgreementDraft(otherFrom.toString(), null, "USD", other.monthlyMinimum(),
                other.monthlyCap(), other.rules()));
        reRated.agreement(terms); // the original terms again, from the same start
        assertTrue(reRated.unrated().isEmpty());
        reRated.at("2026-11-05T00:00:00Z").close("2026-10");

        assertEquals(0, original.state.periodTotal(OCT).compareTo(reRated.state.periodTotal(OCT)),
                () -> original.state.periodTotal(OCT) + " vs " + reRated.state.periodTotal(OCT));
        assertEquals(quantities(original), quantities(reRated));
        assertEquals(nonTieredLines(original), nonTieredLines(reRated));
        assertEquals(original.state.eventCount(OCT), reRated.state.eventCount(OCT));
    }

    // ---------------- scenarios ----------------

    private static LedgerScenario scenario(AgreementDraft terms) {
        LedgerScenario s = LedgerScenario.partner("aws", "USD");
        for (int day = 1; day <= 31; day++) {
            s.rates.put(String.format("2026-10-%02d|EUR|USD", day), new BigDecimal("1.08").add(
                    BigDecimal.valueOf(day, 4)));
        }
        s.agreement(terms);
        return s;
    }

    /** Usage in batches, a re-rating version, adjustments, a late event, closes: in a random interleaving. */
    private static LedgerScenario randomHistory(AgreementDraft first, AgreementDraft second, List<UsageEvent> events,
            Random random) {
        LedgerScenario s = scenario(first);
        List<UsageEvent> pending = new ArrayList<>(events);
        boolean secondAdded = false;
        boolean closed = false;
        s.at("2026-11-05T00:00:00Z");
        while (!pending.isEmpty() || !secondAdded || !closed) {
            int choice = random.nextInt(5);
            if (choice <= 1 && !pending.isEmpty()) {
                int n = 1 + random.nextInt(pending.size());
                s.usage(pending.subList(0, n).toArray(UsageEvent[]::new));
                pending.subList(0, n).clear();
            } else if (choice == 2 && !secondAdded && !closed) {
                s.agreement(new AgreementDraft("2026-10-" + String.format("%02d", 1 + random.nextInt(28))
                        + "T00:00:00Z", null, "USD", second.monthlyMinimum(), second.monthlyCap(), second.rules()));
                secondAdded = true;
            } else if (choice == 3) {
                s.adjust(closed ? "2026-11" : "2026-10", BigDecimal.valueOf(random.nextInt(20001) - 10000, 2)
                        .toPlainString(), "adjustment");
            } else if (choice == 4 && !closed && (pending.isEmpty() || random.nextBoolean())) {
                s.handle(new LedgerCommand.ClosePeriod(OCT, true), "admin");
                closed = true;
            } else if (closed && !secondAdded) {
                secondAdded = true; // too late for an October version
            }
        }
        return s;
    }

    private static Map<String, Long> quantities(LedgerScenario s) {
        Map<String, Long> q = new TreeMap<>();
        for (LedgerEntry e : s.entries()) {
            if (e.kind() == EntryKind.USAGE || e.kind() == EntryKind.REVERSAL) {
                q.merge(e.metric(), e.quantity(), Long::sum);
            }
        }
        return q;
    }

    /** Non-zero sums of USAGE and REVERSAL amounts per (model, metric) for entries of non-tiered rules. */
    private static Map<String, BigDecimal> nonTieredLines(LedgerScenario s) {
        Map<String, BigDecimal> lines = new TreeMap<>();
        for (LedgerEntry e : s.entries()) {
            if ((e.kind() == EntryKind.USAGE || e.kind() == EntryKind.REVERSAL)
                    && !(s.state.version(e.agreementVersion()).rule(e.ruleId()) instanceof RatingRule.Tiered)) {
                lines.merge(e.model() + "|" + e.metric(), e.amount(), BigDecimal::add);
            }
        }
        lines.replaceAll((k, v) -> v.stripTrailingZeros());
        lines.values().removeIf(v -> v.signum() == 0); // a rating fully reversed leaves no line
        return lines;
    }

    // ---------------- generators (seeded) ----------------

    static <T> T oneOf(Random r, List<T> values) {
        return values.get(r.nextInt(values.size()));
    }

    /** A decimal in [0, max] with exactly {@code scale} fraction digits, the bounds themselves now and then. */
    static BigDecimal decimal(Random r, BigDecimal max, int scale) {
        long top = max.movePointRight(scale).longValueExact();
        int edge = r.nextInt(20);
        long unscaled = edge == 0 ? 0 : edge == 1 ? top : r.nextLong(0, top + 1);
        return BigDecimal.valueOf(unscaled, scale);
    }

    static Instant octoberInstant(Random r) {
        return OCT_START.plusSeconds(r.nextLong(0, 30L * 24 * 3600 + 1));
    }

    static List<UsageEvent> usage(Random r) {
        int size = r.nextInt(10) == 0 ? 0 : r.nextInt(31);
        List<UsageEvent> events = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long quantity = r.nextInt(10) == 0 ? 0 : r.nextLong(0, 5_000_001);
            Revenue revenue = r.nextInt(10) < 3 ? null
                    : new Revenue(decimal(r, new BigDecimal("1000"), 8), oneOf(r, List.of("USD", "EUR")));
            events.add(new UsageEvent("aws", "e-" + i, OCT_START.plusSeconds(r.nextLong(0, 31L * 24 * 3600)),
                    oneOf(r, MODELS), oneOf(r, METRICS), quantity, revenue, null));
        }
        return events;
    }

    static AgreementDraft terms(Random r) {
        String min = r.nextBoolean() ? null : decimal(r, new BigDecimal("5000"), 2).toPlainString();
        String extra = r.nextBoolean() ? null : decimal(r, new BigDecimal("5000"), 2).toPlainString();
        int rules = r.nextInt(5);
        List<AgreementDraft.RuleDraft> numbered = new ArrayList<>();
        for (int i = 0; i < rules; i++) {
            AgreementDraft.RuleDraft rule = rule(r);
            numbered.add(new AgreementDraft.RuleDraft("r" + i, rule.model(), rule.metric(), rule.type(), rule.rate(),
                    rule.unitPrice(), rule.unitSize(), rule.basis(), rule.mode(), rule.tiers()));
        }
        // a catch-all keeps every event rated, so closes are never refused
        numbered.add(Terms.perUnit("catch-all", "*", "*", "0.000123", 1));
        String cap = extra == null ? null
                : new BigDecimal(extra).add(min == null ? BigDecimal.ZERO : new BigDecimal(min)).toPlainString();
        return new AgreementDraft("2026-10-01T00:00:00Z", null, "USD", min, cap, numbered);
    }

    private static AgreementDraft.RuleDraft rule(Random r) {
        String model = oneOf(r, List.of("*", "llama*", "llama-3.1-8b*", "mistral*", "*-instruct"));
        String metric = oneOf(r, List.of("*", "input_tokens", "output_tokens", "requests"));
        long unitSize = oneOf(r, List.of(1L, 1000L, 1_000_000L));
        switch (r.nextInt(3)) {
            case 0:
                return Terms.percent("?", model, metric, decimal(r, BigDecimal.ONE, 6).toPlainString());
            case 1:
                return Terms.perUnit("?", model, metric, decimal(r, BigDecimal.TEN, 6).toPlainString(), unitSize);
            default:
                String basis = oneOf(r, List.of("QUANTITY", "REVENUE"));
                String mode = oneOf(r, List.of("GRADUATED", "VOLUME"));
                java.util.TreeSet<Long> bounds = new java.util.TreeSet<>();
                int count = r.nextInt(4);
                for (int i = 0; i < count; i++) {
                    bounds.add(r.nextLong(1, 10_000_001));
                }
                List<Long> sorted = new ArrayList<>(bounds);
                sorted.add(null);
                AgreementDraft.TierDraft[] tiers = new AgreementDraft.TierDraft[sorted.size()];
                for (int i = 0; i < sorted.size(); i++) {
                    Long upTo = sorted.get(i);
                    tiers[i] = "QUANTITY".equals(basis)
                            ? Terms.qty(upTo, decimal(r, BigDecimal.TEN, 6).toPlainString(), unitSize)
                            : Terms.rev(upTo == null ? null : BigDecimal.valueOf(upTo, 2).toPlainString(),
                                    decimal(r, BigDecimal.ONE, 6).toPlainString());
                }
                return Terms.tiered("?", model, metric, basis, mode, tiers);
        }
    }
}
