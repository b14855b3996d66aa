package com.revshare.ledger.application;

import java.time.Instant;

/** A registered partner as the use cases show it (SPEC §5), whatever table it is stored in. */
public record Partner(String partnerId, String name, String currency, int paymentTermsDays, Instant createdAt,
        Instant updatedAt) {
}
