package com.revshare.ledger.domain;

import java.time.Instant;
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

    /**
     * Rate the parked events that the current terms and rates can rate, in (time, event id) order: those after
     * ({@code afterTime}, {@code afterId}) (null: from the first), at most {@code limit} of them (a store
     * rates them in chunks and loads only the chunk; a replay presents the same chunk).
     */
    record RatePending(Instant afterTime, String afterId, int limit) implements LedgerCommand {
        /** Every parked event the state holds. */
        public RatePending() {
            this(null, null, Integer.MAX_VALUE);
        }
    }

    /**
     * Re-rate every rated event of an OPEN period whose current USAGE entry was made by a version
     * that no longer governs its time (a later-added version covers it): REVERSAL, then USAGE or
     * parked. Adding a version does this for everything it covers; a store runs it in chunks: the stale
     * entries after sequence {@code afterSequence}, at most {@code limit} of them.
     */
    record ReRate(long afterSequence, int limit) implements LedgerCommand {
        /** Every stale entry the state holds. */
        public ReRate() {
            this(0, Integer.MAX_VALUE);
        }
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

    /**
     * Record what the partner paid (SPEC §3.8): a PAYMENT entry in the earliest OPEN period. The fields as
     * the request gave them (validated by the decider); the same paymentId again with the same body decides
     * nothing (the stored payment stands), with another body it is a conflict.
     */
    record RecordPayment(String paymentId, String amount, String currency, String receivedOn, String reference)
            implements LedgerCommand {
    }
}
