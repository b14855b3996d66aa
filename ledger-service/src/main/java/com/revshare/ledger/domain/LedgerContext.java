package com.revshare.ledger.domain;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * What a decision may depend on besides the state: the time (no clock in the domain), the actor
 * of an admin command (null for usage), the FX rates, and the source of entry ids.
 */
public record LedgerContext(Instant now, String actor, FxRates fx, Supplier<UUID> ids) {
    public static LedgerContext of(Instant now, String actor, FxRates fx) {
        return new LedgerContext(now, actor, fx, UUID::randomUUID);
    }
}
