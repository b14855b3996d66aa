package com.revshare.reporting.api;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.revshare.reporting.domain.Money;
import com.revshare.reporting.application.ReportReads;

/**
 * The JSON shapes of SPEC §6. Amounts are strings at scale 8, amountDue at the currency's minor
 * unit, quantities strings of digits (sums can pass 2^53).
 */
public final class ReportDtos {
    private ReportDtos() {
    }

    @JsonPropertyOrder({ "partnerId", "period", "status", "currency", "usageAmount", "adjustmentsAmount", "total",
            "amountDue", "quantities", "eventCount" })
    public record OverviewRowDto(String partnerId, String period, String status, String currency, String usageAmount,
            String adjustmentsAmount, String total, String amountDue, Map<String, String> quantities,
            long eventCount) {

        static OverviewRowDto of(ReportReads.OverviewRow row) {
            ReportReads.PeriodRow p = row.period();
            BigDecimal total = p.usageAmount().add(p.adjustmentsAmount());
            Map<String, String> quantities = new LinkedHashMap<>();
            row.quantities().forEach((metric, q) -> quantities.put(metric, q.toPlainString()));
            return new OverviewRowDto(p.partnerId(), p.period(), p.status(), p.currency(), amount(p.usageAmount()),
                    amount(p.adjustmentsAmount()), amount(total), Money.amountDue(total, p.currency()).toPlainString(),
                    quantities, p.eventCount());
        }
    }

    @JsonPropertyOrder({ "partnerId", "sequence", "postedAt" })
    public record FreshnessDto(String partnerId, long sequence, String postedAt) {
    }

    /** Writes a summary row: only the grouped keys are present (model/metric null for entries without them). */
    static void writeSummaryRow(JsonGenerator g, ReportReads.SummaryRow row, Set<ReportReads.SummaryKey> keys)
            throws IOException {
        g.writeStartObject();
        if (keys.contains(ReportReads.SummaryKey.PARTNER)) {
            g.writeStringField("partnerId", row.partnerId());
        }
        if (keys.contains(ReportReads.SummaryKey.PERIOD)) {
            g.writeStringField("period", row.period());
        }
        if (keys.contains(ReportReads.SummaryKey.MODEL)) {
            g.writeStringField("model", row.model());
        }
        if (keys.contains(ReportReads.SummaryKey.METRIC)) {
            g.writeStringField("metric", row.metric());
        }
        g.writeStringField("amount", amount(row.amount()));
        g.writeStringField("quantity", row.quantity().toPlainString());
        g.writeEndObject();
    }

    static String amount(BigDecimal value) {
        return Money.amount(value).toPlainString();
    }

    /** A receivables row (SPEC §6): amounts at the currency's minor unit, aging in bucket order. */
    @com.fasterxml.jackson.annotation.JsonPropertyOrder({ "partnerId", "currency", "asOf", "billed", "paid",
            "outstanding", "unallocated", "aging" })
    public record ReceivableDto(String partnerId, String currency, String asOf, String billed, String paid,
            String outstanding, String unallocated, java.util.Map<String, String> aging) {
        static ReceivableDto of(com.revshare.reporting.application.ReportService.ReceivableRow row) {
            var r = row.receivable();
            java.util.Map<String, String> aging = new java.util.LinkedHashMap<>();
            r.aging().forEach((bucket, amount) -> aging.put(bucket, amount.toPlainString()));
            return new ReceivableDto(row.partnerId(), row.currency(), r.asOf().toString(), r.billed().toPlainString(),
                    r.paid().toPlainString(), r.outstanding().toPlainString(), r.unallocated().toPlainString(), aging);
        }
    }
}
