package com.revshare.reporting.messaging;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ready once the partner registry has been read to its end and the entries consumer runs (Kafka
 * and database checks come from their extensions).
 */
@Readiness
@ApplicationScoped
public class PartnerRegistryReadiness implements HealthCheck {
    private final PartnersConsumer partners;
    private final LedgerEntriesConsumer entries;

    public PartnerRegistryReadiness(PartnersConsumer partners, LedgerEntriesConsumer entries) {
        this.partners = partners;
        this.entries = entries;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("revshare-reporting-consumers")
                .status(partners.isLoaded() && entries.isRunning())
                .withData("partnerRegistryLoaded", partners.isLoaded())
                .withData("ledgerEntriesConsumerRunning", entries.isRunning())
                .build();
    }
}
