package com.revshare.ledger.domain;

import java.time.YearMonth;

/** A period's status (SPEC §3.5): CLOSED when it is the last closed period or before it, else OPEN. */
public enum PeriodStatus {
    OPEN, CLOSED;

    /** The status of {@code period} when {@code lastClosed} (null: none) is the partner's last closed period. */
    public static PeriodStatus of(YearMonth period, YearMonth lastClosed) {
        return lastClosed != null && !period.isAfter(lastClosed) ? CLOSED : OPEN;
    }
}
