package com.revshare.ledger.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * An accepted, normalised usage event (SPEC §2, as ingest forwards it). Its identity is
 * ({@code partnerId}, {@code eventId}); {@code revenue} may be null.
 */
public record UsageEvent(String partnerId, String eventId, Instant time, String model, String metric, long quantity,
        Revenue revenue, String region) {

    /** The UTC calendar month the event belongs to. */
    public YearMonth period() {
        return Periods.of(time);
    }

    /** The UTC date whose FX rate converts its revenue (SPEC §3.3). */
    public LocalDate utcDate() {
        return time.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
