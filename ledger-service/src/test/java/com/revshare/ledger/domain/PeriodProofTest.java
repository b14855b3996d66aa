package com.revshare.ledger.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * SPEC §4.1 line format against a golden value computed outside Java ({@code printf '…' | sha256sum} over
 * the five lines written out by hand in the test's comment), so reporting's PeriodProof, which follows the
 * same text, must give the same hash for the same entries.
 */
class PeriodProofTest {
    private static final Instant T = Instant.parse("2026-10-01T12:00:00Z");
    private static final YearMonth OCT = YearMonth.of(2026, 10);

    private static UUID id(long n) {
        return new UUID(0, n);
    }

    @Test
    void theHashOfFiveEntriesOfEveryShapeIsTheGoldenValue() {
        // 1|00000000-0000-0000-0000-000000000001|USAGE|0.28125000|USD|aws-1|llama-3.1-70b-instruct|output_tokens|125000|1.87500000|3|rev||
        // 2|00000000-0000-0000-0000-000000000002|REVERSAL|-0.28125000|USD|aws-1|llama-3.1-70b-instruct|output_tokens|-125000|-1.87500000|3|rev|00000000-0000-0000-0000-000000000001|
        // 3|00000000-0000-0000-0000-000000000003|PAYMENT|100.00000000|USD|||||||||
        // 4|00000000-0000-0000-0000-000000000004|LATE_USAGE|1.00000000|USD|aws-2|m|requests|0||3|rev||2026-10
        // 5|00000000-0000-0000-0000-000000000005|PERIOD_CLOSED|0.00000000|USD|||||||||
        LedgerEntry usage = new LedgerEntry(id(1), "aws", 1, OCT, EntryKind.USAGE, new BigDecimal("0.28125000"), "USD",
                "aws-1", "llama-3.1-70b-instruct", "output_tokens", 125000L,
                new Revenue(new BigDecimal("1.87500000"), "USD"), null, new BigDecimal("1.87500000"), 3, "rev", null,
                null, null, null, null, T, T);
        LedgerEntry reversal = usage.reversal(id(2), 2, "admin", T);
        LedgerEntry payment = LedgerEntry.payment(id(3), "aws", 3, OCT, new BigDecimal("100.00000000"), "USD",
                "finance", T, "w-1", LocalDate.of(2026, 10, 2), "ref");
        LedgerEntry late = new LedgerEntry(id(4), "aws", 4, OCT, EntryKind.LATE_USAGE, new BigDecimal("1.00000000"),
                "USD", "aws-2", "m", "requests", 0L, null, null, null, 3, "rev", null, OCT, null, null, null, T, T);
        LedgerEntry closed = LedgerEntry.periodEntry(id(5), "aws", 5, OCT, EntryKind.PERIOD_CLOSED,
                new BigDecimal("0.00000000"), "USD", null, null, null, "admin", T, T);
        PeriodProof proof = new PeriodProof();
        for (LedgerEntry e : new LedgerEntry[] {usage, reversal, payment, late, closed}) {
            proof.add(e);
        }
        PeriodProof.Result r = proof.result();
        assertEquals("b7a234fcecb70d8d853a845251f40966814155cf478ae04dd0d58d574aaa901a", r.sha256());
        assertEquals(5, r.entryCount());
        assertEquals(1L, r.firstSequence());
        assertEquals(5L, r.lastSequence());
    }

    @Test
    void aPeriodWithoutEntriesHasTheHashOfTheEmptyText() {
        PeriodProof.Result r = new PeriodProof().result();
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", r.sha256());
        assertEquals(0, r.entryCount());
        assertNull(r.firstSequence());
        assertNull(r.lastSequence());
    }
}
