package com.revshare.ingest.application;

import java.time.Instant;

import com.revshare.ingest.domain.PartnerClaim;

/**
 * One record as a transport hands it over, before validation.
 *
 * @param raw the original bytes (null for a Kafka tombstone); an HTTP batch element's exact span of the body
 * @param claim who the transport says sent it (Kafka key, HTTP caller), or null
 * @param submittedAt the Kafka record timestamp or the HTTP receipt time
 */
public record IncomingRecord(byte[] raw, PartnerClaim claim, Instant submittedAt, Channel channel) {

    public int size() {
        return raw == null ? 0 : raw.length;
    }
}
