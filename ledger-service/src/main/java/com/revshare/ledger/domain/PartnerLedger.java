package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A partner's ledger state, the fold of its {@link LedgerEvent}s ({@link #apply} is "evolve").
 * A store may load only the parts a command reads (e.g. the tier counters of the months a batch
 * touches, the parked events); everything here can be rebuilt from the stored events.
 */
public final class PartnerLedger {
    private final String partnerId;
    private final String currency;
    private final List<AgreementVersion> versions;
    private YearMonth lastClosed;
    private long lastSequence;
    private final Map<TierKey, BigDecimal> counters;
    private final Map<TierKey, BigDecimal> tierSums;
    private final Map<YearMonth, BigDecimal> periodTotals;
    private final Map<YearMonth, Long> eventCounts;
    private final Map<YearMonth, Instant> closedAt;
    private final Map<YearMonth, Long> unratedCounts;
    private final Map<String, UsageRecord> usage;
    private final Map<String, LedgerEntry> payments;

    public PartnerLedger(String partnerId, String currency) {
        this(partnerId, currency, new ArrayList<>(), null, 0, new HashMap<>(), new HashMap<>(), new HashMap<>(),
                new HashMap<>(), new HashMap<>(), new HashMap<>(), new LinkedHashMap<>(), new HashMap<>());
    }

    private PartnerLedger(String partnerId, String currency, List<AgreementVersion> versions, YearMonth lastClosed,
            long lastSequence, Map<TierKey, BigDecimal> counters, Map<TierKey, BigDecimal> tierSums,
            Map<YearMonth, BigDecimal> periodTotals, Map<YearMonth, Long> eventCounts,
            Map<YearMonth, Instant> closedAt, Map<YearMonth, Long> unratedCounts, Map<String, UsageRecord> usage,
            Map<String, LedgerEntry> payments) {
        this.payments = payments;
        this.partnerId = partnerId;
        this.currency = currency;
        this.versions = versions;
        this.lastClosed = lastClosed;
        this.lastSequence = lastSequence;
        this.counters = counters;
        this.tierSums = tierSums;
        this.periodTotals = periodTotals;
        this.eventCounts = eventCounts;
        this.closedAt = closedAt;
        this.unratedCounts = unratedCounts;
        this.usage = usage;
    }

    /** An independent copy (the decider works on one, so a rejected command leaves no trace). */
    public PartnerLedger copy() {
        return new PartnerLedger(partnerId, currency, new ArrayList<>(versions), lastClosed, lastSequence,
                new HashMap<>(counters), new HashMap<>(tierSums), new HashMap<>(periodTotals),
                new HashMap<>(eventCounts), new HashMap<>(closedAt), new HashMap<>(unratedCounts),
                new LinkedHashMap<>(usage), new HashMap<>(payments));
    }

    /**
     * A copy without usage records: what a store presents to the decider for a command that loads no usage
     * (the replay of SPEC §4.1 builds each command's state like the store does).
     */
    public PartnerLedger copyWithoutUsage() {
        return new PartnerLedger(partnerId, currency, new ArrayList<>(versions), lastClosed, lastSequence,
                new HashMap<>(counters), new HashMap<>(tierSums), new HashMap<>(periodTotals),
                new HashMap<>(eventCounts), new HashMap<>(closedAt), new HashMap<>(unratedCounts),
                new LinkedHashMap<>(), new HashMap<>(payments));
    }

    /**
     * Forgets what no later command can read: usage records of CLOSED periods that are rated or written off
     * (re-rating touches OPEN periods only; a late event is a new event). Tier counters stay: a late event is
     * priced at its original period's final basis. Keeps a long replay's memory to the usage of the open
     * periods and the parked events.
     */
    public void forgetClosed() {
        usage.values().removeIf(r -> r.status() != UsageRecord.UsageStatus.UNRATED
                && (r.current() == null ? isClosed(r.event().period()) : isClosed(r.current().period())));
    }

    // ---- loading a snapshot (stores) ----

    public PartnerLedger withSnapshot(List<AgreementVersion> loadedVersions, YearMonth loadedLastClosed,
            long loadedLastSequence) {
        versions.clear();
        versions.addAll(loadedVersions);
        versions.sort(Comparator.comparingInt(AgreementVersion::version));
        lastClosed = loadedLastClosed;
        lastSequence = loadedLastSequence;
        return this;
    }

