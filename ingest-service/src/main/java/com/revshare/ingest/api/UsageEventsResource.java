package com.revshare.ingest.api;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.eclipse.microprofile.config.inject.ConfigProperty;
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
import com.revshare.ingest.domain.PartnerClaim;
import com.revshare.ingest.domain.RecordReader;
import com.revshare.ingest.domain.UnreadableRecordException;

import io.quarkus.runtime.configuration.MemorySize;
import jakarta.annotation.security.RolesAllowed;
import jakarta.json.JsonString;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * Partners' HTTP way in (SPEC §2.1, §2.4, §2.5): one CloudEvent or a batch of at most 1000, validated
 * and deduplicated exactly like the Kafka path, a batch stored in one transaction. Each event's raw
 * bytes are its exact span of the request body. Bodies are read into one array of their declared size,
 * within the {@link BodyBudget} shared by all requests, and the batch is outlined rather than kept as a
 * parsed tree, so a large body is held about twice at most (body, then its events and the database batch).
 */
@Path("/api/v1/usage-events")
public class UsageEventsResource {
    public static final String CLOUDEVENT = "application/cloudevents+json";
    public static final String CLOUDEVENT_BATCH = "application/cloudevents-batch+json";
    private static final Logger LOG = Logger.getLogger(UsageEventsResource.class);
    private static final int READ_BLOCK_BYTES = 1 << 20;

    private final UsageIntake intake;
    private final PartnerRegistry registry;
    private final JsonWebToken token;
    private final Clock clock;
    private final BodyBudget budget;
    private final RecordReader reader;
    private final int batchSizeLimit;
    private final long maxBodyBytes;

    public UsageEventsResource(UsageIntake intake, PartnerRegistry registry, JsonWebToken token, Clock clock,
            IngestConfig config, BodyBudget budget, RecordReader reader,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        this.intake = intake;
        this.registry = registry;
        this.token = token;
        this.clock = clock;
        this.budget = budget;
        this.reader = reader;
        this.batchSizeLimit = config.httpBatchSizeLimit();
        this.maxBodyBytes = Math.min(Integer.MAX_VALUE - 8, maxBodySize.asLongValue());
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
    @APIResponse(responseCode = "503", description = "not ready yet, too many large bodies at once, or storage failed: retry")
    public Response submit(InputStream body, @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength) {
        String caller = callerPartnerId();
        if (!registry.isLoaded()) {
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "partner registry is still loading");
        }
        long declared = declaredLength(contentLength);
        // a declared body reserves its length at once, an undeclared (chunked) one block by block as it is read
        try (BodyBudget.Reservation room = budget.reserve(Math.max(0, declared))) {
            if (room == null) {
                throw noRoom();
            }
            Instant receivedAt = clock.instant();
            // the body is referenced only until it is split, so its memory can go while the events are stored
            List<IncomingRecord> records = split(read(body, declared, room), PartnerClaim.caller(caller),
                    receivedAt);
            return Response.accepted(answer(process(records))).type(MediaType.APPLICATION_JSON).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE, "interrupted; retry");
        }
    }

    private List<Outcome> process(List<IncomingRecord> records) {
        try {
            return intake.process(records);
        } catch (RuntimeException e) {
            LOG.warn("usage events could not be stored or their rejections published", e);
            throw new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                    "the events could not be processed now; retrying the same request is safe");
        }
    }

    private static UsageEventsAnswer answer(List<Outcome> outcomes) {
        int accepted = 0;
        int duplicates = 0;
        List<UsageEventsAnswer.RejectedEvent> rejected = new ArrayList<>();
        for (int i = 0; i < outcomes.size(); i++) {
            Outcome o = outcomes.get(i);
            if (o instanceof Outcome.Accepted || o instanceof Outcome.AcceptedControl) {
                accepted++;
            } else if (o instanceof Outcome.Duplicate) {
                duplicates++;
            } else if (o instanceof Outcome.Rejected r) {
                rejected.add(new UsageEventsAnswer.RejectedEvent(i, r.eventId(), r.reason().name(), r.detail()));
            }
        }
        return new UsageEventsAnswer(accepted, duplicates, rejected);
    }

    /**
     * Reads the body into one array of its declared size (no growing copies); an undeclared (chunked) body
     * is read in blocks up to the body size limit.
     */
    private byte[] read(InputStream in, long declared, BodyBudget.Reservation room) throws InterruptedException {
        try {
            if (declared > maxBodyBytes) {
                throw tooLarge();
            }
            if (declared >= 0) {
                byte[] bytes = new byte[(int) declared];
                int n = in.readNBytes(bytes, 0, bytes.length);
                if (n < bytes.length) {
                    throw new ProblemException(Response.Status.BAD_REQUEST,
                            "the body ended after " + n + " of its " + declared + " declared bytes");
                }
                return bytes;
            }
            List<byte[]> blocks = new ArrayList<>();
            long total = 0;
            while (true) {
                if (!room.grow(READ_BLOCK_BYTES)) {
                    throw noRoom();
                }
                byte[] block = in.readNBytes(READ_BLOCK_BYTES);
                if (block.length == 0) {
                    break;
                }
                total += block.length;
                if (total > maxBodyBytes) {
                    throw tooLarge();
                }
                blocks.add(block);
            }
            byte[] bytes = new byte[(int) total];
            int at = 0;
            for (byte[] block : blocks) {
                System.arraycopy(block, 0, bytes, at, block.length);
                at += block.length;
            }
            return bytes;
        } catch (IOException e) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "the body could not be read");
        }
    }

    private static ProblemException noRoom() {
        return new ProblemException(Response.Status.SERVICE_UNAVAILABLE,
                "too many large request bodies are being processed; retry shortly");
    }

    private ProblemException tooLarge() {
        return new ProblemException(Response.Status.REQUEST_ENTITY_TOO_LARGE,
                "the body is larger than " + maxBodyBytes + " bytes");
    }

    private static long declaredLength(String header) {
        if (header == null || header.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
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
        RecordReader.Outline outline;
        try {
            outline = reader.outline(body);
        } catch (UnreadableRecordException e) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "the body is not JSON: " + e.getMessage());
        }
        if (outline.typeName().equals("object")) {
            return List.of(new IncomingRecord(body, claim, receivedAt, Channel.HTTP));
        }
        if (!outline.typeName().equals("array")) {
            throw new ProblemException(Response.Status.BAD_REQUEST,
                    "the body must be an event object or an array of event objects, not " + outline.typeName());
        }
        List<RecordReader.Span> spans = outline.elementSpans();
        if (spans.size() > batchSizeLimit) {
            throw new ProblemException(Response.Status.BAD_REQUEST, "the batch holds " + spans.size()
                    + " events, the limit is " + batchSizeLimit);
        }
        List<IncomingRecord> records = new ArrayList<>(spans.size());
        for (int i = 0; i < spans.size(); i++) {
            RecordReader.Span span = spans.get(i);
            if (!span.typeName().equals("object")) {
                throw new ProblemException(Response.Status.BAD_REQUEST,
                        "element " + i + " of the batch is " + span.typeName() + ", not an event object");
            }
            records.add(new IncomingRecord(Arrays.copyOfRange(body, span.start(), span.end()), claim, receivedAt,
                    Channel.HTTP));
        }
        return records;
    }
}
