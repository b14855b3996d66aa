package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.util.List;

/**
 * The price functions of SPEC §3.2 over a cumulative basis B: graduated(B), the tier B reaches and
 * its marginal price. Exact decimals; no rounding here.
 */
public final class TierSchedule {
    private final List<RatingRule.Tier> tiers;

    public TierSchedule(List<RatingRule.Tier> tiers) {
        this.tiers = List.copyOf(tiers);
    }

    /** Σ_i max(0, min(B, U_i) − L_i) × p_i. */
    public BigDecimal graduated(BigDecimal total) {
        BigDecimal sum = BigDecimal.ZERO;
        BigDecimal lower = BigDecimal.ZERO;
        for (RatingRule.Tier tier : tiers) {
            if (total.compareTo(lower) <= 0) {
                break;
            }
            BigDecimal upper = tier.upTo() == null || total.compareTo(tier.upTo()) < 0 ? total : tier.upTo();
            sum = sum.add(upper.subtract(lower).multiply(tier.price()));
            if (tier.upTo() == null) {
                break;
            }
            lower = tier.upTo();
        }
        return sum;
    }

    /** p_i of the tier with L_i < B ≤ U_i (the first tier when B = 0). */
    public BigDecimal marginal(BigDecimal total) {
        if (total.signum() <= 0) {
            return tiers.get(0).price();
        }
        for (RatingRule.Tier tier : tiers) {
            if (tier.upTo() == null || total.compareTo(tier.upTo()) <= 0) {
                return tier.price();
            }
        }
        return tiers.get(tiers.size() - 1).price();
    }

    /** The exact price of a month's total under the mode: graduated(B) or B × marginal(B). */
    public BigDecimal monthPrice(RatingRule.TierMode mode, BigDecimal total) {
        return mode == RatingRule.TierMode.GRADUATED ? graduated(total) : total.multiply(marginal(total));
    }

    /** The exact provisional amount of an event moving the basis from A to A + b. */
    public BigDecimal increment(RatingRule.TierMode mode, BigDecimal before, BigDecimal basis) {
        BigDecimal after = before.add(basis);
        return mode == RatingRule.TierMode.GRADUATED ? graduated(after).subtract(graduated(before))
                : basis.multiply(marginal(after));
    }
}
