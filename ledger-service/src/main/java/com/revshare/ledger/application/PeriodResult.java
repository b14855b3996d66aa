package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;

/** A period's figures as a close answers them and the balance lists them (SPEC §5). */
public record PeriodResult(String partnerId, YearMonth period, String status, String currency, BigDecimal total,
        BigDecimal amountDue, long eventCount, Instant closedAt) {
}
