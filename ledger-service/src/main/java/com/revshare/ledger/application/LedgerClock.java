package com.revshare.ledger.application;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import jakarta.enterprise.context.ApplicationScoped;

/** The service's time, at PostgreSQL's microsecond precision so stored and answered instants agree. */
@ApplicationScoped
public class LedgerClock {
    private final Clock clock = Clock.systemUTC();

    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }
}
