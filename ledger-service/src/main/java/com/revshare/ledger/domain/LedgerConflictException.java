package com.revshare.ledger.domain;

import java.util.Map;

/** A command is not allowed in the ledger's current state; maps to 409 with optional extra members. */
public class LedgerConflictException extends RuntimeException {
    private final Map<String, Object> extensions;

    public LedgerConflictException(String message) {
        this(message, Map.of());
    }

    public LedgerConflictException(String message, Map<String, Object> extensions) {
        super(message);
        this.extensions = Map.copyOf(extensions);
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
