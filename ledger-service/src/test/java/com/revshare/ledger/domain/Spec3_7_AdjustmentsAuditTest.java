package com.revshare.ledger.domain;

import static com.revshare.ledger.domain.LedgerScenario.event;
import static com.revshare.ledger.domain.Terms.percent;
import static com.revshare.ledger.domain.Terms.usd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** SPEC §3.7: manual adjustments to open periods; entries caused by admin commands carry the actor. */
class Spec3_7_AdjustmentsAuditTest {

    private static LedgerScenario partner() {
        return LedgerScenario.partner("aws", "USD")
                .agreement(usd("2026-10-01T00:00:00Z", percent("rev", "*", "*", "0.1")));
    }

    @Test
    void aManualAdjustmentIsPostedToAnOpenPeriodWithMemoAndActor() {
        LedgerScenario s = partner().adjust("2026-10", "-12.5", "credit for outage");
        LedgerEntry e = s.lastEntries().get(0);
        assertEquals(EntryKind.MANUAL_ADJUSTMENT, e.kind());
        assertEquals("-12.50000000", e.amount().toPlainString());
        assertEquals("credit for outage", e.memo());
        assertEquals("admin", e.actor());
        assertNull(e.usageEventId());
        assertEquals(1, e.sequence());
    }

    @Test
    void anAdjustmentNeedsAnOpenPeriodAMemoAndAtMostEightFractionDigits() {
        LedgerScenario s = partner().close("2026-10");
        assertThrows(LedgerConflictException.class, () -> s.adjust("2026-10", "1", "closed"));
        assertThrows(LedgerConflictException.class, () -> s.adjust("2026-09", "1", "before the first period"));
        assertEquals("memo", assertThrows(InvalidFieldException.class, () -> s.adjust("2026-11", "1", "")).field());
        assertEquals("amount",
                assertThrows(InvalidFieldException.class, () -> s.adjust("2026-11", "1.123456789", "x")).field());
        assertEquals("amount", assertThrows(InvalidFieldException.class, () -> s.adjust("2026-11", "1e3", "x")).field());
        s.adjust("2026-11", "0.12345678", "ok");
    }

    @Test
    void usageEntriesHaveNoActorAndAdminCausedEntriesCarryIt() {
        LedgerScenario s = partner();
        s.usage(event("e", "2026-10-03T00:00:00Z", 1, "10"));
        assertNull(s.entryFor("e").actor());
        s.actor = "alice";
        s.close("2026-10");
        s.lastEntries().forEach(e -> assertEquals("alice", e.actor()));
    }

    @Test
    void sequencesAreGaplessAndIncreasingFromOne() {
        LedgerScenario s = partner();
        s.usage(event("a", "2026-10-03T00:00:00Z", 1, "10"), event("b", "2026-10-04T00:00:00Z", 1, "10"));
        s.adjust("2026-10", "1", "x").close("2026-10");
        assertEquals(java.util.stream.LongStream.rangeClosed(1, s.entries().size()).boxed().toList(),
                s.entries().stream().map(LedgerEntry::sequence).toList());
    }
}