    public void loadCounter(TierKey key, BigDecimal basis) {
        counters.put(key, basis);
    }

    public void loadTierSum(TierKey key, BigDecimal sum) {
        tierSums.put(key, sum);
    }

    public void loadPeriod(YearMonth period, BigDecimal total, long events, Instant closed) {
        periodTotals.put(period, total);
        eventCounts.put(period, events);
        if (closed != null) {
            closedAt.put(period, closed);
        }
    }

    /** Loads a usage record (its status is already counted in any loaded unrated count). */
    public void loadUsage(UsageRecord record) {
        usage.put(record.event().eventId(), record);
    }

    /** Loads a recorded payment (what an idempotent repeat of its paymentId is compared with). */
    public void loadPayment(LedgerEntry payment) {
        payments.put(payment.paymentId(), payment);
    }

    /** Loads how many events of the period are UNRATED (a store's figure; the fold keeps it up to date). */
    public void loadUnratedCount(YearMonth period, long count) {
        unratedCounts.put(period, count);
    }

    // ---- evolve ----

    /** Folds one event into the state. */
    public PartnerLedger apply(LedgerEvent event) {
        if (event instanceof LedgerEvent.AgreementVersionAdded added) {
            versions.add(added.version());
        } else if (event instanceof LedgerEvent.UsageRecorded recorded) {
            usage.put(recorded.event().eventId(),
                    new UsageRecord(recorded.event(), UsageRecord.UsageStatus.UNRATED, null, null));
            unratedCounts.merge(recorded.event().period(), 1L, Long::sum);
        } else if (event instanceof LedgerEvent.UsageParked parked) {
            UsageRecord r = usage.get(parked.eventId());
            usage.put(parked.eventId(),
                    new UsageRecord(r.event(), UsageRecord.UsageStatus.UNRATED, parked.reason(), null));
        } else if (event instanceof LedgerEvent.UsageWrittenOff off) {
            UsageRecord r = usage.get(off.eventId());
            usage.put(off.eventId(), new UsageRecord(r.event(), UsageRecord.UsageStatus.WRITTEN_OFF, r.reason(), null));
            unratedCounts.merge(r.event().period(), -1L, Long::sum);
        } else if (event instanceof LedgerEvent.EntryPosted posted) {
            applyEntry(posted.entry());
        }
        return this;
    }

    private void applyEntry(LedgerEntry e) {
        if (e.sequence() != lastSequence + 1) {
            throw new IllegalStateException("sequence gap: " + e.sequence() + " after " + lastSequence);
        }
        lastSequence = e.sequence();
        if (e.kind() == EntryKind.PAYMENT) {
            payments.put(e.paymentId(), e); // no charge: no period total, count or tier basis
            return;
        }
        if (e.kind() == EntryKind.PERIOD_CLOSED) {
            lastClosed = e.period();
            closedAt.put(e.period(), e.closedAt());
            return;
        }
        periodTotals.merge(e.period(), e.amount(), BigDecimal::add);
        switch (e.kind()) {
            case USAGE, LATE_USAGE -> {
                eventCounts.merge(e.period(), 1L, Long::sum);
                UsageRecord r = usage.get(e.usageEventId());
                UsageEvent ev = r != null ? r.event() : eventOf(e);
                if (r != null && r.status() == UsageRecord.UsageStatus.UNRATED) {
                    unratedCounts.merge(ev.period(), -1L, Long::sum);
                }
                usage.put(e.usageEventId(), new UsageRecord(ev, UsageRecord.UsageStatus.RATED, null, e));
            }
            case REVERSAL -> {
                eventCounts.merge(e.period(), -1L, Long::sum);
                UsageRecord r = usage.get(e.usageEventId());
                if (r != null && r.current() != null && r.current().entryId().equals(e.reversesEntryId())) {
                    usage.put(e.usageEventId(), new UsageRecord(r.event(), UsageRecord.UsageStatus.UNRATED,
                            null, null));
                    unratedCounts.merge(r.event().period(), 1L, Long::sum);
                }
            }
            default -> {
            }
        }
        if ((e.kind() == EntryKind.USAGE || e.kind() == EntryKind.REVERSAL) && e.agreementVersion() != null) {
            TierKey key = new TierKey(e.period(), e.agreementVersion(), e.ruleId());
            tierSums.merge(key, e.amount(), BigDecimal::add);
            AgreementVersion v = version(e.agreementVersion());
            RatingRule rule = v == null ? null : v.rule(e.ruleId());
            if (rule instanceof RatingRule.Tiered tiered) {
                BigDecimal basis = tiered.basis() == RatingRule.TierBasis.QUANTITY
                        ? BigDecimal.valueOf(e.quantity())
                        : e.settlementRevenue();
                counters.merge(key, basis, BigDecimal::add);
            }
        }
    }

