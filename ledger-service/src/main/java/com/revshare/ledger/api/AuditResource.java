package com.revshare.ledger.api;

import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AuditTrail;

/** The audit trail (SPEC §3.9, §5): {@code {"records": [...], "nextCursor"}}, oldest first. */
@Path("/api/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {
    @Inject
    AuditTrail trail;
    @Inject
    ObjectMapper json;

    @GET
    @RolesAllowed({"admin", "finance"})
    public Map<String, Object> audit(@QueryParam("partnerId") String partnerId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("action") String action, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws JsonProcessingException {
        AuditTrail.Page page = trail.page(partnerId, from, to, action, cursor, limit);
        java.util.List<Map<String, Object>> records = new java.util.ArrayList<>();
        for (AuditTrail.Record r : page.records()) {
            Map<String, Object> view = new LinkedHashMap<>();
            view.put("at", r.at().toString());
            view.put("actor", r.actor());
            view.put("action", r.action());
            view.put("partnerId", r.partnerId());
            view.put("subject", r.subject());
            view.put("memo", r.memo());
            view.put("before", r.before() == null ? null : json.readTree(r.before()));
            view.put("after", r.after() == null ? null : json.readTree(r.after()));
            records.add(view);
        }
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("records", records);
        view.put("nextCursor", page.nextCursor());
        return view;
    }
}
