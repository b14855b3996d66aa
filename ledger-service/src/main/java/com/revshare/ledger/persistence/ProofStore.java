package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.ProofSources;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.ReplayMemory;
import com.revshare.ledger.domain.UsageEvent;

/**
 * What a period proof reads (SPEC §4.1): the period's stored entries, and the partner's recorded inputs for
 * the replay — the decision journal, the usage events by step, the FX rates with their steps — and the
 * replay's memory of usage records ({@link ReplayMemoryTable}). Everything large is read through server-side
 * cursors ({@link #FETCH_SIZE} rows at a time) and remembered in a temporary table, so a proof runs in bounded
 * heap whatever the partner's history. Plain JDBC on the caller's transactional connection.
 */
@ApplicationScoped
public class ProofStore implements ProofSources {
    /** Rows per round trip of a streaming cursor. */
    static final int FETCH_SIZE = 1000;

    /** A forward-only cursor over rows; {@link #next} is null at the end. */
    static final class RowCursor<T> implements Cursor<T> {
        private final PreparedStatement ps;
        private final ResultSet rs;
        private final RowReader<T> reader;

        RowCursor(PreparedStatement ps, RowReader<T> reader) throws SQLException {
            this.ps = ps;
            this.reader = reader;
            ps.setFetchSize(FETCH_SIZE);
            Sql.count();
            this.rs = ps.executeQuery();
        }

        @Override
        public T next() throws SQLException {
            return rs.next() ? reader.read(rs) : null;
        }

        @Override
        public void close() throws SQLException {
            rs.close();
            ps.close();
        }
    }

    @FunctionalInterface
    interface RowReader<T> {
        T read(ResultSet rs) throws SQLException;
    }

    /**
     * Makes the caller's transaction a read-only snapshot (inputs and entries read at one instant) with the
     * replay's memory in a temporary table: created before the transaction turns read-only (PostgreSQL refuses
     * CREATE in a read-only transaction but lets it write its temporary tables), dropped at its end.
     */
    @Override
    public ReplayMemory snapshot(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            Sql.count();
            s.execute("set transaction isolation level repeatable read");
        }
        ReplayMemoryTable memory = ReplayMemoryTable.create(c);
        try (Statement s = c.createStatement()) {
            Sql.count();
            s.execute("set transaction read only");
        }
        return memory;
    }

    @Override
    public Cursor<JournalRow> journal(Connection c, String partnerId) throws SQLException {
        PreparedStatement ps = c.prepareStatement("select step, kind, input::text, at from ledger_input where "
                + "partner_id = ? order by step");
        ps.setString(1, partnerId);
        return new RowCursor<>(ps, rs -> new JournalRow(rs.getLong(1), rs.getString(2), rs.getString(3),
                Sql.instant(rs, "at")));
    }

    @Override
    public Cursor<SteppedEvent> steppedUsage(Connection c, String partnerId) throws SQLException {
        PreparedStatement ps = c.prepareStatement("select * from usage_event where partner_id = ? and step is not "
                + "null and rating_state <> 'UNPROCESSABLE' order by step, step_ordinal");
        ps.setString(1, partnerId);
        return new RowCursor<>(ps, rs -> new SteppedEvent(rs.getLong("step"), UsageRepository.usageEvent(rs)));
    }

    @Override
    public Cursor<StoredEntry> periodEntries(Connection c, String partnerId, YearMonth period) throws SQLException {
        PreparedStatement ps = c.prepareStatement("select " + EntryRepository.ENTRY_COLUMNS.replaceAll("(^|, )", "$1e.")
                + ", r.sequence as reverses_sequence from ledger_entry e left join ledger_entry r on r.entry_id = "
                + "e.reverses_entry_id where e.partner_id = ? and e.period = ? order by e.sequence");
        ps.setString(1, partnerId);
        ps.setString(2, period.toString());
        return new RowCursor<>(ps, rs -> new StoredEntry(EntryRepository.entry(rs), Sql.longOrNull(rs, "reverses_sequence")));
    }

    /** Every FX rate into {@code quote} (the partner's currency: the only rates its rating reads). */
    @Override
    public Map<FxRateRepository.FxKey, SteppedRate> fxRates(Connection c, String quote) throws SQLException {
        Map<FxRateRepository.FxKey, SteppedRate> rates = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select rate_date, base, quote, rate, step from fx_rate where "
                + "quote = ?")) {
            ps.setString(1, quote);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rates.put(new FxRateRepository.FxKey(rs.getObject(1, LocalDate.class), rs.getString(2).trim(),
                            rs.getString(3).trim()), new SteppedRate(rs.getBigDecimal(4), Sql.longOrNull(rs, "step")));
                }
            }
        }
        return rates;
    }
}
