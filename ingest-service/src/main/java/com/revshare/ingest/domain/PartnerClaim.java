package com.revshare.ingest.domain;

/**
 * Who the transport says sent a record: the Kafka record key, or the partner of the HTTP caller's
 * token. An event whose {@code partnerid} differs is a {@link RejectionReason#PARTNER_MISMATCH}.
 *
 * @param partnerId the claimed partner id
 * @param origin what made the claim, for the rejection detail (e.g. "record key")
 */
public record PartnerClaim(String partnerId, String origin) {
    public static PartnerClaim recordKey(String key) {
        return key == null ? null : new PartnerClaim(key, "record key");
    }

    public static PartnerClaim caller(String partnerId) {
        return new PartnerClaim(partnerId, "authenticated partner");
    }
}
