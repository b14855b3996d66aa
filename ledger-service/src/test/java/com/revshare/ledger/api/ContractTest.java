package com.revshare.ledger.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.ContractSchemas;
import com.revshare.ledger.application.EntryJson;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.Revenue;

/** The ledger's serialised entries of every shape match docs/events/ledger-entry.v1.schema.json. */
class ContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void usageReversalAndPeriodEntriesMatchTheLedgerEntrySchema() throws Exception {
        Instant t = Instant.parse("2026-11-01T12:00:00Z");
        LedgerEntry usage = new LedgerEntry(UUID.randomUUID(), "aws", 42, YearMonth.of(2026, 11), EntryKind.USAGE,
                new BigDecimal("0.28125000"), "USD", "aws-1", "llama-3.1-70b-instruct", "output_tokens", 125000L,
                new Revenue(new BigDecimal("1.87500000"), "EUR"), new BigDecimal("1.0842"),
                new BigDecimal("2.032875000000"), 3, "rev", null, null, null, null, null, t,
                Instant.parse("2026-11-01T12:00:00.412Z"));
        LedgerEntry reversal = usage.reversal(UUID.randomUUID(), 43, "admin", t);
        LedgerEntry late = new LedgerEntry(UUID.randomUUID(), "aws", 44, YearMonth.of(2026, 12),
                EntryKind.LATE_USAGE, new BigDecimal("1.00000000"), "USD", "aws-2", "m", "requests", 0L, null, null,
                null, 3, "rev", null, YearMonth.of(2026, 11), null, null, null, t, t);
        LedgerEntry closed = LedgerEntry.periodEntry(UUID.randomUUID(), "aws", 45, YearMonth.of(2026, 11),
                EntryKind.PERIOD_CLOSED, new BigDecimal("0.00000000"), "USD", null, null, null, "admin", t, t);
        LedgerEntry manual = LedgerEntry.periodEntry(UUID.randomUUID(), "aws", 46, YearMonth.of(2026, 12),
                EntryKind.MANUAL_ADJUSTMENT, new BigDecimal("-12.50000000"), "USD", null, null, "credit", "admin",
                null, t);
        LedgerEntry payment = LedgerEntry.payment(UUID.randomUUID(), "aws", 47, YearMonth.of(2026, 12),
                new BigDecimal("1250.00000000"), "USD", "finance", t, "wire-2026-12-01.001",
                java.time.LocalDate.of(2026, 12, 1), "bank ref 42");
        for (LedgerEntry e : new LedgerEntry[] {usage, reversal, late, closed, manual, payment}) {
            ContractSchemas.assertValid("ledger-entry.v1.schema.json", JSON.writeValueAsString(EntryJson.toJson(e)));
        }
    }
}
