package com.revshare.ingest;

import java.time.Instant;

import com.revshare.ingest.domain.RejectionReason;

/**
 * One record per reason code (SPEC §2.2), for a partner {@code p} that is registered and an id prefix
 * unique to the test. Kafka and HTTP tests send the same bodies.
 */
final class ReasonCases {
    private ReasonCases() {
    }

    /** The event body that must be rejected with {@code reason} when sent by {@code sender}. */
    static String body(RejectionReason reason, String p, String id, String otherRegistered, String unregistered) {
        return switch (reason) {
            case PAYLOAD_TOO_LARGE -> Events.valid(p, id).replace("\"datacontenttype\"",
                    "\"padding\":\"" + "x".repeat(70_000) + "\",\"datacontenttype\"");
            case MALFORMED_JSON -> "{\"specversion\":\"1.0\",\"id\":\"" + id + "\",";
            case MISSING_FIELD -> Events.valid(p, id).replace("\"quantity\":\"125000\",", "");
            case UNSUPPORTED_SPECVERSION -> Events.valid(p, id).replace("\"specversion\":\"1.0\"", "\"specversion\":\"0.3\"");
            case UNSUPPORTED_TYPE -> Events.valid(p, id).replace("revshare.usage.v1", "revshare.usage.v9");
            case INVALID_FIELD -> Events.valid(p, id).replace("\"quantity\":\"125000\"", "\"quantity\":1.5");
            case PARTNER_MISMATCH -> Events.valid(otherRegistered, id);
            case UNKNOWN_PARTNER -> Events.valid(unregistered, id);
            case FUTURE_EVENT -> Events.valid(p, id).replace("2026-11-01T13:00:00+01:00",
                    Instant.now().plusSeconds(3600).toString());
            case DUPLICATE_CONFLICT -> Events.valid(p, id).replace("\"quantity\":\"125000\"", "\"quantity\":\"125001\"");
        };
    }

    /** The field a MISSING_FIELD / INVALID_FIELD detail must name. */
    static String field(RejectionReason reason) {
        return switch (reason) {
            case MISSING_FIELD, INVALID_FIELD -> "data.quantity";
            default -> null;
        };
    }
}
