package com.revshare.reporting.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

import com.revshare.platform.Iso4217;

/**
 * One ledger entry as published on revshare.ledger.entries (SPEC §4), validated: the fields the
 * read model relies on (partner, sequence, period, kind, amount, currency, postedAt, closedAt of a
 * PERIOD_CLOSED, receivedOn and a positive amount of a PAYMENT) are present and well-formed; the
 * rest are carried as given. The v2 fields (accounts, paymentId, receivedOn, reference) are null
 * in entries of an older ledger.
 */
public record LedgerEntry(String entryId, String partnerId, long sequence, String period, EntryKind kind,
        BigDecimal amount, String currency, String usageEventId, String model, String metric, Long quantity,
        BigDecimal revenueAmount, String revenueCurrency, BigDecimal fxRate, BigDecimal settlementRevenue,
        Integer agreementVersion, String ruleId, String reversesEntryId, String originalPeriod, String memo,
        String actor, Instant closedAt, Instant eventTime, Instant postedAt, String debitAccount,
        String creditAccount, String paymentId, LocalDate receivedOn, String reference) {

    public LedgerEntry {
        require(PartnerIds.isValid(partnerId), "partnerId");
        require(sequence >= 1, "sequence");
        require(Periods.isValid(period), "period");
        require(kind != null, "kind");
        require(amount != null, "amount");
        try {
            amount = Money.amount(amount);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("amount has more than 8 fraction digits");
        }
        require(amount.precision() - amount.scale() <= Money.AMOUNT_INTEGER_DIGITS, "amount");
        require(isCurrencyCode(currency), "currency");
        require(postedAt != null, "postedAt");
        require(kind != EntryKind.PERIOD_CLOSED || closedAt != null, "closedAt");
        // a payment is allocated by the day the money arrived (SPEC §3.8)
        require(kind != EntryKind.PAYMENT || receivedOn != null, "receivedOn");
        require(kind != EntryKind.PAYMENT || amount.signum() > 0, "amount");
        require(originalPeriod == null || Periods.isValid(originalPeriod), "originalPeriod");
        // model and metric are stored in text columns, which cannot hold U+0000 (the rest only in JSON)
        require(model == null || model.indexOf('\0') < 0, "model");
        require(metric == null || metric.indexOf('\0') < 0, "metric");
    }

    /**
     * A code of the one ISO 4217 list every service checks against ({@link Iso4217}): the ledger
     * refuses any other, so an entry carrying one is held rather than projected. A set lookup of a
     * three-letter string, cheap enough for every entry.
     */
    static boolean isCurrencyCode(String code) {
        return Iso4217.isCode(code);
    }

    private static void require(boolean condition, String field) {
        if (!condition) {
            throw new IllegalArgumentException("missing or invalid field " + field);
        }
    }

    /** The same entry as far as exactly-once application is concerned. */
    public boolean sameEntryAs(LedgerEntry other) {
        return Objects.equals(entryId, other.entryId) && sequence == other.sequence
                && amount.compareTo(other.amount) == 0 && kind == other.kind;
    }
}
