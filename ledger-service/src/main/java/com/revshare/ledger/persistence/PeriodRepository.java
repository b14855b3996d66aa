package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.PeriodTotals;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.TierKey;

/** The period balance projection and the tier counters (both kept by {@link DecisionWriter}). */
@ApplicationScoped
public class PeriodRepository implements PeriodTotals {

    // ---- tier counters ----

    /** Loads the counters of the given (partner, period) pairs into the states. */
    @Override
    public void loadCounters(Connection c, Map<String, PartnerLedger> states, Map<String, Set<YearMonth>> periods)
            throws SQLException {
        List<String> p = new ArrayList<>();
        List<String> m = new ArrayList<>();
        periods.forEach((partner, months) -> months.forEach(month -> {
            p.add(partner);
            m.add(month.toString());
        }));
        if (p.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select t.partner_id, t.period, t.agreement_version, "
                + "t.rule_id, t.basis from tier_counter t join unnest(?::text[], ?::text[]) as k(p, m) "
                + "on t.partner_id = k.p and t.period = k.m")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, m));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.get(rs.getString(1)).loadCounter(
                            new TierKey(Sql.period(rs, "period"), rs.getInt(3), rs.getString(4)), rs.getBigDecimal(5));
                }
            }
        }
    }

    /** Loads every counter of the partner. */
    @Override
    public void loadAllCounters(Connection c, PartnerLedger state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select period, agreement_version, rule_id, basis from "
                + "tier_counter where partner_id = ?")) {
            ps.setString(1, state.partnerId());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.loadCounter(new TierKey(Sql.period(rs, "period"), rs.getInt(2), rs.getString(3)),
                            rs.getBigDecimal(4));
                }
            }
        }
    }

    // ---- derived figures ----

    /**
     * Per period: total of money entries, event count, closedAt; all periods with entries, in order.
     * Read from the period_balance projection, kept by {@link #write} in the entries' transaction.
     */
    @Override
    public List<PeriodFigures> periodFigures(Connection c, String partnerId, YearMonth only) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select period, total, event_count as events, closed_at "
                + "from period_balance where partner_id = ? and (?::text is null or period = ?) order by period")) {
            ps.setString(1, partnerId);
            ps.setString(2, only == null ? null : only.toString());
            ps.setString(3, only == null ? null : only.toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<PeriodFigures> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(new PeriodFigures(Sql.period(rs, "period"), rs.getBigDecimal("total"),
                            rs.getLong("events"), Sql.instant(rs, "closed_at")));
                }
                return list;
            }
        }
    }

    /** Sum of USAGE and REVERSAL amounts per (version, rule) in the period (for tier true-ups). */
    @Override
    public void loadTierSums(Connection c, PartnerLedger state, YearMonth period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select agreement_version, rule_id, sum(amount) from "
                + "ledger_entry where partner_id = ? and period = ? and kind in ('USAGE', 'REVERSAL') and "
                + "agreement_version is not null group by 1, 2")) {
            ps.setString(1, state.partnerId());
            ps.setString(2, period.toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.loadTierSum(new TierKey(period, rs.getInt(1), rs.getString(2)), rs.getBigDecimal(3));
                }
            }
        }
    }
}
