package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.Payments;
import com.revshare.ledger.domain.LedgerEntry;

/** PAYMENT entries (SPEC §3.8): by payment id, in receivedOn order, and their sum. */
@ApplicationScoped
public class PaymentRepository implements Payments {
    // ---- payments ----

    /** The partner's PAYMENT entry with that payment id, if any. */
    @Override
    public Optional<LedgerEntry> payment(Connection c, String partnerId, String paymentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + EntryRepository.ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and payment_id = ?")) {
            ps.setString(1, partnerId);
            ps.setString(2, paymentId);
            Sql.count();
            return EntryRepository.entries(ps).stream().findFirst();
        }
    }

    /** The partner's PAYMENT entries in receivedOn, then sequence order, after the cursor, at most {@code limit}. */
    @Override
    public List<LedgerEntry> payments(Connection c, String partnerId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + EntryRepository.ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and payment_id is not null order by received_on, sequence limit ?")) {
            ps.setString(1, partnerId);
            ps.setInt(2, limit);
            Sql.count();
            return EntryRepository.entries(ps);
        }
    }

    /** The exact sum of the partner's payments (0 without any). */
    @Override
    public BigDecimal paidTotal(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(sum(amount), 0) from ledger_entry where "
                + "partner_id = ? and payment_id is not null")) {
            ps.setString(1, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }
}
