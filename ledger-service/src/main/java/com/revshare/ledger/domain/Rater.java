package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.YearMonth;

/**
 * Rates one usage event against a partner's state (SPEC §3.1–§3.5): the governing version at the
 * event's time, the first matching rule whose inputs are present, FX by the event's UTC date, the
 * tier counters, and late pricing at the original period's marginal price.
 */
final class Rater {
    private Rater() {
    }

    /** The result: either a rating or the reason it cannot be rated. */
    record Outcome(UnratedReason unrated, AgreementVersion version, RatingRule rule, BigDecimal fxRate,
            BigDecimal settlementRevenue, BigDecimal amount, YearMonth bookedPeriod, boolean late) {
        boolean rated() {
            return unrated == null;
        }

        static Outcome unrated(UnratedReason reason) {
            return new Outcome(reason, null, null, null, null, null, null, false);
        }
    }

    static Outcome rate(UsageEvent event, PartnerLedger state, FxRates fx) {
        AgreementVersion version = state.governingAt(event.time());
        if (version == null) {
            return Outcome.unrated(UnratedReason.NO_AGREEMENT);
        }
        String settlement = state.currency();
        BigDecimal fxRate = null;
        BigDecimal settlementRevenue = null;
        boolean fxMissing = false;
        if (event.revenue() != null) {
            if (event.revenue().currency().equals(settlement)) {
                settlementRevenue = event.revenue().amount();
            } else {
                fxRate = fx.rate(event.utcDate(), event.revenue().currency(), settlement);
                if (fxRate == null) {
                    fxMissing = true;
                } else {
                    settlementRevenue = event.revenue().amount().multiply(fxRate);
                }
            }
        }
        YearMonth period = event.period();
        boolean late = state.isClosed(period);
        YearMonth booked = late ? state.earliestOpen() : period;
        for (RatingRule rule : version.rules()) {
            if (!rule.matches(event.model(), event.metric())) {
                continue;
            }
            if (rule.revenueBased()) {
                if (event.revenue() == null) {
                    continue;
                }
                if (fxMissing) {
                    return Outcome.unrated(UnratedReason.NO_FX_RATE);
                }
            }
            BigDecimal exact = price(event, rule, version, settlementRevenue, period, late, state);
            return new Outcome(null, version, rule, fxRate, settlementRevenue, Money.round8(exact), booked, late);
        }
        return Outcome.unrated(UnratedReason.NO_MATCHING_RULE);
    }

    private static BigDecimal price(UsageEvent event, RatingRule rule, AgreementVersion version,
            BigDecimal settlementRevenue, YearMonth period, boolean late, PartnerLedger state) {
        if (rule instanceof RatingRule.PercentOfRevenue percent) {
            return settlementRevenue.multiply(percent.rate());
        }
        if (rule instanceof RatingRule.PerUnit perUnit) {
            return BigDecimal.valueOf(event.quantity()).multiply(perUnit.pricePerUnit());
        }
        RatingRule.Tiered tiered = (RatingRule.Tiered) rule;
        BigDecimal basis = tiered.basis() == RatingRule.TierBasis.QUANTITY ? BigDecimal.valueOf(event.quantity())
                : settlementRevenue;
        TierSchedule schedule = tiered.schedule();
        BigDecimal counted = state.counter(new TierKey(period, version.version(), rule.id()));
        if (late) {
            // a late event is priced at the closed period's final marginal price and moves no counter
            return basis.multiply(schedule.marginal(counted));
        }
        return schedule.increment(tiered.mode(), counted, basis);
    }
}
