package com.revshare.ledger.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.ContractSchemas;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.Revenue;

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
    void theRelaysTextIsTheTreeSerialisedForEveryShapeOfEntry() throws Exception {
        // given an entry of every shape, nulls and a nested revenue included
        Instant t = Instant.parse("2026-11-01T12:00:00.123456789Z");
        LedgerEntry usage = new LedgerEntry(UUID.randomUUID(), "aws", 42, YearMonth.of(2026, 11), EntryKind.USAGE,
                new BigDecimal("0.28125000"), "USD", "aws-1 \"quoted\" \\", "llama-3.1-70b-instruct",
                "output_tokens", 125000L, new Revenue(new BigDecimal("1.87500000"), "EUR"), new BigDecimal("1.0842"),
                new BigDecimal("2.032875000000"), 3, "rev", null, null, null, null, null, t, AT);
        LedgerEntry reversal = usage.reversal(UUID.randomUUID(), 43, "admin", AT);
        LedgerEntry late = new LedgerEntry(UUID.randomUUID(), "aws", 44, YearMonth.of(2026, 12), EntryKind.LATE_USAGE,
                new BigDecimal("1E-8"), "USD", "aws-2", "m", "requests", 0L, null, null, null, 3, "rev", null,
                YearMonth.of(2026, 11), null, null, null, t, AT);
        LedgerEntry closed = LedgerEntry.periodEntry(UUID.randomUUID(), "aws", 45, YearMonth.of(2026, 11),
                EntryKind.PERIOD_CLOSED, new BigDecimal("0.00000000"), "USD", null, null, null, "admin", AT, AT);
        LedgerEntry payment = LedgerEntry.payment(UUID.randomUUID(), "aws", 47, YearMonth.of(2026, 12),
                new BigDecimal("1250.00000000"), "USD", "finance", AT, "wire-1", java.time.LocalDate.of(2026, 12, 1),
                "line\nbreak \u00e9 \ud83d\ude00");
        for (LedgerEntry e : new LedgerEntry[] {usage, reversal, late, closed, payment}) {
            // when the relay writes it
            String text = EntryJson.text(e);
            // then it is exactly what the tree serialises to, and valid against the contract
            assertEquals(new ObjectMapper().writeValueAsString(EntryJson.toJson(e)), text);
            ContractSchemas.assertValid("ledger-entry.v1.schema.json", text);
        }
    }

    @Test
    void periodClosedHasNoAccounts() {
        ObjectNode json = EntryJson.toJson(LedgerEntry.periodEntry(UUID.randomUUID(), "aws", 8, YearMonth.of(2026, 11),
                EntryKind.PERIOD_CLOSED, new BigDecimal("0.00000000"), "USD", null, null, null, "admin", AT, AT));
        ContractSchemas.assertValid("ledger-entry.v1.schema.json", json.toString());
        assertTrue(json.get("debitAccount").isNull() && json.get("creditAccount").isNull());
    }
}
