package com.revshare.ingest.application;

/**
 * A partner's intake counts (SPEC §2.7) as stored on its row: accepted usage events (= the last ingest
 * sequence), duplicate records, records rejected with the partner as their claim, accepted control events.
 */
public record PartnerCounts(String partnerId, long lastIngestSequence, long duplicates, long rejected,
        long controls) {
}
