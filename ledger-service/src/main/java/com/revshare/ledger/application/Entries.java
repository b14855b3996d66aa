package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.YearMonth;
import java.util.List;

import com.revshare.ledger.domain.LedgerEntry;

/**
 * The ledger entries a use case reads: re-rating candidates and a partner's entries in sequence.
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface Entries {
    /**
     * The partner's current (not reversed) USAGE entries of OPEN periods after {@code afterSequence},
     * in sequence order, at most {@code limit}, rated under a version older than the partner's newest:
     * a coarse superset of what a new version leaves to re-rate. Which of them the version no longer
     * governs (SPEC §3.1) is the decider's decision.
     */
    List<LedgerEntry> reRateCandidates(Connection c, String partnerId, YearMonth lastClosed,
            long afterSequence, int limit) throws SQLException;

    /** The sequence just before the partner's first entry of an OPEN period (where re-rating can start). */
    long beforeFirstOpenEntry(Connection c, String partnerId, YearMonth lastClosed) throws SQLException;

    /** Entries of the partner after {@code afterSequence}, in sequence order, at most {@code limit}. */
    List<LedgerEntry> entriesAfter(Connection c, String partnerId, long afterSequence, int limit)
            throws SQLException;

    /** The entries of a period, in sequence order. */
    List<LedgerEntry> periodEntries(Connection c, String partnerId, YearMonth period) throws SQLException;
}
