package com.revshare.ingest.application;

import java.time.Instant;
import java.util.List;

/** Where rejected records go (SPEC §2.5: the rejected topic). */
public interface RejectionSink {

    /** A rejected record with its original bytes. */
    record RejectedRecord(Outcome.Rejected rejection, byte[] raw, Instant receivedAt) {
    }

    /** Publishes every rejection and returns once the broker acknowledged them all; throws otherwise. */
    void publish(List<RejectedRecord> rejections);
}
