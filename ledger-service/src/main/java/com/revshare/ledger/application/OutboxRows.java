package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.revshare.ledger.domain.LedgerEntry;

/**
 * The outbox of committed entries not yet published, and the publication locks (read by the relays).
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface OutboxRows {
    /** Locks, for this transaction, the partners with unpublished entries that no other relay holds. */
    List<String> lockBacklogPartners(Connection c) throws SQLException;

    /**
     * The given partners' entries past their published watermark, in (partner, sequence) order: at most
     * {@code perPartnerLimit} of each and {@code totalLimit} in all, shared round robin between them.
     */
    List<LedgerEntry> unpublished(Connection c, Collection<String> partnerIds, int perPartnerLimit,
            int totalLimit) throws SQLException;

    /** Moves the watermarks forward (never backwards). */
    void advanceWatermarks(Connection c, Map<String, Long> published) throws SQLException;

    /** Waits for, and takes for this transaction, the partner publisher's lock of one partner. */
    void lockPartnerPublication(Connection c, String partnerId) throws SQLException;
}
