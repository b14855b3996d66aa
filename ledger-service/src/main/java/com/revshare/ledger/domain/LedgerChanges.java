package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one partner's decided events change, derived from the decider's output and the fold: the
 * state after ({@link PartnerLedger#apply}) compared with the state before. A store writes exactly
 * this — new versions, recorded usage, entries, write-offs, each touched event's rating state, the
 * tier counters' and period figures' differences, the stream head — and computes none of it again.
 *
 * @param periods per touched period: the change of its money total and event count, and its closedAt
 *        when this change closed it (null otherwise)
 * @param usage the record after the change of every usage event the events touched, in first-touch order
 * @param lastSequence the partner's last sequence after the change
 * @param lastClosed the last closed period when this change closed one, else null
 */
public record LedgerChanges(String partnerId, String currency, List<LedgerEvent> events,
        List<AgreementVersion> versions, List<UsageEvent> recorded, List<LedgerEntry> entries,
        List<LedgerEvent.UsageWrittenOff> writeOffs, Map<TierKey, BigDecimal> counterDeltas,
        Map<YearMonth, PeriodChange> periods, Map<String, UsageRecord> usage, long lastSequence,
        boolean sequenceChanged, YearMonth lastClosed) {

    /** A period's change in the balance projection. */
    public record PeriodChange(BigDecimal total, long events, Instant closedAt) {
    }

    /** The change {@code events} make to {@code before} (which is left as it was). */
    public static LedgerChanges of(PartnerLedger before, List<LedgerEvent> events) {
        PartnerLedger after = before.copy();
        List<AgreementVersion> versions = new ArrayList<>();
        List<UsageEvent> recorded = new ArrayList<>();
        List<LedgerEntry> entries = new ArrayList<>();
        List<LedgerEvent.UsageWrittenOff> writeOffs = new ArrayList<>();
        Set<String> touched = new LinkedHashSet<>();
        Set<YearMonth> periods = new LinkedHashSet<>();
        Set<TierKey> tierKeys = new LinkedHashSet<>();
        for (LedgerEvent event : events) {
            after.apply(event);
            if (event instanceof LedgerEvent.AgreementVersionAdded added) {
                versions.add(added.version());
            } else if (event instanceof LedgerEvent.UsageRecorded r) {
                recorded.add(r.event());
                touched.add(r.event().eventId());
            } else if (event instanceof LedgerEvent.UsageParked p) {
                touched.add(p.eventId());
            } else if (event instanceof LedgerEvent.UsageWrittenOff w) {
                touched.add(w.eventId());
                writeOffs.add(w);
            } else if (event instanceof LedgerEvent.EntryPosted posted) {
                LedgerEntry e = posted.entry();
                entries.add(e);
                if (e.kind() == EntryKind.PAYMENT) {
                    continue; // no charge: no period figure (a period with only payments has no balance row)
                }
                periods.add(e.period());
                if (e.usageEventId() != null) {
                    touched.add(e.usageEventId());
                }
                if (e.agreementVersion() != null) {
                    tierKeys.add(new TierKey(e.period(), e.agreementVersion(), e.ruleId()));
                }
            }
        }
        Map<TierKey, BigDecimal> counterDeltas = new LinkedHashMap<>();
        for (TierKey key : tierKeys) {
            if (after.hasCounter(key)) {
                counterDeltas.put(key, after.counter(key).subtract(before.counter(key)));
            }
        }
        Map<YearMonth, PeriodChange> periodChanges = new LinkedHashMap<>();
        for (YearMonth p : periods) {
            Instant closed = after.closedAt(p);
            periodChanges.put(p, new PeriodChange(after.periodTotal(p).subtract(before.periodTotal(p)),
                    after.eventCount(p) - before.eventCount(p),
                    Objects.equals(closed, before.closedAt(p)) ? null : closed));
        }
        Map<String, UsageRecord> usage = new LinkedHashMap<>();
        for (String eventId : touched) {
            UsageRecord r = after.usage(eventId);
            if (r != null) {
                usage.put(eventId, r);
            }
        }
        return new LedgerChanges(before.partnerId(), before.currency(), List.copyOf(events), versions, recorded,
                entries, writeOffs, counterDeltas, periodChanges, usage, after.lastSequence(),
                after.lastSequence() != before.lastSequence(),
                Objects.equals(after.lastClosed(), before.lastClosed()) ? null : after.lastClosed());
    }

    public boolean isEmpty() {
        return events.isEmpty();
    }
}
