package com.revshare.ingest.api;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import com.revshare.ingest.application.PartnerRegistry;

import jakarta.enterprise.context.ApplicationScoped;

/** Ingest is not ready until it has read revshare.partners to the end offsets it saw at startup (SPEC §2.4). */
@Readiness
@ApplicationScoped
public class PartnerRegistryReadiness implements HealthCheck {
    private final PartnerRegistry registry;

    public PartnerRegistryReadiness(PartnerRegistry registry) {
        this.registry = registry;
    }

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("partner-registry").status(registry.isLoaded())
                .withData("partners", registry.size()).build();
    }
}
