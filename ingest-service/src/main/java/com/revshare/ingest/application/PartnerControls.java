package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

import com.revshare.ingest.domain.Reconciliation;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * A partner's controls checked live against what ingest accepted (SPEC §2.6): each control's window totals
 * come from the hourly aggregates (at most one row per hour of the window), so a late event changes the
 * status on the next read.
 */
@ApplicationScoped
public class PartnerControls {
    private final ControlStorage store;

    public PartnerControls(ControlStorage store) {
        this.store = store;
    }

    /** Controls overlapping [from, to) (either may be null), by window start then control id, at most limit. */
    public List<Reconciliation> controls(String partnerId, Instant from, Instant to, int limit) throws SQLException {
        return store.controls(partnerId, from, to, limit).stream()
                .map(c -> Reconciliation.of(c.control(), c.received())).toList();
    }

    public List<String> partnersWithControls() throws SQLException {
        return store.partnersWithControls();
    }
}
