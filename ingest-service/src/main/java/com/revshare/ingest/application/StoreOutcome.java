package com.revshare.ingest.application;

import com.revshare.ingest.domain.UsageEvent;

/** What the store made of one valid event (SPEC §2.3). */
public sealed interface StoreOutcome {

    /** New: the event claimed its id and got the partner's next ingest sequence. */
    record Claimed(long ingestSequence) implements StoreOutcome {
    }

    /** The id was already claimed by an event with the same content. */
    record Duplicate() implements StoreOutcome {
    }

    /** The id was already claimed by an event with different content, which stays. */
    record Conflict(UsageEvent first) implements StoreOutcome {
    }
}
