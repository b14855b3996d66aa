package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.revshare.ingest.domain.ControlEvent;
import com.revshare.ingest.domain.Totals;
import com.revshare.ingest.domain.UsageEvent;

/**
 * The port to the stored control events and the hourly totals they are compared with (SPEC §2.6).
 * Application owns it; the persistence adapter implements it.
 */
public interface ControlStorage {

    /**
     * Stores the new controls of a batch and classifies every item (SPEC §2.6 idempotency, shared id space):
     * the first occurrence of an id in the batch competes with the store; later ones compare with the holder.
     * An id held by a usage event is a conflict.
     */
    List<StoreOutcome> store(List<ControlItem> items, Instant receivedAt) throws SQLException;

    /** Which of the keys a control holds (for usage events whose id no usage event holds). */
    Set<UsageEvent.Key> heldByControls(List<UsageEvent.Key> keys) throws SQLException;

    /**
     * Adds a batch's newly accepted usage events to their (partner, hour) totals: pre-aggregated in memory,
     * two statements whatever the batch size. Must run in the transaction that accepted them.
     */
    void addToHourlyTotals(List<UsageEvent> accepted) throws SQLException;

    /** A stored control with the totals ingest received in its window. */
    record ControlWithReceived(ControlEvent control, Totals received) {
    }

    /**
     * A partner's controls whose window overlaps [{@code from}, {@code to}) (either may be null), ordered by
     * window start then control id, at most {@code limit}, each with its window's received totals.
     */
    List<ControlWithReceived> controls(String partnerId, Instant from, Instant to, int limit) throws SQLException;

    /** The partners that have at least one control (for the status gauge's periodic refresh). */
    List<String> partnersWithControls() throws SQLException;
}
