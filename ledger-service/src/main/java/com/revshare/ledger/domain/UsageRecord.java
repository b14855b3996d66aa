package com.revshare.ledger.domain;

/** What the ledger knows of one usage event: its rating state and, when rated, its current entry. */
public record UsageRecord(UsageEvent event, UsageStatus status, UnratedReason reason, LedgerEntry current) {

    /** RATED (has a current USAGE or LATE_USAGE entry), UNRATED (parked) or WRITTEN_OFF. */
    public enum UsageStatus {
        RATED, UNRATED, WRITTEN_OFF
    }
}
