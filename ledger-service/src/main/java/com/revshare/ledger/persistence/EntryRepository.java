package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.Entries;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.Revenue;

/** Ledger entries (immutable, append-only): the reads by sequence and period, re-rating candidates. */
@ApplicationScoped
public class EntryRepository implements Entries {
    static final String ENTRY_COLUMNS = "partner_id, sequence, entry_id, period, kind, amount, currency, "
            + "usage_event_id, model, metric, quantity, revenue_amount, revenue_currency, fx_rate, settlement_revenue, "
            + "agreement_version, rule_id, reverses_entry_id, original_period, memo, actor, closed_at, event_time, "
            + "posted_at, event_time_nanos, payment_id, received_on, reference";

    // ---- entries ----

    /**
     * The partner's current (not reversed) USAGE entries of OPEN periods after {@code afterSequence},
     * in sequence order, at most {@code limit}, rated under a version older than the partner's newest:
     * a coarse superset of what a new version leaves to re-rate. Which of them the version no longer
     * governs (SPEC §3.1) is the decider's decision.
     */
    @Override
    public List<LedgerEntry> reRateCandidates(Connection c, String partnerId, YearMonth lastClosed,
            long afterSequence, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS.replaceAll("(^|, )", "$1e.")
                + " from ledger_entry e where e.partner_id = ? and e.sequence > ? and e.kind = 'USAGE' and "
                + "e.period > ? and e.agreement_version < (select max(v.version) from agreement_version v where "
                + "v.partner_id = e.partner_id) and not exists (select 1 from ledger_entry r where "
                + "r.reverses_entry_id = e.entry_id) order by e.sequence limit ?")) {
            ps.setString(1, partnerId);
            ps.setLong(2, afterSequence);
            ps.setString(3, lastClosed == null ? "" : lastClosed.toString());
            ps.setInt(4, limit);
            Sql.count();
            return entries(ps);
        }
    }

    /** The sequence just before the partner's first entry of an OPEN period (where re-rating can start). */
    @Override
    public long beforeFirstOpenEntry(Connection c, String partnerId, YearMonth lastClosed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(min(sequence), 1) - 1 from ledger_entry "
                + "where partner_id = ? and period > ?")) {
            ps.setString(1, partnerId);
            ps.setString(2, lastClosed == null ? "" : lastClosed.toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Entries of the partner after {@code afterSequence}, in sequence order, at most {@code limit}. */
    @Override
    public List<LedgerEntry> entriesAfter(Connection c, String partnerId, long afterSequence, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and sequence > ? order by sequence limit ?")) {
            ps.setString(1, partnerId);
            ps.setLong(2, afterSequence);
            ps.setInt(3, limit);
            Sql.count();
            return entries(ps);
        }
    }

    /** The entries of a period, in sequence order. */
    @Override
    public List<LedgerEntry> periodEntries(Connection c, String partnerId, YearMonth period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and period = ? order by sequence")) {
            ps.setString(1, partnerId);
            ps.setString(2, period.toString());
            Sql.count();
            return entries(ps);
        }
    }

    static List<LedgerEntry> entries(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<LedgerEntry> list = new ArrayList<>();
            while (rs.next()) {
                list.add(entry(rs));
            }
            return list;
        }
    }

    static LedgerEntry entry(ResultSet rs) throws SQLException {
        BigDecimal revenueAmount = rs.getBigDecimal("revenue_amount");
        return new LedgerEntry(Sql.uuid(rs, "entry_id"), rs.getString("partner_id"), rs.getLong("sequence"),
                Sql.period(rs, "period"), EntryKind.valueOf(rs.getString("kind")), rs.getBigDecimal("amount"),
                Sql.trimmed(rs, "currency"), rs.getString("usage_event_id"), rs.getString("model"),
                rs.getString("metric"), Sql.longOrNull(rs, "quantity"),
                revenueAmount == null ? null : new Revenue(revenueAmount, Sql.trimmed(rs, "revenue_currency")),
                rs.getBigDecimal("fx_rate"), rs.getBigDecimal("settlement_revenue"),
                Sql.intOrNull(rs, "agreement_version"), rs.getString("rule_id"), Sql.uuid(rs, "reverses_entry_id"),
                Sql.period(rs, "original_period"), rs.getString("memo"), rs.getString("actor"),
                Sql.instant(rs, "closed_at"), Sql.eventTime(rs), Sql.instant(rs, "posted_at"),
                rs.getString("payment_id"), rs.getObject("received_on", LocalDate.class), rs.getString("reference"));
    }
}
