package com.revshare.ingest.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eclipse.microprofile.health.HealthCheckResponse;
import org.junit.jupiter.api.Test;

import com.revshare.ingest.application.PartnerRegistry;

/**
 * SPEC §2.4 / §8: ingest is not ready until it has read revshare.partners to its end (the running
 * service is past that point in every integration test, so the DOWN side is proven here).
 */
class PartnerRegistryReadinessTest {
    @Test
    void downUntilThePartnersTopicIsReadToItsEndThenUp() {
        PartnerRegistry registry = new PartnerRegistry();
        PartnerRegistryReadiness readiness = new PartnerRegistryReadiness(registry);
        registry.put(new PartnerRegistry.Partner("aws", "AWS", "USD", "ACTIVE"));
        assertEquals(HealthCheckResponse.Status.DOWN, readiness.call().getStatus());
        assertFalse(registry.isLoaded());

        registry.markLoaded();
        HealthCheckResponse up = readiness.call();
        assertEquals(HealthCheckResponse.Status.UP, up.getStatus());
        assertEquals("partner-registry", up.getName());
        assertTrue(registry.isRegistered("aws"));
    }
}
