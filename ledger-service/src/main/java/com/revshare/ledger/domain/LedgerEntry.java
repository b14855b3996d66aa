package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

/**
 * One immutable ledger entry (SPEC §4). Double-entry: it debits {@link #debitAccount()} and
 * credits {@link #creditAccount()} by the same {@code amount}. Fields that do not apply are null.
 */
public record LedgerEntry(UUID entryId, String partnerId, long sequence, YearMonth period, EntryKind kind,
        BigDecimal amount, String currency, String usageEventId, String model, String metric, Long quantity,
        Revenue revenue, BigDecimal fxRate, BigDecimal settlementRevenue, Integer agreementVersion, String ruleId,
        UUID reversesEntryId, YearMonth originalPeriod, String memo, String actor, Instant closedAt,
        Instant eventTime, Instant postedAt) {

    public String debitAccount() {
        return "partners/" + partnerId + "/receivable";
    }

    public String creditAccount() {
        return "revenue/" + partnerId + "/share";
    }

    /** The entry that negates this one: amounts, quantity and revenues negated, the event's facts kept. */
    public LedgerEntry reversal(UUID id, long seq, String reversalActor, Instant at) {
        return new LedgerEntry(id, partnerId, seq, period, EntryKind.REVERSAL, amount.negate(), currency,
                usageEventId, model, metric, quantity == null ? null : -quantity,
                revenue == null ? null : revenue.negate(), fxRate,
                settlementRevenue == null ? null : settlementRevenue.negate(), agreementVersion, ruleId, entryId,
                originalPeriod, null, reversalActor, null, eventTime, at);
    }

    /** An entry that is not about one usage event (true-ups, adjustments, close). */
    public static LedgerEntry periodEntry(UUID id, String partnerId, long seq, YearMonth period, EntryKind kind,
            BigDecimal amount, String currency, Integer agreementVersion, String ruleId, String memo, String actor,
            Instant closedAt, Instant at) {
        return new LedgerEntry(id, partnerId, seq, period, kind, amount, currency, null, null, null, null, null,
                null, null, agreementVersion, ruleId, null, null, memo, actor, closedAt, null, at);
    }
}
