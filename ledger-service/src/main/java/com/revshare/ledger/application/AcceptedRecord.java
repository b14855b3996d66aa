package com.revshare.ledger.application;

import java.time.Instant;

import com.revshare.ledger.domain.UsageEvent;

/**
 * One record of revshare.usage.accepted as the ledger reads it. Every record is one of three kinds and
 * each has a durable outcome: a {@link Usable} event is booked or parked with a rating reason, an
 * {@link Unprocessable} one is parked as UNPROCESSABLE with its cause (SPEC §3.6), an {@link Unreadable}
 * one (no partner and event id to park it under) is kept as an unreadable record.
 */
public sealed interface AcceptedRecord {

    /** An event the ledger can rate; {@code raw} is the record as it arrived (null when built in process). */
    record Usable(UsageEvent event, Long ingestSequence, String raw) implements AcceptedRecord {
        public Usable(UsageEvent event, Long ingestSequence) {
            this(event, ingestSequence, null);
        }
    }

    /**
     * An event of a known partner and id that the ledger cannot book as it stands. {@code time} is the
     * event time when it could be read and stored (it decides which period's close it holds up), else null.
     */
    record Unprocessable(String partnerId, String eventId, Long ingestSequence, Instant time, String raw,
            String detail) implements AcceptedRecord {
    }

    /** A record that does not name a partner and an event id. */
    record Unreadable(String detail) implements AcceptedRecord {
    }
}
