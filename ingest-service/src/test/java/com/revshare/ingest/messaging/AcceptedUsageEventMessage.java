package com.revshare.ingest.messaging;

import com.revshare.ingest.application.OutboxRow;

/**
 * The value of a record on revshare.usage.accepted (docs/events/accepted-usage-event.v1.schema.json):
 * the normalised event, amounts as strings at scale 8, time in UTC.
 */
public record AcceptedUsageEventMessage(String partnerId, String eventId, String time, String model, String metric,
        long quantity, Revenue revenue, String region, String source, String receivedAt, long ingestSequence) {

    public record Revenue(String amount, String currency) {
    }

    public static AcceptedUsageEventMessage of(OutboxRow row) {
        Revenue revenue = row.revenueAmount() == null ? null
                : new Revenue(row.revenueAmount().setScale(8).toPlainString(), row.revenueCurrency());
        return new AcceptedUsageEventMessage(row.partnerId(), row.eventId(), row.time(), row.model(), row.metric(),
                row.quantity(), revenue, row.region(), row.source(), row.receivedAt().toString(), row.ingestSequence());
    }
}
