package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Per partner, how far the ledger has received ingest's accepted sequence (and what it saw ahead).
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface IngestWatermarks {
    /** A partner's watermark row. */
    record Watermark(String partnerId, long ingestSequence, long maxSeen, long aheadCount) {
        /** How many accepted events below the largest stored one are missing. */
        public long gap() {
            return maxSeen - ingestSequence - aheadCount;
        }
    }

    /** The partners' rows, locked for this transaction (absent partners: no row yet). */
    Map<String, Watermark> lock(Connection c, Collection<String> partnerIds) throws SQLException;

    /** Creates zero rows for partners that have none (so that they can be locked). */
    void createMissing(Connection c, Collection<String> partnerIds) throws SQLException;

    /** One partner's row, unlocked (reads); a zero row when there is none. */
    Watermark read(Connection c, String partnerId) throws SQLException;

    /** Every partner's row (the gauge's refresh). */
    List<Watermark> all(Connection c) throws SQLException;

    /** The partner's sequences stored beyond its watermark, ascending. */
    List<Long> ahead(Connection c, String partnerId, long after) throws SQLException;

    /** Replaces the partner's ahead rows: those up to the watermark go, {@code add} come. */
    void moveAhead(Connection c, String partnerId, long watermark, Collection<Long> add) throws SQLException;

    /** Writes the rows (one statement for the whole batch). */
    void upsert(Connection c, Collection<Watermark> rows) throws SQLException;
}
