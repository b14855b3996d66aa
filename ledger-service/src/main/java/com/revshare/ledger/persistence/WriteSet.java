package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.LedgerChanges;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.Postings;
import com.revshare.ledger.domain.TierKey;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;

/**
 * The {@link LedgerChanges} of one transaction, across partners, as the rows of the few batched
 * statements {@link DecisionWriter#write} executes. It only maps: every figure (counter and period
 * deltas, rating states, heads) is the domain's, derived from the decided events by the fold.
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

    final List<LedgerChanges> changes = new ArrayList<>();
    final List<VersionRow> versions = new ArrayList<>();
    final List<UsageEvent> newUsage = new ArrayList<>();
    final List<LedgerEntry> entries = new ArrayList<>();
    final List<UsageState> usageStates = new ArrayList<>();
    final List<WriteOffRow> writeOffs = new ArrayList<>();
    final Map<CounterKey, BigDecimal> counterDeltas = new LinkedHashMap<>();
    final Map<PeriodKey, LedgerChanges.PeriodChange> periodDeltas = new LinkedHashMap<>();
    final Map<String, Long> lastSequence = new LinkedHashMap<>();
    final Map<String, YearMonth> lastClosed = new LinkedHashMap<>();

    /**
     * Adds one partner's changes. {@code usageStored}: the recorded events' rows were already inserted
     * (with state RATED) to learn which events are new, so only a different state is written.
     */
    public void add(LedgerChanges c, boolean usageStored) {
        if (c.isEmpty()) {
            return;
        }
        Postings.assertBalanced(c);
        changes.add(c);
        String partner = c.partnerId();
        c.versions().forEach(v -> versions.add(new VersionRow(partner, v)));
        if (!usageStored) {
            newUsage.addAll(c.recorded());
        }
        entries.addAll(c.entries());
        c.writeOffs().forEach(w -> writeOffs.add(new WriteOffRow(partner, w.eventId(), w.memo(), w.actor(), w.at())));
        java.util.Set<String> recorded = new java.util.HashSet<>();
        c.recorded().forEach(e -> recorded.add(e.eventId()));
        c.usage().forEach((eventId, r) -> {
            boolean asInserted = usageStored && recorded.contains(eventId)
                    && r.status() == UsageRecord.UsageStatus.RATED;
            if (!asInserted) {
                usageStates.add(new UsageState(partner, eventId, r.status().name(),
                        r.reason() == null ? null : r.reason().name()));
            }
        });
        c.counterDeltas().forEach((k, d) -> counterDeltas.merge(new CounterKey(partner, k), d, BigDecimal::add));
        c.periods().forEach((p, d) -> periodDeltas.merge(new PeriodKey(partner, p), d,
                (a, b) -> new LedgerChanges.PeriodChange(a.total().add(b.total()), a.events() + b.events(),
                        b.closedAt() != null ? b.closedAt() : a.closedAt())));
        if (c.sequenceChanged()) {
            lastSequence.put(partner, c.lastSequence());
        }
        if (c.lastClosed() != null) {
            lastClosed.put(partner, c.lastClosed());
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
