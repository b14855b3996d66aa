package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The partners and their ledger streams: rows, stream heads and the row lock every command of a partner runs under.
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface Partners {
    /** A partner's stream head, read under its row lock. */
    record StreamHead(String partnerId, String currency, long lastSequence, YearMonth lastClosed) {
    }

    Optional<Partner> partner(Connection c, String id) throws SQLException;

    List<Partner> partners(Connection c) throws SQLException;

    /** Creates the partner and its stream; returns false when it existed (and was updated). */
    /** {@code paymentTermsDays} null: 30 for a new partner, the current value for an existing one. */
    boolean upsertPartner(Connection c, String id, String name, String currency, Integer paymentTermsDays,
            Instant now) throws SQLException;

    /** Locks the partners' stream rows in id order (no deadlocks between batches) and reads their heads. */
    Map<String, StreamHead> lock(Connection c, Collection<String> partnerIds) throws SQLException;

    /**
     * Locks, in id order, the stream rows of every partner settling in {@code currency}. Every
     * reader of FX rates (usage batches, admin commands) holds its partner's lock while it reads and
     * parks, so a rate inserted under these locks is either seen by a reader or finds the events the
     * reader parked (SPEC §3.3 "then rated automatically"); id order keeps it deadlock-free.
     */
    void lockSettlingIn(Connection c, String currency) throws SQLException;

    /** A partner's stream head without locking it (reads). */
    StreamHead head(Connection c, String partnerId) throws SQLException;
}
