package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.RatingRule;
import com.revshare.ledger.domain.TierKey;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;

/**
 * The decided events of one transaction, across partners, turned into the few batched statements
 * {@link LedgerStore#write} executes: entries, usage rating states, counters, sequences.
 */
public final class WriteSet {
    /** A partner's new agreement version. */
    record VersionRow(String partnerId, AgreementVersion version) {
    }

    /** The rating state of a usage event after this transaction. */
    record UsageState(String partnerId, String eventId, String state, String reason) {
    }

    /** A write-off record. */
    record WriteOffRow(String partnerId, String eventId, String memo, String actor, java.time.Instant at) {
    }

    /** A tier counter's change. */
    record CounterKey(String partnerId, TierKey key) {
    }

    /** A period of a partner, in the balance projection. */
    record PeriodKey(String partnerId, YearMonth period) {
    }

    /** A period's change: money, event count, and closedAt when its PERIOD_CLOSED entry is posted. */
    static final class PeriodDelta {
        BigDecimal total = BigDecimal.ZERO;
        long events;
        java.time.Instant closedAt;
    }

    final List<VersionRow> versions = new ArrayList<>();
    final List<UsageEvent> newUsage = new ArrayList<>();
    final List<LedgerEntry> entries = new ArrayList<>();
    final List<UsageState> usageStates = new ArrayList<>();
    final List<WriteOffRow> writeOffs = new ArrayList<>();
    final Map<CounterKey, BigDecimal> counterDeltas = new LinkedHashMap<>();
    final Map<PeriodKey, PeriodDelta> periodDeltas = new LinkedHashMap<>();
    final Map<String, Long> lastSequence = new LinkedHashMap<>();
    final Map<String, YearMonth> lastClosed = new LinkedHashMap<>();

    /**
     * Adds one partner's decided events. {@code usageStored}: the UsageRecorded events' rows were
     * already inserted (with state RATED) to learn which events are new.
     */
    public void add(PartnerLedger before, List<LedgerEvent> events, boolean usageStored) {
        if (events.isEmpty()) {
            return;
        }
        PartnerLedger state = before.copy();
        Set<String> touched = new LinkedHashSet<>();
        Set<String> recorded = new LinkedHashSet<>();
        for (LedgerEvent event : events) {
            state.apply(event);
            if (event instanceof LedgerEvent.AgreementVersionAdded added) {
                versions.add(new VersionRow(state.partnerId(), added.version()));
            } else if (event instanceof LedgerEvent.UsageRecorded r) {
                recorded.add(r.event().eventId());
                if (!usageStored) {
                    newUsage.add(r.event());
                }
            } else if (event instanceof LedgerEvent.UsageParked p) {
                touched.add(p.eventId());
            } else if (event instanceof LedgerEvent.UsageWrittenOff w) {
                touched.add(w.eventId());
                writeOffs.add(new WriteOffRow(state.partnerId(), w.eventId(), w.memo(), w.actor(), w.at()));
            } else if (event instanceof LedgerEvent.EntryPosted posted) {
                LedgerEntry e = posted.entry();
                entries.add(e);
                if (e.kind() == EntryKind.PAYMENT) {
                    continue; // no charge: no period figure (a period with only payments has no balance row)
                }
                PeriodDelta delta = periodDeltas.computeIfAbsent(new PeriodKey(state.partnerId(), e.period()),
                        k -> new PeriodDelta());
                if (e.kind().isMoney()) {
                    delta.total = delta.total.add(e.amount());
                }
                delta.events += e.kind() == EntryKind.USAGE || e.kind() == EntryKind.LATE_USAGE ? 1
                        : e.kind() == EntryKind.REVERSAL ? -1 : 0;
                if (e.kind() == EntryKind.PERIOD_CLOSED) {
                    delta.closedAt = e.closedAt();
                }
                if (e.usageEventId() != null) {
                    touched.add(e.usageEventId());
                }
                if ((e.kind() == EntryKind.USAGE || e.kind() == EntryKind.REVERSAL) && e.agreementVersion() != null) {
                    AgreementVersion v = state.version(e.agreementVersion());
                    if (v != null && v.rule(e.ruleId()) instanceof RatingRule.Tiered t) {
                        BigDecimal basis = t.basis() == RatingRule.TierBasis.QUANTITY
                                ? BigDecimal.valueOf(e.quantity())
                                : e.settlementRevenue();
                        counterDeltas.merge(new CounterKey(state.partnerId(),
                                new TierKey(e.period(), e.agreementVersion(), e.ruleId())), basis, BigDecimal::add);
                    }
                }
                if (e.kind() == EntryKind.PERIOD_CLOSED) {
                    lastClosed.put(state.partnerId(), e.period());
                }
            }
        }
        for (String eventId : recorded) {
            if (!touched.contains(eventId) || !usageStored) {
                touched.add(eventId);
            }
        }
        for (String eventId : touched) {
            UsageRecord r = state.usage(eventId);
            if (r == null) {
                continue;
            }
            boolean defaultState = usageStored && recorded.contains(eventId)
                    && r.status() == UsageRecord.UsageStatus.RATED;
            if (!defaultState) {
                usageStates.add(new UsageState(state.partnerId(), eventId, r.status().name(),
                        r.reason() == null ? null : r.reason().name()));
            }
        }
        if (state.lastSequence() != before.lastSequence()) {
            lastSequence.put(state.partnerId(), state.lastSequence());
        }
    }

    public List<LedgerEntry> entries() {
        return entries;
    }

    public boolean isEmpty() {
        return versions.isEmpty() && newUsage.isEmpty() && entries.isEmpty() && usageStates.isEmpty()
                && writeOffs.isEmpty();
    }
}
