package com.revshare.ingest.api;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

import com.revshare.ingest.application.PartnerCounts;
import com.revshare.ingest.application.PartnerControls;
import com.revshare.ingest.application.PartnerIntake;
import com.revshare.ingest.application.StoredRejection;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.Reconciliation;
import com.revshare.ingest.domain.RejectionReason;
import com.revshare.ingest.domain.Rfc3339;
import com.revshare.ingest.domain.Totals;

import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonString;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * A partner's intake (SPEC §2.7): its counts, its rejections (a partner sending over Kafka has no other way
 * to learn what was rejected and why), and, for operators, the re-publication of its accepted events from
 * an ingest sequence to heal a gap downstream. Reads: roles finance and admin, or the partner itself.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public class PartnerIntakeResource {
    private static final String CURSOR_PREFIX = "rej:";
    private static final Set<String> STAFF = Set.of("admin", "finance");

    private final PartnerIntake intake;
    private final PartnerControls controls;
    private final int controlsLimit;
    private final JsonWebToken token;
    private final int pageSizeDefault;
    private final int pageSizeLimit;

    public PartnerIntakeResource(PartnerIntake intake, PartnerControls controls, JsonWebToken token,
            IngestConfig config) {
        this.intake = intake;
        this.controls = controls;
        this.controlsLimit = config.controlsListLimit();
        this.token = token;
        this.pageSizeDefault = config.rejectionPageSizeDefault();
        this.pageSizeLimit = config.rejectionPageSizeLimit();
    }

    /** The intake answer: counts since the partner's first record. */
    public record IntakeAnswer(String partnerId, long accepted, long duplicates, long rejected, long controls,
            long lastIngestSequence) {
    }

    /** One listed rejection. */
    public record RejectionItem(String receivedAt, String reason, String detail, String eventId, long size,
            String sha256, String channel) {
    }

    public record RejectionsPage(List<RejectionItem> rejections, String nextCursor) {
    }

    /** What a republish will re-publish. */
    public record RepublishAnswer(String partnerId, long fromSequence, long toSequence, long events,
            long publishedSequenceBefore) {
    }

    @GET
    @Path("/partners/{id}/intake")
    @RolesAllowed({"admin", "finance", "partner"})
    @Operation(summary = "A partner's intake counts and last ingest sequence (SPEC §2.7)")
    @APIResponse(responseCode = "200", description = "{partnerId, accepted, duplicates, rejected, controls, lastIngestSequence}")
    @APIResponse(responseCode = "403", description = "a partner token of another partner")
    @APIResponse(responseCode = "404", description = "unknown partner")
    public IntakeAnswer intake(@PathParam("id") String partnerId) throws SQLException {
        authorise(partnerId);
        PartnerCounts c = intake.counts(partnerId).orElseThrow(() -> unknown(partnerId));
        return new IntakeAnswer(partnerId, c.lastIngestSequence(), c.duplicates(), c.rejected(), c.controls(),
                c.lastIngestSequence());
    }

    @GET
    @Path("/partners/{id}/rejections")
    @RolesAllowed({"admin", "finance", "partner"})
    @Operation(summary = "A partner's rejected records, oldest first (SPEC §2.7)")
    @APIResponse(responseCode = "200", description = "{rejections: [{receivedAt, reason, detail, eventId, size, sha256, channel}], nextCursor}")
    @APIResponse(responseCode = "400", description = "a parameter is invalid (named in the detail)")
    @APIResponse(responseCode = "403", description = "a partner token of another partner")
    @APIResponse(responseCode = "404", description = "unknown partner")
    public RejectionsPage rejections(@PathParam("id") String partnerId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("reason") String reason, @QueryParam("cursor") String cursor,
            @QueryParam("limit") String limit) throws SQLException {
        authorise(partnerId);
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        String reasonCode = reason(reason);
        long after = cursor(cursor);
        int pageSize = limit(limit);
        if (!intake.isKnown(partnerId)) {
            throw unknown(partnerId);
        }
        List<StoredRejection> rows = intake.rejections(partnerId, after, fromInstant, toInstant, reasonCode,
                pageSize + 1);
        boolean more = rows.size() > pageSize;
        List<StoredRejection> page = more ? rows.subList(0, pageSize) : rows;
        List<RejectionItem> items = page.stream().map(r -> new RejectionItem(r.receivedAt().toString(), r.reason(),
                r.detail(), r.eventId(), r.size(), r.sha256(), r.channel().tag())).toList();
        String next = more ? encodeCursor(page.get(page.size() - 1).claimSequence()) : null;
        return new RejectionsPage(items, next);
    }

    /** Totals of a control answer: eventCount a JSON integer, quantities and revenue as decimal strings. */
    public record TotalsItem(long eventCount, Map<String, String> quantities, Map<String, String> revenue) {
        static TotalsItem of(Totals t) {
            Map<String, String> q = new LinkedHashMap<>();
            for (String metric : Totals.METRICS) {
                q.put(metric, t.quantities().get(metric).toString());
            }
            Map<String, String> r = new LinkedHashMap<>();
            t.revenue().forEach((currency, amount) -> r.put(currency, amount.setScale(8).toPlainString()));
            return new TotalsItem(t.eventCount(), q, r);
        }
    }

    /** One control with what ingest received in its window (SPEC §2.6). */
    public record ControlItem(String controlId, String from, String to, String reportedAt, String status,
            TotalsItem reported, TotalsItem received, TotalsItem difference) {
        static ControlItem of(Reconciliation r) {
            return new ControlItem(r.control().eventId(), r.control().from().toString(), r.control().to().toString(),
                    r.control().time().toString(), r.status().name(), TotalsItem.of(r.reported()),
                    TotalsItem.of(r.received()), TotalsItem.of(r.difference()));
        }
    }

    @GET
    @Path("/partners/{id}/controls")
    @RolesAllowed({"admin", "finance", "partner"})
    @Operation(summary = "A partner's control totals checked live against the usage events ingest accepted (SPEC §2.6)")
    @APIResponse(responseCode = "200", description = "[{controlId, from, to, reportedAt, status, reported, received, difference}] "
            + "ordered by window start, then controlId")
    @APIResponse(responseCode = "400", description = "from or to is not an RFC 3339 instant, or from is not before to")
    @APIResponse(responseCode = "403", description = "a partner token of another partner")
    @APIResponse(responseCode = "404", description = "unknown partner")
    public List<ControlItem> controls(@PathParam("id") String partnerId, @QueryParam("from") String from,
            @QueryParam("to") String to) throws SQLException {
        authorise(partnerId);
        Instant fromInstant = instant("from", from);
        Instant toInstant = instant("to", to);
        if (fromInstant != null && toInstant != null && !fromInstant.isBefore(toInstant)) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "to must be after from");
        }
        if (!intake.isKnown(partnerId)) {
            throw unknown(partnerId);
        }
        List<Reconciliation> found = controls.controls(partnerId, fromInstant, toInstant, controlsLimit + 1);
        if (found.size() > controlsLimit) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "more than " + controlsLimit
                    + " controls overlap the window: narrow from and to");
        }
        return found.stream().map(ControlItem::of).toList();
    }

    @POST
    @Path("/admin/partners/{id}/republish")
    @RolesAllowed("admin")
    @Operation(summary = "Re-publish a partner's accepted events from an ingest sequence (heals a gap downstream; "
            + "consumers dedupe, so re-delivery is harmless)")
    @APIResponse(responseCode = "202", description = "{partnerId, fromSequence, toSequence, events, publishedSequenceBefore}")
    @APIResponse(responseCode = "400", description = "fromSequence missing or not a positive integer")
    @APIResponse(responseCode = "404", description = "unknown partner")
    public Response republish(@PathParam("id") String partnerId, @QueryParam("fromSequence") String fromSequence) {
        long from;
        try {
            from = fromSequence == null ? -1 : Long.parseLong(fromSequence.trim());
        } catch (NumberFormatException e) {
            from = -1;
        }
        if (from < 1) {
            throw new ProblemException(Response.Status.BAD_REQUEST,
                    "fromSequence must be a positive integer (the first ingestSequence to publish again)");
        }
        PartnerIntake.Republication r = intake.republish(partnerId, from).orElseThrow(() -> unknown(partnerId));
        return Response.accepted(new RepublishAnswer(r.partnerId(), r.fromSequence(), r.toSequence(), r.events(),
                r.publishedSequenceBefore())).type(MediaType.APPLICATION_JSON).build();
    }

    private void authorise(String partnerId) {
        if (token.getGroups() != null && token.getGroups().stream().anyMatch(STAFF::contains)) {
            return;
        }
        Object claim = token.getClaim("partner_id");
        String own = claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
        if (own == null || !own.equals(partnerId)) {
            throw new ProblemException(Response.Status.FORBIDDEN, "a partner token sees only its own partner");
        }
    }

    private static ProblemException unknown(String partnerId) {
        return new ProblemException(Response.Status.NOT_FOUND, "unknown partner " + abbreviate(partnerId));
    }

    private static Instant instant(String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        Instant parsed = Rfc3339.parse(value);
        if (parsed == null) {
            throw new ProblemException(Response.Status.BAD_REQUEST,
                    name + " must be an RFC 3339 instant, e.g. 2026-11-01T00:00:00Z");
        }
        return parsed;
    }

    private static String reason(String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return RejectionReason.valueOf(value).name();
        } catch (IllegalArgumentException e) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "reason must be one of the reason codes of "
                    + "SPEC §2.5, e.g. INVALID_FIELD");
        }
    }

    private int limit(String value) {
        if (value == null || value.isEmpty()) {
            return pageSizeDefault;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 1 && n <= pageSizeLimit) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(Response.Status.BAD_REQUEST,
                "limit must be an integer from 1 to " + pageSizeLimit);
    }

    private static String encodeCursor(long claimSequence) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + claimSequence).getBytes(StandardCharsets.UTF_8));
    }

    private static long cursor(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            String text = new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
            if (text.startsWith(CURSOR_PREFIX)) {
                long n = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (n >= 0) {
                    return n;
                }
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ProblemException(Response.Status.BAD_REQUEST, "cursor is not a cursor this API returned");
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() > 64 ? printable.substring(0, 64) + "..." : printable;
    }
}
