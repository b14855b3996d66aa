package com.revshare.ingest.application;

import java.time.Instant;

import com.revshare.ingest.domain.UsageEvent;

/**
 * A valid event on its way into the store, with the raw bytes kept for audit and the time the
 * transport handed it over (Kafka record timestamp or HTTP receipt), which starts the end-to-end lag.
 * {@code timeText} is the event's time in UTC ISO form ({@code Instant.toString}), formatted once per event: the
 * store writes it and the relay publishes the same text (issue 14: it was formatted once for each).
 */
public record IntakeItem(UsageEvent event, byte[] raw, Instant submittedAt, Channel channel, String timeText) {

    /** An item whose time text is formatted from the event. */
    public IntakeItem(UsageEvent event, byte[] raw, Instant submittedAt, Channel channel) {
        this(event, raw, submittedAt, channel, event.time().toString());
    }
}
