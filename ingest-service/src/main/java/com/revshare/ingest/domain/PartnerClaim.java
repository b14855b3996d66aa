package com.revshare.ingest.domain;

/**
 * Who the transport says sent a record: the Kafka record key, the partner of the HTTP caller's token, or
 * the partner whose own raw topic carried it (SPEC §2.4). An event whose {@code partnerid} differs is a
 * {@link RejectionReason#PARTNER_MISMATCH}; on a partner topic so is a record whose key, when present,
 * is not the topic's partner.
 *
 * @param partnerId the claimed partner id
 * @param origin what made the claim, for the rejection detail (e.g. "record key")
 * @param recordKey on a partner topic, the record's key when it has one (must equal {@code partnerId}); else null
 */
public record PartnerClaim(String partnerId, String origin, String recordKey) {
    public static final String TOPIC_ORIGIN = "partner of the topic";

    public PartnerClaim(String partnerId, String origin) {
        this(partnerId, origin, null);
    }

    public static PartnerClaim recordKey(String key) {
        return key == null ? null : new PartnerClaim(key, "record key");
    }

    public static PartnerClaim caller(String partnerId) {
        return new PartnerClaim(partnerId, "authenticated partner");
    }

    /** A record read from the partner's own raw topic {@code revshare.usage.raw.<partnerId>}. */
    public static PartnerClaim topic(String partnerId, String key) {
        return new PartnerClaim(partnerId, TOPIC_ORIGIN, key);
    }

    /** Whether the claim is a partner topic's (the topic decides the partner, whatever the record says). */
    public boolean isTopic() {
        return TOPIC_ORIGIN.equals(origin);
    }
}
