package com.revshare.reporting.application;

/**
 * Who asks: finance and admin see every partner; a partner token sees only its own partner.
 *
 * @param subject   the token's subject, for logs
 * @param privileged true for roles finance or admin
 * @param partnerId  the partner_id claim of a partner token (null otherwise)
 */
public record Caller(String subject, boolean privileged, String partnerId) {

    /** May this caller read {@code partner}'s data? */
    public boolean mayRead(String partner) {
        return privileged || (partnerId != null && partnerId.equals(partner));
    }

    /** The partner every list must be filtered to, or null for all partners. */
    public String partnerFilter() {
        return privileged ? null : partnerId;
    }
}
