package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import com.revshare.ledger.domain.LedgerChanges;

/**
 * Where the decider's output goes: one transaction's decided changes, written in a handful of statements
 * whatever their size, and each command as the partner's next step of the decision journal (SPEC §4.1
 * replay). A port that application owns; persistence implements it.
 */
public interface DecidedChanges {
    /**
     * Writes the partners' changes (each checked by {@code Postings.assertBalanced}); returns how many
     * entries were written. {@code usageStored}: the recorded events' rows were already inserted (with
     * state RATED) to learn which events are new, so only a different state is written.
     */
    int write(Connection c, List<LedgerChanges> changes, boolean usageStored) throws SQLException;

    /** Records an admin command or a chunk of pending work as the partner's next step (its lock is held). */
    void recordInput(Connection c, String partnerId, String kind, String inputJson, Instant at) throws SQLException;
}