    private UsageEvent eventOf(LedgerEntry e) {
        return new UsageEvent(partnerId, e.usageEventId(), e.eventTime(), e.model(), e.metric(), e.quantity(),
                e.revenue(), null);
    }

    // ---- queries ----

    public String partnerId() {
        return partnerId;
    }

    public String currency() {
        return currency;
    }

    public List<AgreementVersion> versions() {
        return List.copyOf(versions);
    }

    public AgreementVersion version(int number) {
        return number >= 1 && number <= versions.size() && versions.get(number - 1).version() == number
                ? versions.get(number - 1)
                : versions.stream().filter(v -> v.version() == number).findFirst().orElse(null);
    }

    /** The version in effect at {@code time}: the highest-numbered version covering it, or null. */
    public AgreementVersion governingAt(Instant time) {
        AgreementVersion governing = null;
        for (AgreementVersion v : versions) {
            if (v.covers(time) && (governing == null || v.version() > governing.version())) {
                governing = v;
            }
        }
        return governing;
    }

    /** The version governing a period's end (SPEC §3.5 step 2), or null. */
    public AgreementVersion governingAtEnd(YearMonth period) {
        Instant end = Periods.end(period);
        AgreementVersion governing = null;
        for (AgreementVersion v : versions) {
            if (v.governsEnd(end) && (governing == null || v.version() > governing.version())) {
                governing = v;
            }
        }
        return governing;
    }

    /** The month of the earliest version's effectiveFrom, or null without versions. */
    public YearMonth firstPeriod() {
        return versions.stream().map(v -> Periods.of(v.effectiveFrom())).min(Comparator.naturalOrder()).orElse(null);
    }

    public YearMonth lastClosed() {
        return lastClosed;
    }

    public boolean isClosed(YearMonth period) {
        return status(period) == PeriodStatus.CLOSED;
    }

    public PeriodStatus status(YearMonth period) {
        return PeriodStatus.of(period, lastClosed);
    }

    /** The earliest OPEN period: the one after the last closed, or the first period. */
    public YearMonth earliestOpen() {
        return lastClosed != null ? lastClosed.plusMonths(1) : firstPeriod();
    }

    public long lastSequence() {
        return lastSequence;
    }

    public BigDecimal counter(TierKey key) {
        return counters.getOrDefault(key, BigDecimal.ZERO);
    }

    /** True when the state holds a counter for the key (loaded, or kept by a tiered entry). */
    public boolean hasCounter(TierKey key) {
        return counters.containsKey(key);
    }

    public Map<TierKey, BigDecimal> counters() {
        return Map.copyOf(counters);
    }

    public Map<TierKey, BigDecimal> tierSums() {
        return Map.copyOf(tierSums);
    }

    public BigDecimal periodTotal(YearMonth period) {
        return periodTotals.getOrDefault(period, BigDecimal.ZERO);
    }

    public Map<YearMonth, BigDecimal> periodTotals() {
        return Map.copyOf(periodTotals);
    }

    public long eventCount(YearMonth period) {
        return eventCounts.getOrDefault(period, 0L);
    }

    /** How many usage events whose time lies in the period are UNRATED (parked, not written off). */
    public long unratedCount(YearMonth period) {
        return unratedCounts.getOrDefault(period, 0L);
    }

    public Instant closedAt(YearMonth period) {
        return closedAt.get(period);
    }

    /** The recorded payment with that id, or null. */
    public LedgerEntry payment(String paymentId) {
        return payments.get(paymentId);
    }

    public UsageRecord usage(String eventId) {
        return usage.get(eventId);
    }

    public List<UsageRecord> usage() {
        return List.copyOf(usage.values());
    }
}
