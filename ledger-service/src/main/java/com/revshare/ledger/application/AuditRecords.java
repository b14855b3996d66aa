package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * The append-only audit records (SPEC §3.9): written by admin commands, paged by the audit trail.
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface AuditRecords {
    /** One audit record; {@code before}/{@code after} are JSON text or null. */
    record Row(long id, Instant at, String actor, String action, String partnerId, String subject, String memo,
            String before, String after) {
    }

    /** A page request: every filter optional; the cursor is the (at, id) of the last record of the previous page. */
    record Query(String partnerId, Instant from, Instant to, String action, Instant afterAt, Long afterId,
            int limit) {
    }

    /** Appends a record in the caller's transaction (with the change it records). */
    void record(Connection c, Instant at, String actor, String action, String partnerId, String subject,
            String memo, String beforeJson, String afterJson) throws SQLException;

    /** At most {@code limit} records matching the query, oldest first. */
    List<Row> page(Connection c, Query q) throws SQLException;
}
