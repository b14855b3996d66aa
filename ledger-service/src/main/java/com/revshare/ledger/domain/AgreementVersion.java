package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * Version {@code version} of a partner's agreement, effective on [{@code effectiveFrom},
 * {@code effectiveTo}) (open-ended when {@code effectiveTo} is null). Where versions overlap the
 * one added later (higher number) governs (SPEC §3.1).
 */
public record AgreementVersion(int version, Instant effectiveFrom, Instant effectiveTo, String currency,
        BigDecimal monthlyMinimum, BigDecimal monthlyCap, List<RatingRule> rules, String actor, Instant createdAt) {

    public AgreementVersion {
        rules = List.copyOf(rules);
    }

    public boolean covers(Instant time) {
        return !time.isBefore(effectiveFrom) && (effectiveTo == null || time.isBefore(effectiveTo));
    }

    /** Governs a period's end: effectiveFrom < end ≤ effectiveTo (or open-ended) (SPEC §3.5 step 2). */
    public boolean governsEnd(Instant periodEnd) {
        return effectiveFrom.isBefore(periodEnd) && (effectiveTo == null || !effectiveTo.isBefore(periodEnd));
    }

    public RatingRule rule(String ruleId) {
        return rules.stream().filter(r -> r.id().equals(ruleId)).findFirst().orElse(null);
    }
}
