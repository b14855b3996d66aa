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

import com.revshare.ledger.application.Operations;

/** Operator views (admin): records of revshare.usage.accepted kept as unreadable, oldest first, paged. */
@Path("/api/v1/operations")
@Produces(MediaType.APPLICATION_JSON)
public class OperationsResource {
    @Inject
    Operations operations;

    @GET
    @Path("/unreadable-records")
    @RolesAllowed("admin")
    public Map<String, Object> unreadable(@QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        Operations.Page page = operations.unreadable(cursor, limit);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("records", page.records().stream().map(r -> {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("id", r.id());
            v.put("topic", r.topic());
            v.put("partition", r.partition());
            v.put("offset", r.offset());
            v.put("key", r.key());
            v.put("sizeBytes", r.sizeBytes());
            v.put("sha256", r.sha256());
            v.put("valuePrefix", r.valuePrefix());
            v.put("detail", r.detail());
            v.put("receivedAt", r.receivedAt().toString());
            return v;
        }).toList());
        view.put("nextCursor", page.nextCursor());
        return view;
    }
}
