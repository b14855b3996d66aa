package com.revshare.ingest.domain;

/**
 * Why a record was rejected (SPEC §2.5). The declaration order is the precedence of SPEC §2.2, with
 * {@link #DUPLICATE_CONFLICT} last because it is decided by the store, after validation.
 */
public enum RejectionReason {
    PAYLOAD_TOO_LARGE,
    MALFORMED_JSON,
    MISSING_FIELD,
    UNSUPPORTED_SPECVERSION,
    UNSUPPORTED_TYPE,
    INVALID_FIELD,
    PARTNER_MISMATCH,
    UNKNOWN_PARTNER,
    FUTURE_EVENT,
    DUPLICATE_CONFLICT
}
