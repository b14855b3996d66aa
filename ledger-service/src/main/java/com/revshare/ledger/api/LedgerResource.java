package com.revshare.ledger.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.revshare.ledger.application.AgreementJson;
import com.revshare.ledger.application.EntryJson;
import com.revshare.ledger.application.AdminCommands;
import com.revshare.ledger.application.LedgerQueries;
import com.revshare.ledger.application.PartnerService;
import com.revshare.ledger.application.PeriodProofs;
import com.revshare.ledger.application.PeriodResult;
import com.revshare.ledger.application.UnprocessableEvents;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.Periods;
import com.revshare.ledger.domain.UsageRecord;

/** A partner's agreements, periods, adjustments, unrated events and balance (SPEC §5). */
@Path("/api/v1/partners/{id}")
@Produces(MediaType.APPLICATION_JSON)
public class LedgerResource {
    @Inject
    AdminCommands admin;
    @Inject
    LedgerQueries queries;
    @Inject
    PartnerService partners;
    @Inject
    Caller caller;
    @Inject
    ObjectMapper json;
    @Inject
    LedgerConfig config;
    @Inject
    UnprocessableEvents unprocessable;
    @Inject
    PeriodProofs proofs;

    @POST
    @Path("/agreements")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    public Response addAgreement(@PathParam("id") String id,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Requests.AgreementBody.class))) String body) throws JsonProcessingException {
        partners.get(id);
        Requests.AgreementBody terms = Bodies.read(json, body, config.api().bodySizeLimitBytes(),
                Requests.AgreementBody.class);
        AgreementVersion v = admin.addAgreement(id, terms.draft(), caller.actor());
        return Response.status(201).entity(AgreementJson.toJson(id, v)).build();
    }

    @GET
    @Path("/agreements")
    @RolesAllowed({"admin", "finance"})
    public ArrayNode agreements(@PathParam("id") String id) {
        ArrayNode list = json.createArrayNode();
        queries.agreements(id).forEach(v -> list.add(AgreementJson.toJson(id, v)));
        return list;
    }

    @POST
    @Path("/periods/{period}/close")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    public Map<String, Object> close(@PathParam("id") String id, @PathParam("period") String period,
            @QueryParam("force") @DefaultValue("false") boolean force) {
        partners.get(id);
        return view(admin.close(id, period, force, caller.actor()));
    }

    @POST
    @Path("/adjustments")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    public Response adjust(@PathParam("id") String id, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Requests.AdjustmentBody.class))) String body)
            throws JsonProcessingException {
        partners.get(id);
        Requests.AdjustmentBody b = Bodies.read(json, body, config.api().bodySizeLimitBytes(),
                Requests.AdjustmentBody.class);
        var entry = admin.adjust(id, b.period(), b.amount(), b.memo(), caller.actor());
        return Response.status(201).entity(EntryJson.toJson(entry)).build();
    }

    @GET
    @Path("/unrated")
    @RolesAllowed({"admin", "finance"})
    public List<Map<String, Object>> unrated(@PathParam("id") String id) {
        int limit = config.api().pageSizeLimit();
        List<Map<String, Object>> rows = new java.util.ArrayList<>(
                queries.unrated(id, limit).stream().map(LedgerResource::view).toList());
        if (rows.size() < limit) {
            rows.addAll(unprocessable.views(id, limit - rows.size()));
        }
        return rows;
    }

    @POST
    @Path("/unrated/retry")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed("admin")
    public Map<String, Object> retry(@PathParam("id") String id) {
        partners.get(id);
        UnprocessableEvents.RetryOutcome o = unprocessable.retry(id, caller.actor());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("retried", o.retried());
        view.put("booked", o.booked());
        view.put("stillUnprocessable", o.stillUnprocessable());
        return view;
    }

    @POST
    @Path("/unrated/{eventId}/write-off")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({"admin", "finance"})
    public Map<String, Object> writeOff(@PathParam("id") String id, @PathParam("eventId") String eventId,
            @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Requests.WriteOffBody.class))) String body) throws JsonProcessingException {
        partners.get(id);
        Requests.WriteOffBody b = Bodies.read(json, body, config.api().bodySizeLimitBytes(), Requests.WriteOffBody.class);
        LedgerEvent.UsageWrittenOff off = admin.writeOff(id, eventId, b.memo(), caller.actor());
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("partnerId", id);
        view.put("eventId", off.eventId());
        view.put("status", "WRITTEN_OFF");
        view.put("memo", off.memo());
        view.put("actor", off.actor());
        view.put("writtenOffAt", off.at().toString());
        return view;
    }

    @GET
    @Path("/balance")
    @RolesAllowed({"admin", "finance"})
    public Map<String, Object> balance(@PathParam("id") String id) {
        LedgerQueries.Balance b = queries.balance(id);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("partnerId", b.partnerId());
        view.put("currency", b.currency());
        view.put("receivable", b.receivable().toPlainString());
        view.put("lastSequence", b.lastSequence());
        view.put("ingestSequence", b.ingestSequence());
        view.put("unratedCount", b.unratedCount());
        view.put("periods", b.periods().stream().map(p -> {
            Map<String, Object> pv = new LinkedHashMap<>();
            pv.put("period", p.period().toString());
            pv.put("status", p.status());
            pv.put("total", p.total().toPlainString());
            pv.put("amountDue", p.amountDue().toPlainString());
            pv.put("eventCount", p.eventCount());
            pv.put("closedAt", p.closedAt() == null ? null : p.closedAt().toString());
            return pv;
        }).toList());
        return view;
    }

    @POST
    @Path("/payments")
    @Consumes(MediaType.WILDCARD)
    @RolesAllowed({"admin", "finance"})
    public Response recordPayment(@PathParam("id") String id, @RequestBody(content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Requests.PaymentBody.class))) String body)
            throws JsonProcessingException {
        partners.get(id);
        Requests.PaymentBody b = Bodies.read(json, body, config.api().bodySizeLimitBytes(), Requests.PaymentBody.class);
        var command = new com.revshare.ledger.domain.LedgerCommand.RecordPayment(b.paymentId(), b.amount(),
                b.currency(), b.receivedOn(), b.reference());
        AdminCommands.PaymentOutcome outcome = admin.recordPayment(id, command, caller.actor());
        return Response.status(outcome.created() ? 201 : 200).entity(EntryJson.toJson(outcome.entry())).build();
    }

    @GET
    @Path("/payments")
    @RolesAllowed({"admin", "finance"})
    public ArrayNode payments(@PathParam("id") String id) {
        ArrayNode list = json.createArrayNode();
        queries.payments(id, config.api().pageSizeLimit()).forEach(e -> list.add(EntryJson.toJson(e)));
        return list;
    }

    @GET
    @Path("/periods/{period}/proof")
    @RolesAllowed({"admin", "finance"})
    public Map<String, Object> proof(@PathParam("id") String id, @PathParam("period") String period) {
        PeriodProofs.Proof p = proofs.proof(id, Periods.parse(period, "period"));
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("partnerId", id);
        view.put("period", p.period().toString());
        view.put("status", p.status());
        view.put("entryCount", p.entryCount());
        view.put("firstSequence", p.firstSequence());
        view.put("lastSequence", p.lastSequence());
        view.put("sha256", p.sha256());
        view.put("replayMatches", p.replayMatches());
        return view;
    }

    static Map<String, Object> view(PeriodResult p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("partnerId", p.partnerId());
        view.put("period", p.period().toString());
        view.put("status", p.status());
        view.put("currency", p.currency());
        view.put("total", p.total().toPlainString());
        view.put("amountDue", p.amountDue().toPlainString());
        view.put("eventCount", p.eventCount());
        view.put("closedAt", p.closedAt() == null ? null : p.closedAt().toString());
        return view;
    }

    static Map<String, Object> view(UsageRecord r) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("eventId", r.event().eventId());
        view.put("time", r.event().time().toString());
        view.put("reason", r.reason() == null ? null : r.reason().name());
        view.put("model", r.event().model());
        view.put("metric", r.event().metric());
        view.put("quantity", r.event().quantity());
        view.put("detail", null);
        return view;
    }
}
