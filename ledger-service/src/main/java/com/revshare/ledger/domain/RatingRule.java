package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * One rule of an agreement version (SPEC §3.1, §3.2). Rules are tried in order; the first whose
 * model glob and metric match, and whose inputs are present, rates the event.
 */
public sealed interface RatingRule permits RatingRule.PercentOfRevenue, RatingRule.PerUnit, RatingRule.Tiered {
    String id();

    String model();

    String metric();

    /** Needs the event's revenue (PERCENT_OF_REVENUE and TIERED with basis REVENUE). */
    boolean revenueBased();

    default boolean matches(String eventModel, String eventMetric) {
        return ("*".equals(metric()) || metric().equals(eventMetric)) && Glob.matches(model(), eventModel);
    }

    /** share = settlement revenue × rate. */
    record PercentOfRevenue(String id, String model, String metric, BigDecimal rate) implements RatingRule {
        @Override
        public boolean revenueBased() {
            return true;
        }
    }

    /** share = quantity × unitPrice / unitSize. */
    record PerUnit(String id, String model, String metric, BigDecimal unitPrice, long unitSize) implements RatingRule {
        @Override
        public boolean revenueBased() {
            return false;
        }

        public BigDecimal pricePerUnit() {
            return Tier.perUnit(unitPrice, unitSize);
        }
    }

    /** Tiered pricing over a monthly cumulative basis (SPEC §3.2). */
    record Tiered(String id, String model, String metric, TierBasis basis, TierMode mode, List<Tier> tiers)
            implements RatingRule {
        @Override
        public boolean revenueBased() {
            return basis == TierBasis.REVENUE;
        }

        public TierSchedule schedule() {
            return new TierSchedule(tiers);
        }
    }

    enum TierBasis {
        QUANTITY, REVENUE
    }

    enum TierMode {
        GRADUATED, VOLUME
    }

    /**
     * A tier up to {@code upTo} (null = unbounded). With basis QUANTITY it has unitPrice/unitSize,
     * with basis REVENUE a rate; {@link #price()} is p_i, the price per basis unit.
     */
    record Tier(BigDecimal upTo, BigDecimal unitPrice, Long unitSize, BigDecimal rate) {
        public BigDecimal price() {
            return rate != null ? rate : perUnit(unitPrice, unitSize);
        }

        static BigDecimal perUnit(BigDecimal unitPrice, long unitSize) {
            // unitSize is a power of ten, so the division is an exact decimal shift
            return unitPrice.movePointLeft(Long.toString(unitSize).length() - 1);
        }
    }
}
