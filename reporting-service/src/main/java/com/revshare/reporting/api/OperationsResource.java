package com.revshare.reporting.api;

import java.time.Instant;
import java.util.List;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

import com.revshare.reporting.application.ApiProblem;
import com.revshare.reporting.application.HeldRecords;
import com.revshare.reporting.application.HeldRecordRepository.HeldRow;

import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

/**
 * Records reporting read but cannot apply (issue 10): held, never dropped. Admin only: a held
 * record's bytes may belong to any partner. {@code status}: HELD (counts in
 * {@code revshare_reporting_held_records} and the readiness detail), RESOLVED (a readable copy of
 * the same partner sequence was applied later), ACKNOWLEDGED (an operator dealt with it).
 */
@Path("/api/v1/operations/held-records")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("admin")
@SecurityRequirement(name = "bearer")
public class OperationsResource {
    @Inject
    HeldRecords held;

    @Inject
    SecurityIdentity identity;

    /** A held record; {@code raw} only in the answer for one record. */
    public record HeldRecordDto(long id, String reason, String status, String topic, int partition, long offset,
            String key, String partnerId, Long sequence, String error, Integer size, Instant heldAt,
            Instant acknowledgedAt, String acknowledgedBy, String memo, String raw) {
        static HeldRecordDto of(HeldRow r) {
            return new HeldRecordDto(r.id(), r.reason(), r.status(), r.topic(), r.partition(), r.offset(), r.key(),
                    r.partnerId(), r.sequence(), r.error(), r.rawSize(), r.heldAt(), r.acknowledgedAt(),
                    r.acknowledgedBy(), r.acknowledgeMemo(), r.raw());
        }
    }

    public record PageDto(List<HeldRecordDto> records, String nextCursor) {
    }

    public record AcknowledgeDto(String memo) {
    }

    @GET
    @Operation(summary = "Records reporting holds because it cannot apply them, oldest first "
            + "(filters: partnerId, status HELD|RESOLVED|ACKNOWLEDGED; cursor, limit ≤ 1000)")
    public PageDto list(@QueryParam("partnerId") String partnerId, @QueryParam("status") String status,
            @QueryParam("cursor") String cursor, @QueryParam("limit") String limit) {
        HeldRecords.Page page = held.list(partnerId, status, cursor, limit);
        return new PageDto(page.records().stream().map(HeldRecordDto::of).toList(), page.nextCursor());
    }

    @GET
    @Path("{id}")
    @Operation(summary = "One held record with its kept bytes (raw: UTF-8 text, or 'base64:' and the bytes)")
    public HeldRecordDto get(@PathParam("id") String id) {
        return HeldRecordDto.of(held.get(id(id)));
    }

    @POST
    @Path("{id}/acknowledge")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Acknowledge a held record ({\"memo\"} required: what was done); it stays listed "
            + "as ACKNOWLEDGED and no longer counts as held. A repeat keeps the first acknowledgement.")
    public HeldRecordDto acknowledge(@PathParam("id") String id, AcknowledgeDto body) {
        return HeldRecordDto.of(held.acknowledge(id(id), identity.getPrincipal().getName(),
                body == null ? null : body.memo()));
    }

    private static long id(String text) {
        try {
            long id = Long.parseLong(text);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiProblem.badParameter("id", "must be a held record id");
    }
}
