package com.revshare.benchmark;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.Map;
import java.util.TreeMap;

/**
 * The money the benchmark's unique events must produce, summed as they are generated with
 * BigDecimal, per partner and booking period: usage (on-time events, USAGE entries) and late
 * usage (events of a closed month, LATE_USAGE entries booked into the next open period).
 * Duplicates add nothing. Not thread-safe: one generator thread owns it.
 */
final class Expected {
    /** The expected figures of one (partner, booking period). */
    static final class Totals {
        BigDecimal usageAmount = BigDecimal.ZERO;
        BigDecimal lateAmount = BigDecimal.ZERO;
        long usageEvents;
        long lateEvents;
        final Map<String, Long> quantities = new TreeMap<>();

        BigDecimal total() {
            return usageAmount.add(lateAmount);
        }

        long eventCount() {
            return usageEvents + lateEvents;
        }
    }

    private final Map<String, Map<YearMonth, Totals>> byPartner = new TreeMap<>();
    private long uniqueEvents;
    private long duplicates;

    void usage(String partnerId, YearMonth period, BigDecimal amount, String metric, long quantity) {
        Totals t = totals(partnerId, period);
        t.usageAmount = t.usageAmount.add(amount);
        t.usageEvents++;
        t.quantities.merge(metric, quantity, Long::sum);
        uniqueEvents++;
    }

    void late(String partnerId, YearMonth bookingPeriod, BigDecimal amount) {
        Totals t = totals(partnerId, bookingPeriod);
        t.lateAmount = t.lateAmount.add(amount);
        t.lateEvents++;
        uniqueEvents++;
    }

    void duplicate() {
        duplicates++;
    }

    Totals totals(String partnerId, YearMonth period) {
        return byPartner.computeIfAbsent(partnerId, p -> new TreeMap<>()).computeIfAbsent(period, p -> new Totals());
    }

    Map<String, Map<YearMonth, Totals>> byPartner() {
        return byPartner;
    }

    long uniqueEvents() {
        return uniqueEvents;
    }

    long duplicates() {
        return duplicates;
    }
}
