package com.revshare.reporting.domain;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Settlement of a partner's billed periods as of a date (SPEC §3.8), pure: payments received on
 * or before the date, plus the absolute value of every negative billed amountDue, are allocated
 * to the billed periods with a positive amountDue oldest period first; what is left is
 * unallocated. Outstanding amounts are aged by days past the due date. All amounts at the
 * currency's minor-unit scale (the caller passes amounts already at that scale).
 * Invariant: billed − paid = outstanding − unallocated.
 */
public final class Settlements {
    /** Aging bucket names in report order. */
    public static final List<String> BUCKETS = List.of("current", "1-30", "31-60", "61-90", "90+");

    private Settlements() {
    }

    /** A CLOSED period: billed from the UTC day of its close on. */
    public record BilledPeriod(String period, LocalDate closedOn, BigDecimal amountDue) {
    }

    /** A payment: counts from the day the money arrived. */
    public record Payment(LocalDate receivedOn, BigDecimal amount) {
    }

    /** One billed period's settlement. */
    public record PeriodSettlement(String period, BigDecimal amountDue, LocalDate dueOn, BigDecimal allocated,
            BigDecimal outstanding, long daysPastDue) {
    }

    /** A partner's receivable as of a date. */
    public record Receivable(LocalDate asOf, BigDecimal billed, BigDecimal paid, BigDecimal outstanding,
            BigDecimal unallocated, Map<String, BigDecimal> aging, List<PeriodSettlement> periods) {
        /** Whether the partner has a billed period or a payment as of the date (a receivables row). */
        public boolean hasActivity() {
            return !periods.isEmpty() || paid.signum() != 0;
        }
    }

    /** The first day of the month after {@code period} plus the payment terms. */
    public static LocalDate dueOn(String period, int paymentTermsDays) {
        return YearMonth.parse(period).plusMonths(1).atDay(1).plusDays(paymentTermsDays);
    }

    /** The aging bucket of an amount {@code daysPastDue} past its due date. */
    public static String bucket(long daysPastDue) {
        if (daysPastDue <= 0) {
            return "current";
        } else if (daysPastDue <= 30) {
            return "1-30";
        } else if (daysPastDue <= 60) {
            return "31-60";
        } else if (daysPastDue <= 90) {
            return "61-90";
        }
        return "90+";
    }

    public static Receivable asOf(LocalDate asOf, int paymentTermsDays, int scale, List<BilledPeriod> closed,
            List<Payment> payments) {
        BigDecimal zero = BigDecimal.ZERO.setScale(scale);
        List<BilledPeriod> billed = closed.stream().filter(p -> !p.closedOn().isAfter(asOf))
                .sorted(Comparator.comparing(BilledPeriod::period)).toList();
        BigDecimal paid = payments.stream().filter(p -> !p.receivedOn().isAfter(asOf)).map(Payment::amount)
                .reduce(zero, BigDecimal::add);
        BigDecimal billedSum = billed.stream().map(BilledPeriod::amountDue).reduce(zero, BigDecimal::add);
        BigDecimal credit = paid.add(billed.stream().map(BilledPeriod::amountDue).filter(a -> a.signum() < 0)
                .map(BigDecimal::negate).reduce(zero, BigDecimal::add));
        Map<String, BigDecimal> aging = new LinkedHashMap<>();
        BUCKETS.forEach(b -> aging.put(b, zero));
        BigDecimal outstandingSum = zero;
        List<PeriodSettlement> settled = new ArrayList<>();
        for (BilledPeriod p : billed) {
            LocalDate dueOn = dueOn(p.period(), paymentTermsDays);
            long daysPastDue = ChronoUnit.DAYS.between(dueOn, asOf);
            BigDecimal allocated = zero;
            BigDecimal outstanding = zero;
            if (p.amountDue().signum() > 0) {
                allocated = p.amountDue().min(credit);
                credit = credit.subtract(allocated);
                outstanding = p.amountDue().subtract(allocated);
                outstandingSum = outstandingSum.add(outstanding);
                aging.merge(bucket(daysPastDue), outstanding, BigDecimal::add);
            }
            settled.add(new PeriodSettlement(p.period(), p.amountDue(), dueOn, allocated, outstanding, daysPastDue));
        }
        return new Receivable(asOf, billedSum, paid, outstandingSum, credit, aging, settled);
    }
}
