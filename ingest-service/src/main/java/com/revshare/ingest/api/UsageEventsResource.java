package com.revshare.ingest.api;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.logging.Logger;

import com.revshare.ingest.application.Channel;
import com.revshare.ingest.application.IncomingRecord;
import com.revshare.ingest.application.Outcome;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.application.UsageIntake;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.JsonParser;
import com.revshare.ingest.domain.JsonSyntaxException;
import com.revshare.ingest.domain.JsonValue;
import com.revshare.ingest.domain.PartnerClaim;

import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Partners' HTTP way in (SPEC §2.1, §2.4, §2.5): one CloudEvent or a batch of at most 1000, validated
 * and deduplicated exactly like the Kafka path, a batch stored in one transaction. Each event's raw
 * bytes are its exact span of the request body.
 */
@Path("/api/v1/usage-events")
public class UsageEventsResource {
    public static final String CLOUDEVENT = "application/cloudevents+json";
    public static final String CLOUDEVENT_BATCH = "application/cloudevents-batch+json";
    private static final Logger LOG = Logger.getLogger(UsageEventsResource.class);

    private final UsageIntake intake;
    private final PartnerRegistry registry;
    private final JsonWebToken token;
    private final Clock clock;
    private final int batchSizeLimit;

    public UsageEventsResource(UsageIntake intake, PartnerRegistry registry, JsonWebToken token, Clock clock,
            IngestConfig config) {
        this.intake = intake;
        this.registry = registry;
        this.token = token;
        this.clock = clock;
        this.batchSizeLimit = config.httpBatchSizeLimit();
    }

    @POST
    @RolesAllowed("partner")
    @Consumes({CLOUDEVENT, CLOUDEVENT_BATCH, MediaType.APPLICATION_JSON})
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Submit one usage event or a batch of at most 1000 (CloudEvents 1.0, structured JSON)")
    @APIResponse(responseCode = "202", description = "{accepted, duplicates, rejected: [{index, id, reason, detail}]}")
    @APIResponse(responseCode = "400", description = "not JSON, not an event or array of events, or more than 1000")
    @APIResponse(responseCode = "401", description = "no valid token")
    @APIResponse(responseCode = "403", description = "a token without role partner or without partner_id")
    @APIResponse(responseCode = "413", description = "body over 64 MiB")
    public Response submit(byte[] body) {
        String caller = callerPartnerId();
        if (!registry.isLoaded()) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "partner registry is still loading");
        }
        Instant receivedAt = clock.instant();
        List<IncomingRecord> records = split(body, PartnerClaim.caller(caller), receivedAt);
        List<Outcome> outcomes;
        try {
            outcomes = intake.process(records);
        } catch (RuntimeException e) {
            LOG.warn("usage events could not be stored or their rejections published", e);
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                    "the events could not be processed now; retrying the same request is safe");
        }
        int accepted = 0;
        int duplicates = 0;
        List<UsageEventsAnswer.RejectedEvent> rejected = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            if (o instanceof Outcome.Accepted) {
                accepted++;
            } else if (o instanceof Outcome.Duplicate) {
                duplicates++;
            } else if (o instanceof Outcome.Rejected r) {
                rejected.add(new UsageEventsAnswer.RejectedEvent(i, r.eventId(), r.reason().name(), r.detail()));
            }
        }
        return Response.accepted(new UsageEventsAnswer(accepted, duplicates, rejected))
                .type(MediaType.APPLICATION_JSON).build();
    }

    private String callerPartnerId() {
        Object claim = token.getClaim("partner_id");
        String id = claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
        if (id == null || id.isBlank()) {
            throw new ProblemException(Response.Status.FORBIDDEN, "the token carries no partner_id claim");
        }
        return id;
    }

    private List<IncomingRecord> split(byte[] body, PartnerClaim claim, Instant receivedAt) {
        JsonParser.Document document;
        try {
            document = JsonParser.parseDocument(body);
        } catch (JsonSyntaxException e) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "the body is not JSON: " + e.getMessage());
        }
        if (document.value() instanceof JsonValue.JsonObject) {
            return List.of(new IncomingRecord(body, document.value(), claim, receivedAt, Channel.HTTP));
        }
        if (!(document.value() instanceof JsonValue.JsonArray array)) {
            throw new ProblemException(Response.Status.BAD_REQUEST,
                    "the body must be an event object or an array of event objects, not " + document.value().typeName());
        }
        if (array.elements().size() > batchSizeLimit) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "the batch holds " + array.elements().size()
                    + " events, the limit is " + batchSizeLimit);
        }
        List<IncomingRecord> records = new ArrayList<>(array.elements().size());
        for (int i = 0; i < array.elements().size(); i++) {
            JsonValue element = array.elements().get(i);
            if (!(element instanceof JsonValue.JsonObject)) {
                throw new ProblemException(Response.Status.BAD_REQUEST,
                        "element " + i + " of the batch is " + element.typeName() + ", not an event object");
            }
            JsonParser.Span span = document.elementSpans().get(i);
            byte[] raw = Arrays.copyOfRange(body, span.start(), span.end());
            records.add(new IncomingRecord(raw, element, claim, receivedAt, Channel.HTTP));
        }
        return records;
    }
}
