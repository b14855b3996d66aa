package com.revshare.reporting.application;

import java.util.Collection;

/**
 * Port: the partner registry (name, currency, status, payment terms of each partner), fed from
 * revshare.partners by the messaging adapter and kept by the persistence adapter.
 */
public interface PartnerRepository {

    /** A partner as the registry keeps it; {@code paymentTermsDays} already defaulted (SPEC §3.8: 30). */
    record Partner(String partnerId, String name, String currency, String status, int paymentTermsDays) {
    }

    /** Upserts the latest record of each partner, in one transaction. */
    void upsert(Collection<Partner> partners);
}
