package com.revshare.ledger.domain;

import java.math.BigDecimal;

/** A revenue amount as the partner reported it: exact decimal and its ISO 4217 currency. */
public record Revenue(BigDecimal amount, String currency) {
    public Revenue negate() {
        return new Revenue(amount.negate(), currency);
    }
}
