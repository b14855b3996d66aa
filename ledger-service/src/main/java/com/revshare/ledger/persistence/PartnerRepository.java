package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.Partner;
import com.revshare.ledger.application.Partners;

/**
 * The partners and their ledger streams: partner rows, each partner's stream head (last sequence,
 * last closed period) and its row lock, under which every command of the partner runs. Plain JDBC on
 * the caller's (transactional) connection, like every repository of this package: usage
 * ({@link UsageRepository}), agreements ({@link AgreementRepository}), entries ({@link EntryRepository}),
 * payments ({@link PaymentRepository}), periods and tier counters ({@link PeriodRepository}), FX rates
 * ({@link FxRateRepository}), pending rating ({@link RatingRequestRepository}) and the writer of decided
 * changes ({@link DecisionWriter}).
 */
@ApplicationScoped
public class PartnerRepository implements Partners {
    // ---- partners ----

    @Override
    public Optional<Partner> partner(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select partner_id, name, currency, payment_terms_days, created_at, updated_at from ledger_partner "
                + "where partner_id = ?")) {
            ps.setString(1, id);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(partner(rs)) : Optional.empty();
            }
        }
    }

    @Override
    public List<Partner> partners(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select partner_id, name, currency, payment_terms_days, created_at, updated_at from ledger_partner "
                + "order by partner_id")) {
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<Partner> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(partner(rs));
                }
                return rows;
            }
        }
    }

    private static Partner partner(ResultSet rs) throws SQLException {
        return new Partner(rs.getString("partner_id"), rs.getString("name"), Sql.trimmed(rs, "currency"),
                rs.getInt("payment_terms_days"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    /** Creates the partner and its stream; returns false when it existed (and was updated). */
    /** {@code paymentTermsDays} null: 30 for a new partner, the current value for an existing one. */
    @Override
    public boolean upsertPartner(Connection c, String id, String name, String currency, Integer paymentTermsDays,
            Instant now) throws SQLException {
        boolean created;
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_partner (partner_id, name, currency, "
                + "payment_terms_days, created_at, updated_at) values (?, ?, ?, coalesce(?::integer, 30), "
                + "?::timestamptz, ?::timestamptz) on conflict (partner_id) do update set name = excluded.name, "
                + "currency = excluded.currency, payment_terms_days = coalesce(?::integer, "
                + "ledger_partner.payment_terms_days), updated_at = excluded.updated_at returning (xmax = 0) as created")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, currency);
            ps.setObject(4, paymentTermsDays, java.sql.Types.INTEGER);
            ps.setString(5, now.toString());
            ps.setString(6, now.toString());
            ps.setObject(7, paymentTermsDays, java.sql.Types.INTEGER);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                created = rs.getBoolean(1);
            }
        }
        if (created) {
            try (PreparedStatement ps = c.prepareStatement("with s as (insert into partner_ledger_state (partner_id) "
                    + "values (?) on conflict do nothing) insert into outbox_watermark (partner_id) values (?) "
                    + "on conflict do nothing")) {
                ps.setString(1, id);
                ps.setString(2, id);
                Sql.count();
                ps.executeUpdate();
            }
        }
        return created;
    }

    // ---- the stream head and its lock ----

    /** Locks the partners' stream rows in id order (no deadlocks between batches) and reads their heads. */
    @Override
    public Map<String, StreamHead> lock(Connection c, Collection<String> partnerIds) throws SQLException {
        Map<String, StreamHead> heads = new LinkedHashMap<>();
        if (partnerIds.isEmpty()) {
            return heads;
        }
        try (PreparedStatement ps = c.prepareStatement("select s.partner_id, p.currency, s.last_sequence, "
                + "s.last_closed_period from partner_ledger_state s join ledger_partner p using (partner_id) "
                + "where s.partner_id = any (?) order by s.partner_id for update of s")) {
            ps.setArray(1, Sql.texts(c, new TreeSet<>(partnerIds)));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), new StreamHead(rs.getString(1), rs.getString(2).trim(), rs.getLong(3),
                            Sql.period(rs, "last_closed_period")));
                }
            }
        }
        return heads;
    }

    /**
     * Locks, in id order, the stream rows of every partner settling in {@code currency}. Every
     * reader of FX rates (usage batches, admin commands) holds its partner's lock while it reads and
     * parks, so a rate inserted under these locks is either seen by a reader or finds the events the
     * reader parked (SPEC §3.3 "then rated automatically"); id order keeps it deadlock-free.
     */
    @Override
    public void lockSettlingIn(Connection c, String currency) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select s.partner_id from partner_ledger_state s join "
                + "ledger_partner p using (partner_id) where p.currency = ? order by s.partner_id for update of s")) {
            ps.setString(1, currency);
            Sql.count();
            ps.executeQuery().close();
        }
    }

    /** A partner's stream head without locking it (reads). */
    @Override
    public StreamHead head(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select s.partner_id, p.currency, s.last_sequence, "
                + "s.last_closed_period from partner_ledger_state s join ledger_partner p using (partner_id) "
                + "where s.partner_id = ?")) {
            ps.setString(1, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new StreamHead(rs.getString(1), rs.getString(2).trim(), rs.getLong(3),
                        Sql.period(rs, "last_closed_period")) : null;
            }
        }
    }
}
