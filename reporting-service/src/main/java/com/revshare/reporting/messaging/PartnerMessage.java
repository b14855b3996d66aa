package com.revshare.reporting.messaging;

/**
 * A record of the compacted topic revshare.partners (docs/events/partner.v1.schema.json).
 * {@code paymentTermsDays} (SPEC §3.8, 0 … 365) may be absent from an older ledger: then 30.
 */
public record PartnerMessage(String partnerId, String name, String currency, String status,
        Integer paymentTermsDays) {
    public static final int DEFAULT_PAYMENT_TERMS_DAYS = 30;
    public static final int MAX_PAYMENT_TERMS_DAYS = 365;
}
