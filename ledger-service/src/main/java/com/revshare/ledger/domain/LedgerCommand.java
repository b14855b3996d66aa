package com.revshare.ledger.domain;

import java.time.YearMonth;
import java.util.List;

/** What can be asked of a partner's ledger (SPEC §3, §5). */
public sealed interface LedgerCommand {

    /** Rate accepted usage events in the given order; ones the ledger already holds are duplicates. */
    record RecordUsage(List<UsageEvent> events) implements LedgerCommand {
    }

    /** Add the next agreement version; re-rates what it now governs in open periods and un-parks what it covers. */
    record AddAgreementVersion(AgreementDraft draft) implements LedgerCommand {
    }

    /** Rate every parked event that the current terms and rates can rate. */
    record RatePending() implements LedgerCommand {
    }

    /**
     * Re-rate every rated event of an OPEN period whose current USAGE entry was made by a version
     * that no longer governs its time (a later-added version covers it): REVERSAL, then USAGE or
     * parked. Adding a version does this for everything it covers; a store may run it in chunks.
     */
    record ReRate() implements LedgerCommand {
    }

    /** Close a period (SPEC §3.5). */
    record ClosePeriod(YearMonth period, boolean force) implements LedgerCommand {
    }

    /** Post a MANUAL_ADJUSTMENT to an open period (SPEC §3.7); amount and memo as given. */
    record PostAdjustment(YearMonth period, String amount, String memo) implements LedgerCommand {
    }

    /** Give up an unrated event (SPEC §3.6). */
    record WriteOff(String eventId, String memo) implements LedgerCommand {
    }
}
