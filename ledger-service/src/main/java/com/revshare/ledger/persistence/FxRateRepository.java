package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.FxRateRecords;

/** FX rates of SPEC §3.3 by (UTC date, base, quote); immutable once set. */
@ApplicationScoped
public class FxRateRepository implements FxRateRecords {
    // ---- FX ----

    @Override
    public Map<FxKey, BigDecimal> fxRates(Connection c, Collection<FxKey> keys) throws SQLException {
        Map<FxKey, BigDecimal> rates = new HashMap<>();
        if (keys.isEmpty()) {
            return rates;
        }
        List<String> d = new ArrayList<>();
        List<String> b = new ArrayList<>();
        List<String> q = new ArrayList<>();
        for (FxKey k : keys) {
            d.add(k.date().toString());
            b.add(k.base());
            q.add(k.quote());
        }
        try (PreparedStatement ps = c.prepareStatement("select f.rate_date, f.base, f.quote, f.rate from fx_rate f "
                + "join unnest(?::text[], ?::text[], ?::text[]) as k(d, b, q) on f.rate_date = k.d::date "
                + "and f.base = k.b and f.quote = k.q")) {
            ps.setArray(1, Sql.texts(c, d));
            ps.setArray(2, Sql.texts(c, b));
            ps.setArray(3, Sql.texts(c, q));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rates.put(new FxKey(rs.getObject(1, LocalDate.class), rs.getString(2).trim(),
                            rs.getString(3).trim()), rs.getBigDecimal(4));
                }
            }
        }
        return rates;
    }

    @Override
    public Optional<FxRow> fxRate(Connection c, FxKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select rate_date, base, quote, rate, actor, created_at from "
                + "fx_rate where rate_date = ? and base = ? and quote = ?")) {
            ps.setObject(1, key.date());
            ps.setString(2, key.base());
            ps.setString(3, key.quote());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(fxRow(rs)) : Optional.empty();
            }
        }
    }

    /** Inserts the rate unless (date, base, quote) exists; returns true when inserted. */
    @Override
    public boolean insertFxRate(Connection c, FxRow row) throws SQLException {
        // the step orders the rate among the decisions of the partners settling in its quote currency (whose
        // locks the caller holds): a replay sees the rate from the next decision on (SPEC §4.1)
        try (PreparedStatement ps = c.prepareStatement("insert into fx_rate (rate_date, base, quote, rate, actor, "
                + "created_at, step) values (?, ?, ?, ?, ?, ?::timestamptz, nextval('ledger_step_seq')) "
                + "on conflict do nothing")) {
            ps.setObject(1, row.date());
            ps.setString(2, row.base());
            ps.setString(3, row.quote());
            ps.setBigDecimal(4, row.rate());
            ps.setString(5, row.actor());
            ps.setString(6, row.createdAt().toString());
            Sql.count();
            return ps.executeUpdate() == 1;
        }
    }

    private static FxRow fxRow(ResultSet rs) throws SQLException {
        return new FxRow(rs.getObject(1, LocalDate.class), rs.getString(2).trim(), rs.getString(3).trim(),
                rs.getBigDecimal(4), rs.getString(5), Sql.instant(rs, "created_at"));
    }
}
