package com.revshare.reporting.domain;

import java.util.Optional;

/**
 * The kinds of ledger entry (SPEC §4) and how each takes part in a statement (SPEC §6). The
 * declaration order is the order adjustments are listed in.
 */
public enum EntryKind {
    USAGE, REVERSAL, LATE_USAGE, TIER_TRUE_UP, MINIMUM_TRUE_UP, CAP_ADJUSTMENT, MANUAL_ADJUSTMENT, PERIOD_CLOSED, PAYMENT;

    /**
     * A charge: money owed for the period (every kind but PAYMENT and PERIOD_CLOSED). Only charges
     * take part in period totals, statements, overview, summary and eventCount (SPEC §4 v2).
     */
    public boolean isMoney() {
        return this != PERIOD_CLOSED && this != PAYMENT;
    }

    /** Statement lines, usageAmount and quantities sum USAGE and REVERSAL entries. */
    public boolean isUsageLine() {
        return this == USAGE || this == REVERSAL;
    }

    /** Adjustments are the money kinds that are not lines. */
    public boolean isAdjustment() {
        return isMoney() && !isUsageLine();
    }

    /**
     * eventCount counts usage events whose current USAGE or LATE_USAGE entry is booked in the
     * period; a REVERSAL (booked in the reversed entry's period) retires the event's entry there.
     */
    public int eventCountDelta() {
        return switch (this) {
            case USAGE, LATE_USAGE -> 1;
            case REVERSAL -> -1;
            default -> 0;
        };
    }

    public static Optional<EntryKind> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        for (EntryKind kind : values()) {
            if (kind.name().equals(text)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
