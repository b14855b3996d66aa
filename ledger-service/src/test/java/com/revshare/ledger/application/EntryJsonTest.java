package com.revshare.ledger.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.ContractSchemas;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerEntry;

/** SPEC §4 v2: a charge debits partners/{id}/receivable and credits revenue/{id}/share; PERIOD_CLOSED names no account. */
class EntryJsonTest {
    private static final Instant AT = Instant.parse("2026-12-01T00:00:00Z");

    @Test
    void aChargeDebitsTheReceivableAndCreditsTheShareAndPaymentFieldsAreNull() {
        ObjectNode json = EntryJson.toJson(LedgerEntry.periodEntry(UUID.randomUUID(), "aws", 7, YearMonth.of(2026, 11),
                EntryKind.MANUAL_ADJUSTMENT, new BigDecimal("-1.50000000"), "USD", null, null, "credit note", "admin",
                null, AT));
        ContractSchemas.assertValid("ledger-entry.v1.schema.json", json.toString());
        assertEquals("partners/aws/receivable", json.get("debitAccount").asText());
        assertEquals("revenue/aws/share", json.get("creditAccount").asText());
        assertTrue(json.get("paymentId").isNull() && json.get("receivedOn").isNull() && json.get("reference").isNull());
    }

    @Test
    void periodClosedHasNoAccounts() {
        ObjectNode json = EntryJson.toJson(LedgerEntry.periodEntry(UUID.randomUUID(), "aws", 8, YearMonth.of(2026, 11),
                EntryKind.PERIOD_CLOSED, new BigDecimal("0.00000000"), "USD", null, null, null, "admin", AT, AT));
        ContractSchemas.assertValid("ledger-entry.v1.schema.json", json.toString());
        assertTrue(json.get("debitAccount").isNull() && json.get("creditAccount").isNull());
    }
}
