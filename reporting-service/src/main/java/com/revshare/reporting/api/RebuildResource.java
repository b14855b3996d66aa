package com.revshare.reporting.api;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.revshare.reporting.application.RebuildProgress;
import com.revshare.reporting.application.RebuildService;
import com.revshare.reporting.application.ReportReads;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Operations on the read model: the rebuild from offset 0 (start: admin; progress: admin or
 * finance) and the list of partners whose entries wait behind a missing sequence.
 */
@Path("/api/v1/reports")
@Produces(MediaType.APPLICATION_JSON)
@SecurityRequirement(name = "bearer")
public class RebuildResource {
    @Inject
    RebuildService rebuilds;

    @Inject
    ReportReads queries;

    @Inject
    SecurityIdentity identity;

    @POST
    @Path("rebuild")
    @RolesAllowed("admin")
    @Operation(summary = "Rebuild the read model from offset 0 of revshare.ledger.entries into a fresh schema, "
            + "then switch to it (202; 409 while one runs)")
    public Response start() {
        RebuildProgress started = rebuilds.start(identity.getPrincipal().getName());
        return Response.accepted(started).build();
    }

    @GET
    @Path("rebuild")
    @RolesAllowed({ "admin", "finance" })
    @Operation(summary = "Progress of the current or last rebuild: entries applied, lag, ETA")
    public RebuildProgress progress() {
        return rebuilds.progress();
    }

    @GET
    @Path("gaps")
    @RolesAllowed({ "admin", "finance" })
    @Operation(summary = "Partners whose later entries wait for a missing sequence")
    public List<ReportReads.GapRow> gaps() {
        return queries.gaps();
    }
}
