package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * The stored FX rates (SPEC §3.3).
 * A port that application owns; persistence implements it (plain JDBC on the caller's transactional
 * connection).
 */
public interface FxRateRecords {
    /** (UTC date, base, quote) of an FX rate. */
    record FxKey(LocalDate date, String base, String quote) {
    }

    /** An FX rate as stored. */
    record FxRow(LocalDate date, String base, String quote, BigDecimal rate, String actor, Instant createdAt) {
    }

    Map<FxKey, BigDecimal> fxRates(Connection c, Collection<FxKey> keys) throws SQLException;

    Optional<FxRow> fxRate(Connection c, FxKey key) throws SQLException;

    /** Inserts the rate unless (date, base, quote) exists; returns true when inserted. */
    boolean insertFxRate(Connection c, FxRow row) throws SQLException;
}
