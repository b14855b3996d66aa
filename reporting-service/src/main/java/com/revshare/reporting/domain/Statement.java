package com.revshare.reporting.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A partner's statement for one booking period (SPEC §6), without its lines: the lines (USAGE +
 * REVERSAL per model and metric) can be many, so they are streamed beside it, and their sum is
 * {@code usageAmount}. Adjustments: one per other money kind present. total = usage + adjustments
 * exactly; amountDue = total at the currency's minor unit (HALF_EVEN).
 */
public record Statement(String partnerId, String period, boolean closed, Instant closedAt, String currency,
        BigDecimal usageAmount, List<Adjustment> adjustments, long eventCount) {

    /** A line: sums of the USAGE and REVERSAL entries of one model and metric. */
    public record Line(String model, String metric, BigDecimal quantity, BigDecimal revenue, BigDecimal amount) {
    }

    /** The sum of one adjustment kind. */
    public record Adjustment(EntryKind kind, BigDecimal amount) {
    }

    public Statement {
        adjustments = adjustments.stream().sorted(Comparator.comparing(Adjustment::kind)).toList();
    }

    /** A period of a known partner without entries: zeros, OPEN. */
    public static Statement empty(String partnerId, String period, String currency) {
        return new Statement(partnerId, period, false, null, currency, zero(), List.of(), 0);
    }

    public BigDecimal adjustmentsAmount() {
        return adjustments.stream().map(Adjustment::amount).reduce(zero(), BigDecimal::add);
    }

    public BigDecimal total() {
        return usageAmount.add(adjustmentsAmount());
    }

    public BigDecimal amountDue() {
        return Money.amountDue(total(), currency);
    }

    public String status() {
        return closed ? "CLOSED" : "OPEN";
    }

    private static BigDecimal zero() {
        return BigDecimal.ZERO.setScale(Money.AMOUNT_SCALE);
    }
}
