package com.revshare.ingest.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A usage event that passed validation, normalised: time as a UTC instant, quantity as a number,
 * revenue amount as an exact decimal at scale 8. {@link #sameContentAs} is the content comparison of
 * SPEC §2.3, which decides between a duplicate and a {@link RejectionReason#DUPLICATE_CONFLICT}.
 *
 * @param revenue null when the event carries none
 * @param region null when the event carries none
 */
public record UsageEvent(String partnerId, String eventId, String source, Instant time, String model, String metric,
        long quantity, Revenue revenue, String region) {

    /** Revenue the partner earned for this usage; {@code amount} has scale 8. */
    public record Revenue(BigDecimal amount, String currency) {
        public Revenue {
            Objects.requireNonNull(amount, "amount");
            Objects.requireNonNull(currency, "currency");
        }
    }

    public UsageEvent {
        Objects.requireNonNull(partnerId, "partnerId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(time, "time");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(metric, "metric");
    }

    /**
     * Same interpreted content (SPEC §2.3): time instant, model, metric, quantity, revenue amount
     * compared numerically and currency, region. Source, spelling and ignored fields do not count.
     */
    public boolean sameContentAs(UsageEvent other) {
        return time.equals(other.time) && model.equals(other.model) && metric.equals(other.metric)
                && quantity == other.quantity && sameRevenue(revenue, other.revenue)
                && Objects.equals(region, other.region);
    }

    private static boolean sameRevenue(Revenue a, Revenue b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.amount.compareTo(b.amount) == 0 && a.currency.equals(b.currency);
    }

    /** The (partner, event id) idempotency key. */
    public Key key() {
        return new Key(partnerId, eventId);
    }

    /** The idempotency key of SPEC §2.3. */
    public record Key(String partnerId, String eventId) {
    }
}
