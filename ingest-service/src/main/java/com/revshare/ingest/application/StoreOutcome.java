package com.revshare.ingest.application;

/** What the store made of one valid usage or control event (SPEC §2.3, §2.6). */
public sealed interface StoreOutcome {

    /** New: the event claimed its id and got the partner's next ingest sequence. */
    record Claimed(long ingestSequence) implements StoreOutcome {
    }

    /** The id was already claimed by an event with the same content. */
    record Duplicate() implements StoreOutcome {
    }

    /** The id was already claimed by an event (usage or control) with different content, which stays. */
    record Conflict() implements StoreOutcome {
    }
}
