package com.revshare.ingest.domain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Usage totals of SPEC §2.6: an event count, a sum per metric (always all three metrics) and a sum per
 * currency (scale 8). What a control reports, what ingest received in a window, and their difference are
 * all totals. Sums are unbounded (a window can hold more than a long's worth of tokens); immutable.
 */
public record Totals(long eventCount, Map<String, BigInteger> quantities, Map<String, BigDecimal> revenue) {
    /** The metrics in the order they are listed. */
    public static final List<String> METRICS = List.of("input_tokens", "output_tokens", "requests");
    private static final int AMOUNT_SCALE = 8;
    public static final Totals ZERO = new Totals(0, Map.of(), Map.of());

    public Totals {
        Map<String, BigInteger> q = new TreeMap<>();
        for (String metric : METRICS) {
            q.put(metric, quantities.getOrDefault(metric, BigInteger.ZERO));
        }
        Map<String, BigDecimal> r = new TreeMap<>();
        revenue.forEach((currency, amount) -> r.put(currency, amount.setScale(AMOUNT_SCALE)));
        quantities = Collections.unmodifiableMap(q);
        revenue = Collections.unmodifiableMap(r);
    }

    /** The UTC hour an event time falls in (the key of the hourly aggregates). */
    public static Instant hourOf(Instant time) {
        return time.truncatedTo(ChronoUnit.HOURS);
    }

    /** What a control reports: absent metrics and currencies are 0 (currencies it names stay listed). */
    public static Totals reported(ControlEvent control) {
        Map<String, BigInteger> q = new TreeMap<>();
        control.quantities().forEach((metric, value) -> q.put(metric, BigInteger.valueOf(value)));
        return new Totals(control.eventCount(), q, control.revenue());
    }

    /** These totals with one more event. */
    public Totals plus(UsageEvent event) {
        Map<String, BigInteger> q = new TreeMap<>(quantities);
        q.merge(event.metric(), BigInteger.valueOf(event.quantity()), BigInteger::add);
        Map<String, BigDecimal> r = new TreeMap<>(revenue);
        if (event.revenue() != null) {
            r.merge(event.revenue().currency(), event.revenue().amount(), BigDecimal::add);
        }
        return new Totals(eventCount + 1, q, r);
    }

    public Totals plus(Totals other) {
        return combine(other, 1);
    }

    /** this − other, over the union of both currency sets. */
    public Totals minus(Totals other) {
        return combine(other, -1);
    }

    private Totals combine(Totals other, int sign) {
        Map<String, BigInteger> q = new TreeMap<>();
        for (String metric : METRICS) {
            BigInteger b = other.quantities.get(metric);
            q.put(metric, quantities.get(metric).add(sign < 0 ? b.negate() : b));
        }
        TreeSet<String> currencies = new TreeSet<>(revenue.keySet());
        currencies.addAll(other.revenue.keySet());
        Map<String, BigDecimal> r = new TreeMap<>();
        for (String c : currencies) {
            BigDecimal a = revenue.getOrDefault(c, BigDecimal.ZERO);
            BigDecimal b = other.revenue.getOrDefault(c, BigDecimal.ZERO);
            r.put(c, sign < 0 ? a.subtract(b) : a.add(b));
        }
        return new Totals(sign < 0 ? eventCount - other.eventCount : eventCount + other.eventCount, q, r);
    }

    /** These totals listing at least the given currencies (at 0 when absent). */
    public Totals withCurrencies(java.util.Collection<String> currencies) {
        Map<String, BigDecimal> r = new TreeMap<>(revenue);
        currencies.forEach(c -> r.putIfAbsent(c, BigDecimal.ZERO));
        return new Totals(eventCount, quantities, r);
    }

    /** Whether every count and sum is 0. */
    public boolean isZero() {
        return eventCount == 0 && quantities.values().stream().allMatch(v -> v.signum() == 0)
                && revenue.values().stream().allMatch(v -> v.signum() == 0);
    }
}
