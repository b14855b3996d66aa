package com.revshare.reporting.application;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import com.revshare.reporting.domain.PeriodProof;

/**
 * Port: the reads of the active read model that the reporting use cases need (SPEC §6),
 * implemented by the persistence adapter. Each answer comes from one snapshot; large answers
 * stream to a {@link RowSink}.
 */
public interface ReportReads {
    /**
     * The rows behind one statement but its lines. registryCurrency/entriesCurrency tell whether the
     * partner is known.
     */
    record StatementRows(PeriodRow period, List<KindRow> adjustments, String registryCurrency,
            String entriesCurrency, boolean hasEntries) {
        public boolean partnerKnown() {
            return registryCurrency != null || hasEntries;
        }

        /** The currency of a statement without entries: the registry's, else the partner's entries'. */
        public String partnerCurrency() {
            return registryCurrency != null ? registryCurrency : entriesCurrency;
        }
    }

    record PeriodRow(String partnerId, String period, String currency, BigDecimal usageAmount,
            BigDecimal adjustmentsAmount, long eventCount, String status, String closedAt) {
    }

    record LineRow(String model, String metric, BigDecimal quantity, BigDecimal revenue, BigDecimal amount) {
    }

    record KindRow(String kind, BigDecimal amount) {
    }

    record OverviewRow(PeriodRow period, Map<String, BigDecimal> quantities) {
    }

    record SummaryRow(String partnerId, String period, String model, String metric, BigDecimal amount,
            BigDecimal quantity) {
    }

    record EntryPayload(long sequence, String payload) {
    }

    record FreshnessRow(String partnerId, long sequence, String postedAt) {
    }

    record GapRow(String partnerId, long appliedSequence, long expected, int waitingCount, String since) {
    }

    /** Which columns a summary groups by. */
    enum SummaryKey {
        PARTNER, PERIOD, MODEL, METRIC
    }

    /** An entry of a period, for its proof: sequence and canonical JSON. */
    record ProofRow(long sequence, String payload) {
    }

    /**
     * Where a statement's proof starts: the generation read, and the proof in progress the
     * projection stored for the period (null when none is stored: then every entry follows).
     */
    record ProofStart(String generation, PeriodProof.Saved saved) {
    }

    /** A CLOSED period of a partner: its exact total (amountDue is its rounding) and close instant. */
    record BilledRow(String period, String currency, BigDecimal total, String closedAt) {
    }

    /** A payment applied for a partner. */
    record PaymentRow(java.time.LocalDate receivedOn, BigDecimal amount, String currency) {
    }

    /** What a partner's settlement needs: terms (30 when not in the registry), closed periods, payments. */
    record PartnerBilling(String partnerId, String registryCurrency, int paymentTermsDays,
            List<BilledRow> closed, List<PaymentRow> payments) {
    }

    /** Receives rows one at a time while a query streams them. */
    @FunctionalInterface
    interface RowSink<T> {
        void accept(T row) throws IOException;
    }

    /**
     * One statement from one snapshot: its head rows, its lines (by model then metric, code-point
     * order), every entry of the period for its proof (sequence order), and for a CLOSED period
     * the partner's billing. The proof's entries are only those after the stored proof in progress
     * ({@code proofStart}, given before them): none when the projection keeps it (issue 14).
     */
    void statement(String partnerId, String period, int fetchSize, RowSink<StatementRows> head,
            RowSink<LineRow> lines, RowSink<ProofStart> proofStart, RowSink<ProofRow> proof,
            RowSink<PartnerBilling> billing) throws IOException;

    /**
     * Stores a period's proof computed from all its entries (a period the projection has no stored
     * proof for), unless a proof is stored for it meanwhile: a cache, whose failure changes no answer.
     */
    void rememberProof(String generation, String partnerId, String period, PeriodProof.Saved saved);

    /** The billing of every partner with a closed period or a payment (or only {@code partnerId}), by partner id. */
    List<PartnerBilling> billing(String partnerId);

    /** Whether the partner is known (registered, or has applied entries) and its registry currency. */
    Optional<String> knownPartnerCurrency(String partnerId);

    /** One row per partner with entries booked in the period; partnerId null = all partners. */
    List<OverviewRow> overview(String period, String partnerId);

    /** Summary rows grouped by {@code keys}, streamed in partner, period, model, metric order. */
    void summary(String from, String to, Set<SummaryKey> keys, String partnerId, int fetchSize,
            RowSink<SummaryRow> sink) throws IOException;

    /** Up to {@code limit} entries after {@code afterSequence}, in sequence order. */
    List<EntryPayload> entries(String partnerId, String period, String kind, long afterSequence, int limit);

    /** Per known partner: last applied sequence (0 = none) and its postedAt. */
    List<FreshnessRow> freshness(String partnerId);

    /** Partners whose later entries wait behind a missing sequence. */
    List<GapRow> gaps();
}
