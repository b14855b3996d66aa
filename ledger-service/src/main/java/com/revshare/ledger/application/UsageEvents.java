package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;

import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;

/**
 * The stored usage events and their rating states.
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface UsageEvents {
    /** Inserts the events; returns those that were new (the unique key is the idempotency key), in order. */
    List<UsageEvent> insertNewUsage(Connection c, List<UsageEvent> events, Instant receivedAt)
            throws SQLException;

    /**
     * Inserts the events with their ingest sequences ({@code ingestSequences} parallel to {@code events},
     * null where unknown); returns those that were new, in order.
     */
    List<UsageEvent> insertNewUsage(Connection c, List<UsageEvent> events, List<Long> ingestSequences,
            Instant receivedAt) throws SQLException;

    /**
     * The partner's parked (UNRATED) events after ({@code afterTime}, {@code afterId}) (null: from the
     * start), oldest first by (time, id in code-point order, as the decider sorts them), at most {@code limit}.
     */
    List<UsageRecord> parked(Connection c, String partnerId, Instant afterTime, String afterId, int limit)
            throws SQLException;

    /**
     * How many of the partner's events whose time lies in the period are UNRATED or UNPROCESSABLE; an
     * UNPROCESSABLE event whose time could not be stored may lie in any period, so it counts for every one.
     */
    long unratedCount(Connection c, String partnerId, YearMonth period) throws SQLException;

    /** One usage event's record in whatever state, or null. */
    UsageRecord usageRecord(Connection c, String partnerId, String eventId) throws SQLException;

    /** Partners with parked NO_FX_RATE events of that date and revenue currency, settling in the quote currency. */
    List<String> partnersWaitingForRate(Connection c, LocalDate date, String base, String quote)
            throws SQLException;

    /** The partner's unrated events for the API: oldest first, at most {@code limit}. */
    List<UsageRecord> unrated(Connection c, String partnerId, int limit) throws SQLException;

    long unratedCount(Connection c, String partnerId) throws SQLException;
}
