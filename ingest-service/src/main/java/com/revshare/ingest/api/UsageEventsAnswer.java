package com.revshare.ingest.api;

import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The 202 answer of POST /api/v1/usage-events (SPEC §2.5). */
public record UsageEventsAnswer(int accepted, int duplicates, List<RejectedEvent> rejected) {

    /** A rejected event: its position in the batch (0 for a single event) and its id when one could be read. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RejectedEvent(int index, String id, String reason, String detail) {
    }
}
