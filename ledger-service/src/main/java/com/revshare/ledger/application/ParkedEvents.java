package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The events parked as UNPROCESSABLE, their write-offs, and the traces of unreadable records.
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface ParkedEvents {
    /** The longest cause kept (a cause is a message, not a dump). */
    int DETAIL_LIMIT = 1000;

    /** A parked UNPROCESSABLE event as stored. */
    record Row(String partnerId, String eventId, Long ingestSequence, String raw, String detail,
            Instant receivedAt) {
    }

    /** An unreadable record's trace. */
    record Unreadable(String topic, int partition, long offset, String key, int sizeBytes, String sha256,
            String valuePrefix, String detail) {
    }

    /**
     * An event of a known partner and id to park as UNPROCESSABLE; {@code time} null when it could not
     * be read (it then holds up every period's close).
     */
    record Parking(String partnerId, String eventId, Long ingestSequence, Instant time, String raw,
            String detail) {
    }

    /** A kept unreadable record as the operator API shows it. */
    record UnreadableRow(long id, String topic, int partition, long offset, String key, int sizeBytes,
            String sha256, String valuePrefix, String detail, Instant receivedAt) {
    }

    /**
     * Parks the events (a duplicate of any stored event, whatever its state, is left alone); returns
     * those that were new, in order.
     */
    List<Parking> park(Connection c, List<Parking> events, Instant now) throws SQLException;

    /** The partner's UNPROCESSABLE events, oldest first, at most {@code limit}. */
    List<Row> list(Connection c, String partnerId, int limit) throws SQLException;

    /** The event if it is parked as UNPROCESSABLE. */
    Optional<Row> find(Connection c, String partnerId, String eventId) throws SQLException;

    /** Removes the parked row so that the event can be stored again by the ordinary path (a retry). */
    boolean remove(Connection c, String partnerId, String eventId) throws SQLException;

    /** Records the latest cause of an event that is still unprocessable. */
    void updateDetail(Connection c, String partnerId, String eventId, String detail) throws SQLException;

    /** Marks the parked event written off (the write_off row is the caller's). */
    boolean markWrittenOff(Connection c, String partnerId, String eventId) throws SQLException;

    /** Records the write-off of a parked UNPROCESSABLE event (as write-offs of unrated events are recorded). */
    void insertWriteOff(Connection c, String partnerId, String eventId, String memo, String actor, Instant at)
            throws SQLException;

    /** How many UNPROCESSABLE events there are in all (a gauge). */
    long countAll(Connection c) throws SQLException;

    /** Keeps the trace of an unreadable record (once per topic, partition and offset). */
    void recordUnreadable(Connection c, Unreadable u, Instant now) throws SQLException;

    /** Unreadable records with id after {@code afterId}, oldest first, at most {@code limit}. */
    List<UnreadableRow> unreadable(Connection c, long afterId, int limit) throws SQLException;

    /** How many unreadable records are kept (a gauge). */
    long unreadableCount(Connection c) throws SQLException;
}
