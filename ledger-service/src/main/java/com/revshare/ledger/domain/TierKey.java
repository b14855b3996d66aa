package com.revshare.ledger.domain;

import java.time.YearMonth;

/** The unit a tier basis is counted in: per partner, month and (agreement version, rule id) (SPEC §3.2). */
public record TierKey(YearMonth period, int version, String ruleId) {
}
