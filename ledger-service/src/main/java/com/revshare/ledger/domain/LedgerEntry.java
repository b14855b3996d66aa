package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.UUID;

/**
 * One immutable ledger entry (SPEC §4). Double-entry: it debits {@link #debitAccount()} and
 * credits {@link #creditAccount()} by the same {@code amount}: a charge debits the partner's
 * receivable and credits the vendor's share, a PAYMENT debits cash and credits the receivable,
 * PERIOD_CLOSED names no account. Fields that do not apply are null ({@code paymentId},
 * {@code receivedOn} and {@code reference} are set on PAYMENT entries only).
 */
public record LedgerEntry(UUID entryId, String partnerId, long sequence, YearMonth period, EntryKind kind,
        BigDecimal amount, String currency, String usageEventId, String model, String metric, Long quantity,
        Revenue revenue, BigDecimal fxRate, BigDecimal settlementRevenue, Integer agreementVersion, String ruleId,
        UUID reversesEntryId, YearMonth originalPeriod, String memo, String actor, Instant closedAt,
        Instant eventTime, Instant postedAt, String paymentId, LocalDate receivedOn, String reference) {

    /** An entry that is no payment. */
    public LedgerEntry(UUID entryId, String partnerId, long sequence, YearMonth period, EntryKind kind,
            BigDecimal amount, String currency, String usageEventId, String model, String metric, Long quantity,
            Revenue revenue, BigDecimal fxRate, BigDecimal settlementRevenue, Integer agreementVersion, String ruleId,
            UUID reversesEntryId, YearMonth originalPeriod, String memo, String actor, Instant closedAt,
            Instant eventTime, Instant postedAt) {
        this(entryId, partnerId, sequence, period, kind, amount, currency, usageEventId, model, metric, quantity,
                revenue, fxRate, settlementRevenue, agreementVersion, ruleId, reversesEntryId, originalPeriod, memo,
                actor, closedAt, eventTime, postedAt, null, null, null);
    }

    /** The account debited: the partner's receivable for a charge, cash for a PAYMENT, null for PERIOD_CLOSED. */
    public String debitAccount() {
        return switch (kind) {
            case PERIOD_CLOSED -> null;
            case PAYMENT -> "cash/" + currency;
            default -> "partners/" + partnerId + "/receivable";
        };
    }

    /** The account credited: the vendor's share for a charge, the partner's receivable for a PAYMENT. */
    public String creditAccount() {
        return switch (kind) {
            case PERIOD_CLOSED -> null;
            case PAYMENT -> "partners/" + partnerId + "/receivable";
            default -> "revenue/" + partnerId + "/share";
        };
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

    /** A PAYMENT (SPEC §3.8, §4): amount > 0 at the currency's minor unit, written with 8 fraction digits. */
    public static LedgerEntry payment(UUID id, String partnerId, long seq, YearMonth period, BigDecimal amount,
            String currency, String actor, Instant at, String paymentId, LocalDate receivedOn, String reference) {
        return new LedgerEntry(id, partnerId, seq, period, EntryKind.PAYMENT, amount, currency, null, null, null, null,
                null, null, null, null, null, null, null, null, actor, null, null, at, paymentId, receivedOn,
                reference);
    }
}
