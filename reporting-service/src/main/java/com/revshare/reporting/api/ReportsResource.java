package com.revshare.reporting.api;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.reporting.application.ReportService;
import com.revshare.reporting.config.ReportingConfig;

import io.vertx.ext.web.RoutingContext;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

/**
 * Finance's view (SPEC §6). Roles finance and admin read everything; a partner token reads only
 * its own partner (403 for another's statement or entries; overview, summary and freshness are
 * filtered to its own rows).
 */
@Path("/api/v1/reports")
@RolesAllowed({ "finance", "admin", "partner" })
@SecurityScheme(securitySchemeName = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
@SecurityRequirement(name = "bearer")
public class ReportsResource {
    public static final String TEXT_CSV = "text/csv";
    private static final String CSV_UTF8 = "text/csv; charset=UTF-8";
    private static final MediaType JSON_UTF8 = MediaType.APPLICATION_JSON_TYPE.withCharset("UTF-8");

    @Inject
    ReportService reports;

    @Inject
    CallerResolver callers;

    @Inject
    ObjectMapper json;

    /** Largest spooled answer (issue 12.4). */
    private final long spoolMaxBytes;

    @Inject
    public ReportsResource(ReportingConfig config) {
        this.spoolMaxBytes = config.reads().spoolMaxBytes();
    }

    @GET
    @Path("periods/{period}")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Period overview: one row per partner with entries booked in the period")
    public List<ReportDtos.OverviewRowDto> overview(@PathParam("period") String period) {
        return reports.overview(callers.caller(), period).stream().map(ReportDtos.OverviewRowDto::of).toList();
    }

    @GET
    @Path("partners/{id}/statements/{period}.csv")
    @Produces({ TEXT_CSV, MediaType.WILDCARD })
    @Operation(summary = "A partner's statement for a period, as CSV")
    public Response statementCsv(@PathParam("id") String id, @PathParam("period") String period,
            @Context RoutingContext routing) throws IOException {
        return csv(routing, id, period, reports.statement(callers.caller(), id, period));
    }

    @GET
    @Path("partners/{id}/statements/{period}")
    @Produces({ MediaType.APPLICATION_JSON, TEXT_CSV })
    @Operation(summary = "A partner's statement for a period (JSON, or CSV with Accept: text/csv)")
    public Response statement(@PathParam("id") String id, @PathParam("period") String period,
            @Context HttpHeaders headers, @Context RoutingContext routing) throws IOException {
        ReportService.StatementSource statement = reports.statement(callers.caller(), id, period);
        if (prefersCsv(headers)) {
            return csv(routing, id, period, statement);
        }
        // spooled, then sent: a statement has a line per model and metric, and partners choose the models
        return Spool.ok(routing, MediaType.APPLICATION_JSON_TYPE, spoolMaxBytes, out -> {
            try (JsonGenerator g = json.getFactory().createGenerator(out)) {
                statement.read(new StatementJson(g));
            }
        }).build();
    }

    @GET
    @Path("summary")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Amount and quantity over all entries, grouped by any of partner, model, metric, period")
    public Response summary(@QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("groupBy") List<String> groupBy, @Context UriInfo uri, @Context RoutingContext routing)
            throws IOException {
        ReportService.Summary summary = reports.summary(callers.caller(), given(uri, "from", from),
                given(uri, "to", to), uri.getQueryParameters().get("groupBy"));
        // row by row into the spool: a summary grouped by every key over all periods can be very large
        return Spool.ok(routing, JSON_UTF8, spoolMaxBytes, out -> {
            try (JsonGenerator g = json.getFactory().createGenerator(out)) {
                g.writeStartArray();
                summary.rows(row -> ReportDtos.writeSummaryRow(g, row, summary.keys()));
                g.writeEndArray();
            }
        }).build();
    }

    @GET
    @Path("partners/{id}/entries")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Drill-down: a partner's ledger entries in sequence order, cursor-paged")
    public Response entries(@PathParam("id") String id, @QueryParam("period") String period,
            @QueryParam("kind") String kind, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit, @Context UriInfo uri) throws JsonProcessingException {
        ReportService.EntriesPage page = reports.entries(callers.caller(), id, given(uri, "period", period),
                given(uri, "kind", kind), given(uri, "cursor", cursor), given(uri, "limit", limit));
        StringBuilder body = new StringBuilder(64 + 700 * page.entries().size()).append("{\"entries\":[");
        for (int i = 0; i < page.entries().size(); i++) {
            if (i > 0) {
                body.append(',');
            }
            body.append(page.entries().get(i));
        }
        body.append("],\"nextCursor\":").append(json.writeValueAsString(page.nextCursor())).append('}');
        return Response.ok(body.toString(), MediaType.APPLICATION_JSON_TYPE).build();
    }

    @GET
    @Path("freshness")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Per partner: sequence and postedAt of the last applied entry")
    public List<ReportDtos.FreshnessDto> freshness() {
        return reports.freshness(callers.caller()).stream()
                .map(f -> new ReportDtos.FreshnessDto(f.partnerId(), f.sequence(), f.postedAt())).toList();
    }

    /** A parameter present with an empty value ({@code ?limit=}) is given as "" so it fails validation. */
    private static String given(UriInfo uri, String name, String value) {
        if (value == null && uri.getQueryParameters().containsKey(name)) {
            return "";
        }
        return value;
    }

    private Response csv(RoutingContext routing, String id, String period, ReportService.StatementSource statement)
            throws IOException {
        return Spool.ok(routing, MediaType.valueOf(CSV_UTF8), spoolMaxBytes, out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            statement.read(new StatementCsv(writer));
            writer.flush();
        }).header("Content-Disposition", "attachment; filename=\"statement-" + id + "-" + period + ".csv\"")
                .build();
    }

    /** CSV when the client's most preferred acceptable type is text/csv; JSON otherwise (also for *&#47;*). */
    private static boolean prefersCsv(HttpHeaders headers) {
        for (MediaType type : headers.getAcceptableMediaTypes()) {
            if (type.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !type.isWildcardType()) {
                return false;
            }
            if ("text".equalsIgnoreCase(type.getType()) && "csv".equalsIgnoreCase(type.getSubtype())) {
                return true;
            }
            if (type.isWildcardType()) {
                return false;
            }
        }
        return false;
    }

    @GET
    @Path("receivables")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Receivables as of a date (SPEC §3.8): billed, paid, outstanding, unallocated and aging "
            + "per partner with a billed period or a payment; asOf YYYY-MM-DD, default today (UTC)")
    public List<ReportDtos.ReceivableDto> receivables(@QueryParam("asOf") String asOf) {
        return reports.receivables(callers.caller(), asOf).stream().map(ReportDtos.ReceivableDto::of).toList();
    }
}
