package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.revshare.ledger.domain.PartnerLedger;

/**
 * The per-period balance projection and the tier counters the decider reads.
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface PeriodTotals {
    /** A per-period figure of the balance. */
    record PeriodFigures(YearMonth period, BigDecimal total, long eventCount, Instant closedAt) {
    }

    /** Loads the counters of the given (partner, period) pairs into the states. */
    void loadCounters(Connection c, Map<String, PartnerLedger> states, Map<String, Set<YearMonth>> periods)
            throws SQLException;

    /** Loads every counter of the partner. */
    void loadAllCounters(Connection c, PartnerLedger state) throws SQLException;

    /**
     * Per period: total of money entries, event count, closedAt; all periods with entries, in order.
     * Read from the period_balance projection, kept by {@link #write} in the entries' transaction.
     */
    List<PeriodFigures> periodFigures(Connection c, String partnerId, YearMonth only) throws SQLException;

    /** Sum of USAGE and REVERSAL amounts per (version, rule) in the period (for tier true-ups). */
    void loadTierSums(Connection c, PartnerLedger state, YearMonth period) throws SQLException;
}
