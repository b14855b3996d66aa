package com.revshare.reporting.messaging;

/** A record of the compacted topic revshare.partners (docs/events/partner.v1.schema.json). */
public record PartnerMessage(String partnerId, String name, String currency, String status) {
}
