package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.OutboxRows;
import com.revshare.ledger.domain.LedgerEntry;

/**
 * The outbox side of ledger_entry, safe with several ledger instances: a relay first takes, for this
 * transaction, the advisory lock of each partner with unpublished entries that no other relay holds
 * (so one publisher per partner at a time), then reads those partners' entries past their published
 * watermark (read after the lock, so never what another relay has just published), round robin
 * between the partners. Plain JDBC on the caller's transactional connection.
 */
@ApplicationScoped
public class OutboxStore implements OutboxRows {
    /** The first key of the relay's two-key advisory locks (the second is hashtext(partner_id)). */
    static final int RELAY_LOCK_CLASS = 0x4C52454C; // "LREL"
    /** The first key of the partner publisher's advisory locks. */
    static final int PARTNER_LOCK_CLASS = 0x4C505542; // "LPUB"

    /** Locks, for this transaction, the partners with unpublished entries that no other relay holds. */
    @Override
    public List<String> lockBacklogPartners(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("with backlog as materialized (select w.partner_id from "
                + "outbox_watermark w join partner_ledger_state s using (partner_id) where s.last_sequence > "
                + "w.published_sequence order by w.partner_id) select partner_id from backlog where "
                + "pg_try_advisory_xact_lock(?, hashtext(partner_id))")) {
            ps.setInt(1, RELAY_LOCK_CLASS);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<String> partners = new ArrayList<>();
                while (rs.next()) {
                    partners.add(rs.getString(1));
                }
                return partners;
            }
        }
    }

    /**
     * The given partners' entries past their published watermark, in (partner, sequence) order: at most
     * {@code perPartnerLimit} of each and {@code totalLimit} in all, shared round robin between them.
     */
    @Override
    public List<LedgerEntry> unpublished(Connection c, Collection<String> partnerIds, int perPartnerLimit,
            int totalLimit) throws SQLException {
        if (partnerIds.isEmpty()) {
            return List.of();
        }
        try (PreparedStatement ps = c.prepareStatement("select " + EntryRepository.ENTRY_COLUMNS + " from (select e.*, "
                + "row_number() over (partition by e.partner_id order by e.sequence) as turn from outbox_watermark w "
                + "cross join lateral (select * from ledger_entry x where x.partner_id = w.partner_id and x.sequence "
                + "> w.published_sequence order by x.sequence limit ?) e where w.partner_id = any (?) order by turn, "
                + "e.partner_id limit ?) t order by partner_id, sequence")) {
            ps.setInt(1, perPartnerLimit);
            ps.setArray(2, Sql.texts(c, partnerIds));
            ps.setInt(3, totalLimit);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<LedgerEntry> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(EntryRepository.entry(rs));
                }
                return list;
            }
        }
    }

    /** Moves the watermarks forward (never backwards). */
    @Override
    public void advanceWatermarks(Connection c, Map<String, Long> published) throws SQLException {
        if (published.isEmpty()) {
            return;
        }
        Map<String, Long> sorted = new TreeMap<>(published);
        List<String> p = new ArrayList<>(sorted.keySet());
        List<String> s = p.stream().map(k -> Long.toString(sorted.get(k))).toList();
        try (PreparedStatement ps = c.prepareStatement("update outbox_watermark w set published_sequence = "
                + "greatest(w.published_sequence, k.s::bigint) from unnest(?::text[], ?::text[]) as k(p, s) where "
                + "w.partner_id = k.p")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, s));
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** Waits for, and takes for this transaction, the partner publisher's lock of one partner. */
    @Override
    public void lockPartnerPublication(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_advisory_xact_lock(?, hashtext(?))")) {
            ps.setInt(1, PARTNER_LOCK_CLASS);
            ps.setString(2, partnerId);
            Sql.count();
            ps.executeQuery().close();
        }
    }
}
