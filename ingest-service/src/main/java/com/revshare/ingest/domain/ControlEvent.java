package com.revshare.ingest.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A control event that passed validation (SPEC §2.6): the partner's statement that its unique usage events
 * with {@code time} in [{@code from}, {@code to}) number {@code eventCount} and sum per metric to
 * {@code quantities} and per currency to {@code revenue}. Normalised: the window as UTC instants on whole
 * hours, quantities as numbers, amounts as exact decimals at scale 8, both maps sorted by key.
 * {@link #sameContentAs} is the content comparison of SPEC §2.6 (absent keys count as 0).
 *
 * @param time the control's envelope time (its {@code reportedAt})
 */
public record ControlEvent(String partnerId, String eventId, String source, Instant time, Instant from, Instant to,
        long eventCount, Map<String, Long> quantities, Map<String, BigDecimal> revenue) {

    public ControlEvent {
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        quantities = Collections.unmodifiableMap(new TreeMap<>(quantities));
        revenue = Collections.unmodifiableMap(new TreeMap<>(revenue));
    }

    /** The reported quantity of a metric; 0 when the control does not name it. */
    public long quantity(String metric) {
        return quantities.getOrDefault(metric, 0L);
    }

    /**
     * Same content (SPEC §2.6): window, eventCount, and quantities and revenue compared by value with 0 for
     * keys one side does not name. Source, envelope time, spelling and ignored fields do not count.
     */
    public boolean sameContentAs(ControlEvent other) {
        if (!from.equals(other.from) || !to.equals(other.to) || eventCount != other.eventCount) {
            return false;
        }
        for (String metric : UsageEventValidator.METRICS) {
            if (quantity(metric) != other.quantity(metric)) {
                return false;
            }
        }
        TreeSet<String> currencies = new TreeSet<>(revenue.keySet());
        currencies.addAll(other.revenue.keySet());
        for (String currency : currencies) {
            BigDecimal a = revenue.getOrDefault(currency, BigDecimal.ZERO);
            BigDecimal b = other.revenue.getOrDefault(currency, BigDecimal.ZERO);
            if (a.compareTo(b) != 0) {
                return false;
            }
        }
        return true;
    }

    public UsageEvent.Key key() {
        return new UsageEvent.Key(partnerId, eventId);
    }
}
