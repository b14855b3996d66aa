package com.revshare.ingest.application;

import com.revshare.ingest.domain.RejectionReason;

/** Where one incoming record ended: exactly one of accepted, duplicate, rejected (or processed before). */
public sealed interface Outcome {

    record Accepted(String partnerId, String eventId, long ingestSequence) implements Outcome {
    }

    /** A new control event (SPEC §2.6): counted as accepted over HTTP, takes no ingest sequence. */
    record AcceptedControl(String partnerId, String eventId) implements Outcome {
    }

    /** A duplicate record of either type. */
    record Duplicate(String partnerId, String eventId) implements Outcome {
    }

    record Rejected(RejectionReason reason, String detail, String partnerId, String eventId) implements Outcome {
    }

    /** A Kafka record at an offset its consumer group already processed (a re-delivery after a rebalance). */
    record AlreadyProcessed() implements Outcome {
    }
}
