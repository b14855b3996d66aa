package com.revshare.ledger.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/**
 * What a store writes is derived from the decider's events by the fold ({@link LedgerChanges}), and
 * {@link Postings#assertBalanced} refuses a change whose postings disagree with the balance figures
 * written with it: fed broken changes, it fails.
 */
class LedgerChangesTest {
    private static final YearMonth OCT = YearMonth.of(2026, 10);
    private final AtomicLong ids = new AtomicLong();

    private LedgerContext ctx() {
        return new LedgerContext(Instant.parse("2026-11-05T00:00:00Z"), "admin", FxRates.NONE,
                () -> new UUID(0, ids.incrementAndGet()));
    }

    private static UsageEvent usage(String id, String time, long quantity) {
        return new UsageEvent("acme", id, Instant.parse(time), "m", "requests", quantity, null, null);
    }

    /** A partner with a graduated QUANTITY tier: 0.10 per unit up to 100, then 0.05. */
    private PartnerLedger tieredPartner() {
        PartnerLedger state = new PartnerLedger("acme", "USD");
        LedgerDecider.handle(new LedgerCommand.AddAgreementVersion(Terms.usd("2026-10-01T00:00:00Z",
                Terms.tiered("t", "*", "*", "QUANTITY", "GRADUATED", Terms.qty(100L, "0.10", 1),
                        Terms.qty(null, "0.05", 1)))), state, ctx());
        return state;
    }

    @Test
    void theChangesAreTheFoldsDifferenceBetweenBeforeAndAfter() {
        // given
        PartnerLedger before = tieredPartner();
        // when
        List<LedgerEvent> events = LedgerDecider.decide(new LedgerCommand.RecordUsage(List.of(
                usage("a", "2026-10-02T00:00:00Z", 60), usage("b", "2026-10-03T00:00:00Z", 60))), before, ctx());
        LedgerChanges changes = LedgerChanges.of(before, events);
        // then: 60 × 0.10 + (40 × 0.10 + 20 × 0.05) = 11
        LedgerChanges.PeriodChange oct = changes.periods().get(OCT);
        assertEquals(0, oct.total().compareTo(new BigDecimal("11")), oct.toString());
        assertEquals(2, oct.events());
        assertEquals(0, changes.counterDeltas().get(new TierKey(OCT, 1, "t")).compareTo(new BigDecimal("120")));
        assertEquals(UsageRecord.UsageStatus.RATED, changes.usage().get("a").status());
        assertEquals(2, changes.lastSequence());
        assertTrue(changes.sequenceChanged());
        assertEquals(0, before.lastSequence(), "the state before is left as it was");
        Postings.assertBalanced(changes);
    }

    @Test
    void closingRecordsTheClosedPeriodAndItsCloseTime() {
        // given
        PartnerLedger state = tieredPartner();
        LedgerDecider.handle(new LedgerCommand.RecordUsage(List.of(usage("a", "2026-10-02T00:00:00Z", 10))), state,
                ctx());
        // when
        LedgerChanges changes = LedgerChanges.of(state, LedgerDecider.decide(
                new LedgerCommand.ClosePeriod(OCT, false), state, ctx()));
        // then
        assertEquals(OCT, changes.lastClosed());
        assertEquals(Instant.parse("2026-11-05T00:00:00Z"), changes.periods().get(OCT).closedAt());
        Postings.assertBalanced(changes);
    }

    @Test
    void aChargeThatTheBalanceFiguresDoNotShowIsRefused() {
        LedgerChanges good = decidedUsage();
        Map<YearMonth, LedgerChanges.PeriodChange> wrong = new LinkedHashMap<>();
        good.periods().forEach((p, d) -> wrong.put(p, new LedgerChanges.PeriodChange(d.total().add(
                new BigDecimal("0.00000001")), d.events(), d.closedAt())));
        LedgerChanges broken = new LedgerChanges(good.partnerId(), good.currency(), good.events(), good.versions(),
                good.recorded(), good.entries(), good.writeOffs(), good.counterDeltas(), wrong, good.usage(),
                good.lastSequence(), good.sequenceChanged(), good.lastClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Postings.assertBalanced(broken));
        assertTrue(e.getMessage().contains("receivable of acme"), e.getMessage());
    }

    @Test
    void anEntryInAnotherCurrencyOrOfAnotherPartnerIsRefused() {
        LedgerChanges good = decidedUsage();
        LedgerEntry e = good.entries().get(0);
        LedgerEntry inEur = withCurrencyAndPartner(e, "EUR", e.partnerId());
        LedgerEntry ofOther = withCurrencyAndPartner(e, e.currency(), "other");
        for (LedgerEntry bad : List.of(inEur, ofOther)) {
            List<LedgerEntry> entries = new ArrayList<>(good.entries());
            entries.set(0, bad);
            LedgerChanges broken = new LedgerChanges(good.partnerId(), good.currency(), good.events(),
                    good.versions(), good.recorded(), entries, good.writeOffs(), good.counterDeltas(), good.periods(),
                    good.usage(), good.lastSequence(), good.sequenceChanged(), good.lastClosed());
            assertThrows(IllegalStateException.class, () -> Postings.assertBalanced(broken), bad.toString());
        }
    }

    @Test
    void anEntryMissingFromTheChangeIsRefused() {
        LedgerChanges good = decidedUsage();
        LedgerChanges broken = new LedgerChanges(good.partnerId(), good.currency(), good.events(), good.versions(),
                good.recorded(), good.entries().subList(1, good.entries().size()), good.writeOffs(),
                good.counterDeltas(), good.periods(), good.usage(), good.lastSequence(), good.sequenceChanged(),
                good.lastClosed());
        assertThrows(IllegalStateException.class, () -> Postings.assertBalanced(broken));
    }

    private LedgerChanges decidedUsage() {
        PartnerLedger before = tieredPartner();
        LedgerChanges good = LedgerChanges.of(before, LedgerDecider.decide(new LedgerCommand.RecordUsage(List.of(
                usage("a", "2026-10-02T00:00:00Z", 60), usage("b", "2026-10-03T00:00:00Z", 60))), before, ctx()));
        Postings.assertBalanced(good);
        return good;
    }

    private static LedgerEntry withCurrencyAndPartner(LedgerEntry e, String currency, String partnerId) {
        return new LedgerEntry(e.entryId(), partnerId, e.sequence(), e.period(), e.kind(), e.amount(), currency,
                e.usageEventId(), e.model(), e.metric(), e.quantity(), e.revenue(), e.fxRate(), e.settlementRevenue(),
                e.agreementVersion(), e.ruleId(), e.reversesEntryId(), e.originalPeriod(), e.memo(), e.actor(),
                e.closedAt(), e.eventTime(), e.postedAt(), e.paymentId(), e.receivedOn(), e.reference());
    }
}
