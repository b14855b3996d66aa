package com.revshare.ingest.domain;

/**
 * The input is not one well-formed JSON text in strict UTF-8 (SPEC §2.2 {@code MALFORMED_JSON}). The message
 * says why and at which byte.
 */
public final class UnreadableRecordException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnreadableRecordException(String message) {
        super(message, null, false, false);
    }
}
