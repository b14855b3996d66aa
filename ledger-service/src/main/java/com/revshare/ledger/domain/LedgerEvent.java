package com.revshare.ledger.domain;

import java.time.Instant;

/** What the ledger decided: the events of a partner's stream, folded by {@link PartnerLedger#apply}. */
public sealed interface LedgerEvent {

    /** A version was added to the partner's agreement. */
    record AgreementVersionAdded(AgreementVersion version) implements LedgerEvent {
    }

    /** An accepted usage event entered the ledger; it claims the idempotency key (partner, event id). */
    record UsageRecorded(UsageEvent event) implements LedgerEvent {
    }

    /** An entry was appended to the partner's stream. */
    record EntryPosted(LedgerEntry entry) implements LedgerEvent {
    }

    /** A usage event could not be rated and waits for terms or rates. */
    record UsageParked(String eventId, UnratedReason reason) implements LedgerEvent {
    }

    /** Finance gave an unrated event up: no entry, recorded with actor and memo. */
    record UsageWrittenOff(String eventId, String memo, String actor, Instant at) implements LedgerEvent {
    }
}
