package com.revshare.ledger.domain;

/** Why an accepted event is parked instead of rated (SPEC §3.6). */
public enum UnratedReason {
    NO_AGREEMENT, NO_MATCHING_RULE, NO_FX_RATE
}
