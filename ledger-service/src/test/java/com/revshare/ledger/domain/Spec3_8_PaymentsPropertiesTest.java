package com.revshare.ledger.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * SPEC §3.8 and §4 over random histories of usage, adjustments, closes and payments (1000 seeded tries,
 * {@link Seeded}): the partner's receivable = Σ charges − Σ payments, per currency Σ debits = Σ credits and
 * cash holds exactly the payments; payments change no period total and no event count (the same history
 * without its payments gives the same figures); a payment is booked into the earliest OPEN period, never a
 * CLOSED one. (Allocation to billed periods and aging are reporting's; the ledger keeps the balance.)
 */
class Spec3_8_PaymentsPropertiesTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);

    /** One step of a random history. */
    private record Step(String kind, Object value) {
    }

    @Test
    void theReceivableIsChargesMinusPaymentsAndPaymentsChangeNoPeriodFigure() {
        Seeded.forAll("receivable = charges - payments; payments change no period figure", 1000, random -> {
            AgreementDraft terms = LedgerPropertiesTest.terms(random);
            List<Step> history = history(random);

            LedgerScenario withPayments = run(terms, history, true);
            LedgerScenario without = run(terms, history, false);

            // given the same commands, with and without the payments: the same period figures
            for (YearMonth m = OCT; !m.isAfter(OCT.plusMonths(2)); m = m.plusMonths(1)) {
                assertEquals(0, withPayments.state.periodTotal(m).compareTo(without.state.periodTotal(m)),
                        "total of " + m);
                assertEquals(without.state.eventCount(m), withPayments.state.eventCount(m), "event count of " + m);
            }
            // then the books: receivable = Σ charges − Σ payments, debits = credits, cash = Σ payments
            BigDecimal charges = BigDecimal.ZERO;
            BigDecimal payments = BigDecimal.ZERO;
            YearMonth lastClosed = null;
            for (LedgerEntry e : withPayments.entries()) {
                if (e.kind() == EntryKind.PAYMENT) {
                    payments = payments.add(e.amount());
                    assertTrue(e.amount().signum() > 0, "a payment is > 0");
                    assertEquals(8, e.amount().scale());
                    assertTrue(lastClosed == null || e.period().isAfter(lastClosed),
                            "payment " + e.paymentId() + " booked into CLOSED " + e.period());
                    assertEquals(lastClosed == null ? OCT : lastClosed.plusMonths(1), e.period(),
                            "the earliest OPEN period");
                } else if (e.kind() == EntryKind.PERIOD_CLOSED) {
                    lastClosed = e.period();
                } else {
                    charges = charges.add(e.amount());
                }
            }
            Map<String, BigDecimal> balances = new LinkedHashMap<>();
            BigDecimal debits = BigDecimal.ZERO;
            BigDecimal credits = BigDecimal.ZERO;
            for (Postings.Posting p : Postings.of(withPayments.entries())) {
                debits = debits.add(p.debit());
                credits = credits.add(p.credit());
                balances.merge(p.account(), p.debit().subtract(p.credit()), BigDecimal::add);
            }
            assertEquals(0, debits.compareTo(credits), "debits = credits");
            assertEquals(0, balances.getOrDefault("partners/aws/receivable", BigDecimal.ZERO)
                    .compareTo(charges.subtract(payments)), "receivable = charges - payments");
            assertEquals(0, balances.getOrDefault("cash/USD", BigDecimal.ZERO).compareTo(payments), "cash");
            BigDecimal periodTotals = withPayments.state.periodTotals().values().stream()
                    .reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, periodTotals.compareTo(charges), "period totals hold the charges only");
            Postings.checkEntries(withPayments.entries());
        });
    }

    private static List<Step> history(Random r) {
        List<Step> steps = new ArrayList<>();
        List<UsageEvent> events = LedgerPropertiesTest.usage(r);
        int used = 0;
        int payments = 0;
        int closes = 0;
        int length = 3 + r.nextInt(12);
        for (int i = 0; i < length; i++) {
            switch (r.nextInt(4)) {
                case 0 -> {
                    int n = used >= events.size() ? 0 : 1 + r.nextInt(events.size() - used);
                    steps.add(new Step("usage", new ArrayList<>(events.subList(used, used + n))));
                    used += n;
                }
                case 1 -> steps.add(new Step("adjust", BigDecimal.valueOf(r.nextInt(20001) - 10000, 2)));
                case 2 -> steps.add(new Step("pay", new String[] {"p-" + payments++,
                        BigDecimal.valueOf(1 + r.nextInt(1_000_000), 2).toPlainString()}));
                default -> {
                    if (closes < 2) {
                        steps.add(new Step("close", OCT.plusMonths(closes++)));
                    }
                }
            }
        }
        return steps;
    }

    @SuppressWarnings("unchecked")
    private static LedgerScenario run(AgreementDraft terms, List<Step> history, boolean withPayments) {
        LedgerScenario s = LedgerScenario.partner("aws", "USD");
        for (int day = 1; day <= 31; day++) {
            s.rates.put(String.format("2026-10-%02d|EUR|USD", day), new BigDecimal("1.0842"));
        }
        s.agreement(terms);
        s.at("2027-01-05T00:00:00Z");
        for (Step step : history) {
            switch (step.kind()) {
                case "usage" -> s.usage(((List<UsageEvent>) step.value()).toArray(UsageEvent[]::new));
                case "adjust" -> s.adjust(s.state.earliestOpen().toString(), step.value().toString(), "adjustment");
                case "close" -> s.handle(new LedgerCommand.ClosePeriod((YearMonth) step.value(), true), "admin");
                default -> {
                    if (withPayments) {
                        String[] p = (String[]) step.value();
                        s.handle(new LedgerCommand.RecordPayment(p[0], p[1], "USD", "2026-12-31", null), "finance");
                    }
                }
            }
        }
        return s;
    }
}
