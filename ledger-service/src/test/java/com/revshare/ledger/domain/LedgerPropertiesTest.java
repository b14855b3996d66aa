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

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The four invariants issue 3 asks for, over random agreements (every rule type) and random
 * usage: (a) a closed period's figures ignore order, duplication and batching; (b) every balance
 * is the fold of its entries; (c) debits equal credits; (d) re-rating then restoring the terms
 * gives back the original totals.
 */
class LedgerPropertiesTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private static final Instant OCT_START = Instant.parse("2026-10-01T00:00:00Z");
    private static final List<String> MODELS = List.of("llama-3.1-8b-instruct", "llama-3.1-70b-instruct",
            "mistral-7b");
    private static final List<String> METRICS = List.of("input_tokens", "output_tokens", "requests");

    // ---------------- (a) ----------------

    @Property(tries = 1000)
    void closedPeriodFiguresAreTheSameForAnyOrderDuplicationAndBatching(@ForAll("terms") AgreementDraft terms,
            @ForAll("usage") List<UsageEvent> events, @ForAll Random random) {
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

    @Property(tries = 1000)
    void everyBalanceEqualsTheFoldOfItsEntries(@ForAll("terms") AgreementDraft first,
            @ForAll("terms") AgreementDraft second, @ForAll("usage") List<UsageEvent> events, @ForAll Random random) {
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

    @Property(tries = 1000)
    void debitsEqualCreditsForEveryHistory(@ForAll("terms") AgreementDraft first,
            @ForAll("terms") AgreementDraft second, @ForAll("usage") List<UsageEvent> events, @ForAll Random random) {
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
        Postings.assertBalanced(s.entries());
    }

    // ---------------- (d) ----------------

    @Property(tries = 1000)
    void reRatingThenRestoringTheTermsReturnsTheOriginalTotals(@ForAll("terms") AgreementDraft terms,
            @ForAll("terms") AgreementDraft other, @ForAll("usage") List<UsageEvent> events,
            @ForAll("octoberInstant") Instant otherFrom) {
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

    // ---------------- generators ----------------

    @Provide
    Arbitrary<Instant> octoberInstant() {
        return Arbitraries.longs().between(0, 30L * 24 * 3600).map(OCT_START::plusSeconds);
    }

    @Provide
    Arbitrary<List<UsageEvent>> usage() {
        Arbitrary<UsageEvent> event = Combinators.combine(
                Arbitraries.longs().between(0, 31L * 24 * 3600 - 1),
                Arbitraries.of(MODELS), Arbitraries.of(METRICS),
                Arbitraries.longs().between(0, 5_000_000).edgeCases(c -> c.add(0L)),
                Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("1000")).ofScale(8).injectNull(0.3),
                Arbitraries.of("USD", "EUR"))
                .as((second, model, metric, quantity, revenue, currency) -> new UsageEvent("aws", "?",
                        OCT_START.plusSeconds(second), model, metric, quantity,
                        revenue == null ? null : new Revenue(revenue, currency), null));
        return event.list().ofMinSize(0).ofMaxSize(30).map(list -> {
            List<UsageEvent> numbered = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                UsageEvent e = list.get(i);
                numbered.add(new UsageEvent(e.partnerId(), "e-" + i, e.time(), e.model(), e.metric(), e.quantity(),
                        e.revenue(), null));
            }
            return numbered;
        });
    }

    @Provide
    Arbitrary<AgreementDraft> terms() {
        Arbitrary<String> minimum = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("5000"))
                .ofScale(2).map(BigDecimal::toPlainString).injectNull(0.5);
        Arbitrary<String> capOver = Arbitraries.bigDecimals().between(BigDecimal.ZERO, new BigDecimal("5000"))
                .ofScale(2).map(BigDecimal::toPlainString).injectNull(0.5);
        return Combinators.combine(rule().list().ofMinSize(0).ofMaxSize(4), minimum, capOver)
                .as((rules, min, extra) -> {
                    List<AgreementDraft.RuleDraft> numbered = new ArrayList<>();
                    for (int i = 0; i < rules.size(); i++) {
                        AgreementDraft.RuleDraft r = rules.get(i);
                        numbered.add(new AgreementDraft.RuleDraft("r" + i, r.model(), r.metric(), r.type(), r.rate(),
                                r.unitPrice(), r.unitSize(), r.basis(), r.mode(), r.tiers()));
                    }
                    // a catch-all keeps every event rated, so closes are never refused
                    numbered.add(Terms.perUnit("catch-all", "*", "*", "0.000123", 1));
                    String cap = extra == null ? null
                            : new BigDecimal(extra).add(min == null ? BigDecimal.ZERO : new BigDecimal(min))
                                    .toPlainString();
                    return new AgreementDraft("2026-10-01T00:00:00Z", null, "USD", min, cap, numbered);
                });
    }

    private Arbitrary<AgreementDraft.RuleDraft> rule() {
        Arbitrary<String> model = Arbitraries.of("*", "llama*", "llama-3.1-8b*", "mistral*", "*-instruct");
        Arbitrary<String> metric = Arbitraries.of("*", "input_tokens", "output_tokens", "requests");
        Arbitrary<String> rate = Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.ONE).ofScale(6)
                .map(BigDecimal::toPlainString);
        Arbitrary<String> price = Arbitraries.bigDecimals().between(BigDecimal.ZERO, BigDecimal.TEN).ofScale(6)
                .map(BigDecimal::toPlainString);
        Arbitrary<Long> unitSize = Arbitraries.of(1L, 1000L, 1_000_000L);
        Arbitrary<AgreementDraft.RuleDraft> percent = Combinators.combine(model, metric, rate)
                .as((m, me, r) -> Terms.percent("?", m, me, r));
        Arbitrary<AgreementDraft.RuleDraft> perUnit = Combinators.combine(model, metric, price, unitSize)
                .as((m, me, p, u) -> Terms.perUnit("?", m, me, p, u));
        Arbitrary<AgreementDraft.RuleDraft> tiered = Combinators.combine(model, metric,
                Arbitraries.of("QUANTITY", "REVENUE"), Arbitraries.of("GRADUATED", "VOLUME"),
                Arbitraries.longs().between(1, 10_000_000).set().ofMinSize(0).ofMaxSize(3), price.list().ofSize(4),
                unitSize, rate.list().ofSize(4))
                .as((m, me, basis, mode, bounds, prices, size, rates) -> {
                    List<Long> sorted = new ArrayList<>(bounds);
                    Collections.sort(sorted);
                    sorted.add(null);
                    AgreementDraft.TierDraft[] tiers = new AgreementDraft.TierDraft[sorted.size()];
                    for (int i = 0; i < sorted.size(); i++) {
                        Long upTo = sorted.get(i);
                        tiers[i] = "QUANTITY".equals(basis) ? Terms.qty(upTo, prices.get(i), size)
                                : Terms.rev(upTo == null ? null : BigDecimal.valueOf(upTo, 2).toPlainString(),
                                        rates.get(i));
                    }
                    return Terms.tiered("?", m, me, basis, mode, tiers);
                });
        return Arbitraries.oneOf(percent, perUnit, tiered);
    }
}
