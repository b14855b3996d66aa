package com.revshare.ledger.domain;

/** The kinds of ledger entry (SPEC §4). */
public enum EntryKind {
    USAGE, LATE_USAGE, REVERSAL, TIER_TRUE_UP, MINIMUM_TRUE_UP, CAP_ADJUSTMENT, MANUAL_ADJUSTMENT, PERIOD_CLOSED,
    PAYMENT;

    /** False only for PERIOD_CLOSED, which is no money and takes part in no sum or count. */
    public boolean isMoney() {
        return this != PERIOD_CLOSED;
    }

    /**
     * A charge (every kind but PAYMENT and PERIOD_CLOSED): it debits the partner's receivable and counts in
     * period totals; a PAYMENT moves money too but is no charge (SPEC §4 v2).
     */
    public boolean isCharge() {
        return this != PERIOD_CLOSED && this != PAYMENT;
    }
}
