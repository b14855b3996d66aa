package com.revshare.ingest.application;

import com.revshare.ingest.domain.UsageEvent;

/**
 * A valid event on its way into the store, with the raw bytes kept for audit and the time the
 * transport handed it over (Kafka record timestamp or HTTP receipt), which starts the end-to-end lag.
 */
public record IntakeItem(UsageEvent event, byte[] raw, java.time.Instant submittedAt, Channel channel) {
}
