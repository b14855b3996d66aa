package com.revshare.ledger.api;

import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
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
import com.revshare.ledger.application.Partner;
import com.revshare.ledger.application.PartnerService;
import com.revshare.ledger.config.LedgerConfig;

/** The partner registry (SPEC §5). */
@Path("/api/v1/partners")
@Produces(MediaType.APPLICATION_JSON)
public class PartnerResource {
    @Inject
    PartnerService partners;
    @Inject
    Caller caller;
    @Inject
    ObjectMapper json;
    @Inject
    LedgerConfig config;

    @PUT
    @Path("/{id}")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    public Response putPartner(@PathParam("id") String id, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Requests.PartnerBody.class))) String body)
            throws JsonProcessingException {
        PartnerService.checkId(id);
        Requests.PartnerBody b = Bodies.read(json, body, config.api().bodySizeLimitBytes(), Requests.PartnerBody.class);
        PartnerService.Upserted result = partners.upsert(id, b.name(), b.currency(), b.paymentTermsDays(),
                caller.actor());
        return Response.status(result.created() ? 201 : 200).entity(view(result.partner())).build();
    }

    @GET
    @RolesAllowed({"admin", "finance"})
    public List<Map<String, Object>> listPartners() {
        return partners.list().stream().map(PartnerResource::view).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({"admin", "finance"})
    public Map<String, Object> getPartner(@PathParam("id") String id) {
        return view(partners.get(id));
    }

    static Map<String, Object> view(Partner p) {
        Map<String, Object> view = new java.util.LinkedHashMap<>();
        view.put("partnerId", p.partnerId());
        view.put("name", p.name());
        view.put("currency", p.currency());
        view.put("paymentTermsDays", p.paymentTermsDays());
        view.put("status", "ACTIVE");
        view.put("createdAt", p.createdAt().toString());
        view.put("updatedAt", p.updatedAt().toString());
        return view;
    }
}
