package com.revshare.ledger.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AdminCommands;
import com.revshare.ledger.config.LedgerConfig;

/** FX rates, immutable once set (SPEC §3.3). */
@Path("/api/v1/fx-rates")
@Produces(MediaType.APPLICATION_JSON)
public class FxRateResource {
    @Inject
    AdminCommands admin;
    @Inject
    Caller caller;
    @Inject
    ObjectMapper json;
    @Inject
    LedgerConfig config;

    @PUT
    @Path("/{date}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    public Response putFxRate(@PathParam("date") String date, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Requests.FxRateBody.class))) String body)
            throws JsonProcessingException {
        Requests.FxRateBody b = Bodies.read(json, body, config.api().bodySizeLimitBytes(), Requests.FxRateBody.class);
        AdminCommands.FxOutcome outcome = admin.setFxRate(date, b.base(), b.quote(), b.rate(), caller.actor());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("date", outcome.rate().date().toString());
        view.put("base", outcome.rate().base());
        view.put("quote", outcome.rate().quote());
        view.put("rate", outcome.rate().rate().toPlainString());
        view.put("actor", outcome.rate().actor());
        view.put("createdAt", outcome.rate().createdAt().toString());
        return Response.status(outcome.created() ? 201 : 200).entity(view).build();
    }
}
