package com.revshare.ingest.domain;

import java.util.TreeSet;

/**
 * One control checked against what ingest accepted (SPEC §2.6): {@code reported} (the control),
 * {@code received} (the partner's accepted unique usage events with time in the window), {@code difference}
 * = received − reported, and the status. All three list the same currencies: those the control names or
 * some event of the window carries.
 */
public record Reconciliation(ControlEvent control, Totals reported, Totals received, Totals difference,
        ControlStatus status) {

    /** Decides the status of a control given the totals received in its window. */
    public static Reconciliation of(ControlEvent control, Totals receivedInWindow) {
        TreeSet<String> currencies = new TreeSet<>(control.revenue().keySet());
        currencies.addAll(receivedInWindow.revenue().keySet());
        Totals reported = Totals.reported(control).withCurrencies(currencies);
        Totals received = receivedInWindow.withCurrencies(currencies);
        Totals difference = received.minus(reported);
        ControlStatus status;
        if (difference.isZero()) {
            status = ControlStatus.MATCHED;
        } else if (difference.eventCount() < 0) {
            status = ControlStatus.SHORT;
        } else if (difference.eventCount() > 0) {
            status = ControlStatus.OVER;
        } else {
            status = ControlStatus.MISMATCH;
        }
        return new Reconciliation(control, reported, received, difference, status);
    }
}
