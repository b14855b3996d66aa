package com.revshare.reporting.messaging;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import com.revshare.reporting.application.HeldRecordMetrics;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ready once the partner registry has been read to its end and the entries consumer runs (Kafka
 * and database checks come from their extensions).
 * <p>
 * Records reporting holds (issue 10) show here as {@code heldRecords} (and per partner as
 * {@code heldRecords.<partner>}) but do not make the instance DOWN: a held record is a fact about
 * the topic, identical on every instance; no restart or failover heals it, and taking every
 * instance out of service would hide every partner's figures for one partner's record. It is made
 * impossible to miss instead by the gauge {@code revshare_reporting_held_records{partner}}, an
 * ERROR log line per record and {@code GET /api/v1/operations/held-records}.
 */
@Readiness
@ApplicationScoped
public class PartnerRegistryReadiness implements HealthCheck {
    private final PartnersConsumer partners;
    private final LedgerEntriesConsumer entries;
    private final HeldRecordMetrics held;

    public PartnerRegistryReadiness(PartnersConsumer partners, LedgerEntriesConsumer entries,
            HeldRecordMetrics held) {
        this.partners = partners;
        this.entries = entries;
        this.held = held;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("revshare-reporting-consumers")
                .status(partners.isLoaded() && entries.isRunning())
                .withData("partnerRegistryLoaded", partners.isLoaded())
                .withData("ledgerEntriesConsumerRunning", entries.isRunning())
                .withData("heldRecords", held.total());
        held.counts().forEach((partner, count) -> response.withData(
                "heldRecords." + (partner.isEmpty() ? HeldRecordMetrics.UNKNOWN_PARTNER : partner), count));
        return response.build();
    }
}
