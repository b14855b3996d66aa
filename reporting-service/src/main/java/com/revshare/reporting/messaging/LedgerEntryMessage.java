package com.revshare.reporting.messaging;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The wire form of a ledger entry (docs/events/ledger-entry.v1.schema.json). Amounts and times
 * stay text here; {@link LedgerEntryCodec} turns them into exact values. The v2 fields
 * (debitAccount … reference) are absent from an older ledger's entries: then null.
 */
@JsonPropertyOrder({ "entryId", "partnerId", "sequence", "period", "kind", "amount", "currency", "usageEventId",
        "model", "metric", "quantity", "revenue", "fxRate", "settlementRevenue", "agreementVersion", "ruleId",
        "reversesEntryId", "originalPeriod", "memo", "actor", "closedAt", "eventTime", "postedAt", "debitAccount",
        "creditAccount", "paymentId", "receivedOn", "reference" })
@JsonInclude(JsonInclude.Include.ALWAYS)
public record LedgerEntryMessage(String entryId, String partnerId, Long sequence, String period, String kind,
        String amount, String currency, String usageEventId, String model, String metric, Long quantity,
        Revenue revenue, String fxRate, String settlementRevenue, Integer agreementVersion, String ruleId,
        String reversesEntryId, String originalPeriod, String memo, String actor, String closedAt,
        String eventTime, String postedAt, String debitAccount, String creditAccount, String paymentId,
        String receivedOn, String reference) {

    /** A money amount in a currency. */
    @JsonPropertyOrder({ "amount", "currency" })
    public record Revenue(String amount, String currency) {
    }
}
