package com.revshare.ingest.application;

import java.math.BigDecimal;
import java.time.Instant;

/** One stored accepted event as the relay publishes it. */
public record OutboxRow(String partnerId, String eventId, long ingestSequence, String time, String model,
        String metric, long quantity, BigDecimal revenueAmount, String revenueCurrency, String region, String source,
        Instant receivedAt, Instant submittedAt) {
}
