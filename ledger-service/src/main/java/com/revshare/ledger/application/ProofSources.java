package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.Map;

import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.ReplayMemory;
import com.revshare.ledger.domain.UsageEvent;

/**
 * What a period proof replays (SPEC §4.1): the decision journal, the stepped usage and FX rates, the stored
 * entries, read from one snapshot, and where the replay remembers its usage records. A port that application
 * owns; persistence implements it (plain JDBC on the caller's transactional connection).
 */
public interface ProofSources {
    /** A forward-only cursor over rows; {@link #next} is null at the end. */
    interface Cursor<T> extends AutoCloseable {
        T next() throws SQLException;

        @Override
        void close() throws SQLException;
    }

    /** One recorded decision of the partner. */
    record JournalRow(long step, String kind, String inputJson, Instant at) {
    }

    /** A usage event with the step (usage batch) that decided it. */
    record SteppedEvent(long step, UsageEvent event) {
    }

    /** A stored entry of the period with the sequence of the entry it reverses (null if none). */
    record StoredEntry(LedgerEntry entry, Long reversesSequence) {
    }

    /** An FX rate and the step it was set at (null: before steps were recorded, always known). */
    record SteppedRate(BigDecimal rate, Long step) {
    }

    /**
     * Makes the caller's transaction a read-only snapshot (inputs and entries read at one instant) and returns
     * the replay's memory of usage records, held by the store for the rest of that transaction (not on the heap).
     */
    ReplayMemory snapshot(Connection c) throws SQLException;

    Cursor<JournalRow> journal(Connection c, String partnerId) throws SQLException;

    Cursor<SteppedEvent> steppedUsage(Connection c, String partnerId) throws SQLException;

    Cursor<StoredEntry> periodEntries(Connection c, String partnerId, YearMonth period) throws SQLException;

    /** Every FX rate into {@code quote} (the partner's currency: the only rates its rating reads). */
    Map<FxRateRecords.FxKey, SteppedRate> fxRates(Connection c, String quote) throws SQLException;
}
