package com.revshare.reporting.api;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * Where the dashboard finds the other services' APIs (issue 13): the ledger's (audit log, period
 * proofs, partner registry) and ingest's (control totals). Public like the dashboard's static files:
 * it holds two base URLs and no data; the browser calls those APIs with the user's own token, and
 * the ledger and ingest allow this service's origin by CORS ({@code REVSHARE_DASHBOARD_ORIGINS}).
 * The defaults are a local run's ports (SPEC §8).
 */
@Path("/dashboard/config.json")
@PermitAll
public class DashboardConfigResource {
    /** What the dashboard reads; base URLs without a trailing slash. */
    public record DashboardConfig(String ledgerUrl, String ingestUrl) {
    }

    @ConfigProperty(name = "revshare.dashboard.ledger-url", defaultValue = "http://localhost:8082")
    String ledgerUrl;

    @ConfigProperty(name = "revshare.dashboard.ingest-url", defaultValue = "http://localhost:8081")
    String ingestUrl;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Base URLs of the ledger and ingest APIs for the dashboard (public, no token)")
    public DashboardConfig config() {
        return new DashboardConfig(withoutTrailingSlash(ledgerUrl), withoutTrailingSlash(ingestUrl));
    }

    private static String withoutTrailingSlash(String url) {
        String trimmed = url.strip();
        while (trimmed.endsWith("/")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1);
        }
        return trimmed;
    }
}
