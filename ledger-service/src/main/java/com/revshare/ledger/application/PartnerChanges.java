package com.revshare.ledger.application;

/**
 * The port through which the registry tells the world that a partner's row changed, so its record is
 * published on revshare.partners. Implemented by the messaging adapter ({@code PartnerPublisher}, which
 * publishes the partner's current committed row); call it only after the commit. Never fails the caller:
 * a send that fails is retried by the adapter.
 */
public interface PartnerChanges {
    void published(String partnerId);
}
