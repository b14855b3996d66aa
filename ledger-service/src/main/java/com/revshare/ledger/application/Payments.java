package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import com.revshare.ledger.domain.LedgerEntry;

/**
 * The recorded payments (SPEC §3.8).
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface Payments {
    /** The partner's PAYMENT entry with that payment id, if any. */
    Optional<LedgerEntry> payment(Connection c, String partnerId, String paymentId) throws SQLException;

    /** The partner's PAYMENT entries in receivedOn, then sequence order, after the cursor, at most {@code limit}. */
    List<LedgerEntry> payments(Connection c, String partnerId, int limit) throws SQLException;

    /** The exact sum of the partner's payments (0 without any). */
    BigDecimal paidTotal(Connection c, String partnerId) throws SQLException;
}
