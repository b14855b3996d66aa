package com.revshare.ingest.application;

import java.time.Instant;

/**
 * A rejection as kept in ingest's store and listed to its claim partner (SPEC §2.7).
 *
 * @param claimPartnerId the partner whose rejection this is (SPEC §2.7 claim rules), or null when none is
 * @param claimSequence the claim partner's running number of this rejection (orders the list), or null
 * @param partnerId the key of the rejection record on the rejected topic
 * @param position the Kafka position of the record, or null for HTTP
 */
public record StoredRejection(String claimPartnerId, Long claimSequence, Instant receivedAt, String reason,
        String detail, String partnerId, String eventId, long size, String sha256, Channel channel,
        IncomingRecord.SourcePosition position) {
}
