package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.AgreementDraft;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.Bounds;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.FxRate;
import com.revshare.ledger.domain.FxRates;
import com.revshare.ledger.domain.InvalidFieldException;
import com.revshare.ledger.domain.LedgerCommand;
import com.revshare.ledger.domain.LedgerConflictException;
import com.revshare.ledger.domain.LedgerChanges;
import com.revshare.ledger.domain.LedgerContext;
import com.revshare.ledger.domain.LedgerDecider;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.Money;
import com.revshare.ledger.domain.NotFoundException;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.PeriodStatus;
import com.revshare.ledger.domain.Periods;
import com.revshare.ledger.domain.RatingRule;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;
import com.revshare.ledger.persistence.LedgerStore;
import com.revshare.ledger.persistence.UnprocessableStore;
import com.revshare.ledger.persistence.LedgerStore.FxKey;
import com.revshare.ledger.persistence.LedgerStore.PeriodFigures;
import com.revshare.ledger.persistence.LedgerStore.StreamHead;
import com.revshare.ledger.persistence.WriteSet;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ledger's use cases: each loads the partner state a command needs under the partner's row
 * lock, asks the {@link LedgerDecider}, and writes the decided events in the same transaction;
 * the outbox relay is woken after the commit.
 */
@ApplicationScoped
public class LedgerService {
    @Inject
    Transactions tx;
    @Inject
    LedgerStore store;
    @Inject
    LedgerClock clock;
    @Inject
    OutboxSignal outbox;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry metrics;
    @Inject
    com.revshare.ledger.config.LedgerConfig config;
    @Inject
    UnprocessableStore unprocessable;
    @Inject
    IngestCompleteness completeness;
    @Inject
    com.revshare.ledger.persistence.AuditStore audit;

    /** What a usage batch did; {@code unprocessable} counts the events newly parked as UNPROCESSABLE. */
    public record BatchOutcome(int received, int fresh, int duplicates, int entries, int parked, int unprocessable,
            List<com.revshare.ledger.persistence.IngestWatermarkStore.Watermark> watermarks) {
        public BatchOutcome(int received, int fresh, int duplicates, int entries, int parked) {
            this(received, fresh, duplicates, entries, parked, 0, List.of());
        }
    }

    /** A closed (or already closed) period's figures. */
    public record PeriodResult(String partnerId, YearMonth period, String status, String currency, BigDecimal total,
            BigDecimal amountDue, long eventCount, Instant closedAt) {
    }

    /** The balance of SPEC §5. */
    public record Balance(String partnerId, String currency, BigDecimal receivable, long lastSequence,
            long ingestSequence, long unratedCount, List<PeriodResult> periods) {
    }

    /** An FX rate as set: by whom and when. */
    public record FxRateSet(LocalDate date, String base, String quote, BigDecimal rate, String actor,
            Instant createdAt) {
        static FxRateSet of(LedgerStore.FxRow row) {
            return new FxRateSet(row.date(), row.base(), row.quote(), row.rate(), row.actor(), row.createdAt());
        }
    }

    /** The answer to an FX rate PUT. */
    public record FxOutcome(FxRateSet rate, boolean created) {
    }

    // ---- usage (hot path) ----

    /** Rates a batch of accepted events in one transaction: a handful of statements whatever its size. */
    public BatchOutcome recordUsage(List<UsageEvent> events) {
        return recordBatch(events.stream().map(e -> new AcceptedRecord.Usable(e, null)).toList(), List.of());
    }

    /**
     * Stores a batch in one transaction: the usable events rated (or parked with a rating reason), the
     * unprocessable ones parked as UNPROCESSABLE (SPEC §3.6); duplicates of stored events are dropped by
     * the unique key, whatever the stored event's state.
     */
    public BatchOutcome recordBatch(List<AcceptedRecord.Usable> usable, List<AcceptedRecord.Unprocessable> unusable) {
        if (usable.isEmpty() && unusable.isEmpty()) {
            return new BatchOutcome(0, 0, 0, 0, 0);
        }
        BatchOutcome outcome = tx.inNew(c -> recordBatch(c, usable, unusable, clock.now()));
        count("revshare_ledger_usage_events_total", "outcome", "duplicate", outcome.duplicates());
        count("revshare_ledger_usage_events_total", "outcome", "rated",
                outcome.fresh() - outcome.parked() - outcome.unprocessable());
        count("revshare_ledger_usage_events_total", "outcome", "parked", outcome.parked());
        count("revshare_ledger_usage_events_total", "outcome", "unprocessable", outcome.unprocessable());
        if (outcome.entries() > 0) {
            outbox.committed();
        }
        completeness.publish(outcome.watermarks());
        return outcome;
    }

    /** {@link #recordBatch(List, List)} on the caller's transaction (also what a retry of UNPROCESSABLE runs). */
    BatchOutcome recordBatch(Connection c, List<AcceptedRecord.Usable> usable,
            List<AcceptedRecord.Unprocessable> unusable, Instant now) throws SQLException {
        List<UsageEvent> events = usable.stream().map(AcceptedRecord.Usable::event).toList();
        int received = usable.size() + unusable.size();
        Set<String> partnerIds = new TreeSet<>();
        events.forEach(e -> partnerIds.add(e.partnerId()));
        unusable.forEach(e -> partnerIds.add(e.partnerId()));
        // under the partners' locks, so that a close counting unrated events sees every parked one
        Map<String, StreamHead> heads = store.lock(c, partnerIds);
        List<UnprocessableStore.Parking> parkedNow = unusable.isEmpty() ? List.of()
                : unprocessable.park(c, unusable.stream().map(u -> new UnprocessableStore.Parking(u.partnerId(),
                        u.eventId(), u.ingestSequence(), u.time(), u.raw(), u.detail())).toList(), now);
        List<UsageEvent> fresh = store.insertNewUsage(c, events,
                usable.stream().map(AcceptedRecord.Usable::ingestSequence).toList(), now);
        int newlyStored = fresh.size() + parkedNow.size();
        var watermarks = completeness.advance(c, storedSequences(usable, fresh, parkedNow));
        if (fresh.isEmpty()) {
            return new BatchOutcome(received, newlyStored, received - newlyStored, 0, 0, parkedNow.size(),
                    watermarks);
        }
        Map<String, List<UsageEvent>> byPartner = new TreeMap<>();
        fresh.forEach(e -> byPartner.computeIfAbsent(e.partnerId(), k -> new ArrayList<>()).add(e));
        Map<String, List<AgreementVersion>> versions = store.versions(c,
                byPartner.keySet().stream().filter(heads::containsKey).toList());
        Map<String, PartnerLedger> states = new LinkedHashMap<>();
        Map<String, Set<YearMonth>> counterPeriods = new HashMap<>();
        Set<FxKey> fxKeys = new LinkedHashSet<>();
        for (var partner : byPartner.entrySet()) {
            StreamHead head = heads.get(partner.getKey());
            List<AgreementVersion> vs = versions.getOrDefault(partner.getKey(), List.of());
            PartnerLedger state = head == null ? new PartnerLedger(partner.getKey(), null)
                    : new PartnerLedger(partner.getKey(), head.currency()).withSnapshot(vs, head.lastClosed(),
                            head.lastSequence());
            states.put(partner.getKey(), state);
            boolean tiered = vs.stream().anyMatch(v -> v.rules().stream()
                    .anyMatch(r -> r instanceof RatingRule.Tiered));
            for (UsageEvent e : partner.getValue()) {
                if (tiered) {
                    counterPeriods.computeIfAbsent(partner.getKey(), k -> new TreeSet<>()).add(e.period());
                }
                if (head != null && e.revenue() != null && !e.revenue().currency().equals(head.currency())) {
                    fxKeys.add(new FxKey(e.utcDate(), e.revenue().currency(), head.currency()));
                }
            }
        }
        store.loadCounters(c, states, counterPeriods);
        Map<FxKey, BigDecimal> rates = store.fxRates(c, fxKeys);
        LedgerContext ctx = new LedgerContext(now, null,
                (date, base, quote) -> rates.get(new FxKey(date, base, quote)), UUID::randomUUID);
        WriteSet writes = new WriteSet();
        int parked = 0;
        for (var partner : byPartner.entrySet()) {
            PartnerLedger state = states.get(partner.getKey());
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.RecordUsage(partner.getValue()),
                    state, ctx);
            parked += (int) decided.stream().filter(e -> e instanceof LedgerEvent.UsageParked).count();
            writes.add(LedgerChanges.of(state, decided), true);
        }
        store.write(c, writes);
        return new BatchOutcome(received, newlyStored, received - newlyStored, writes.entries().size(),
                parked, parkedNow.size(), watermarks);
    }

    /** The ingest sequences of the events this transaction stored, per partner. */
    private static Map<String, List<Long>> storedSequences(List<AcceptedRecord.Usable> usable, List<UsageEvent> fresh,
            List<UnprocessableStore.Parking> parked) {
        Map<String, List<Long>> stored = new HashMap<>();
        if (!fresh.isEmpty()) {
            Map<String, Long> byId = new HashMap<>();
            for (AcceptedRecord.Usable u : usable) {
                if (u.ingestSequence() != null) {
                    byId.putIfAbsent(u.event().partnerId() + "\u0000" + u.event().eventId(), u.ingestSequence());
                }
            }
            for (UsageEvent e : fresh) {
                Long seq = byId.get(e.partnerId() + "\u0000" + e.eventId());
                if (seq != null) {
                    stored.computeIfAbsent(e.partnerId(), k -> new ArrayList<>()).add(seq);
                }
            }
        }
        for (UnprocessableStore.Parking p : parked) {
            if (p.ingestSequence() != null) {
                stored.computeIfAbsent(p.partnerId(), k -> new ArrayList<>()).add(p.ingestSequence());
            }
        }
        return stored;
    }

    /** Wakes the outbox relay (after a commit outside this class that appended entries). */
    public void relayWake() {
        outbox.committed();
    }

    private void count(String name, String tag, String value, long amount) {
        if (amount > 0) {
            Counter.builder(name).tag(tag, value).register(metrics).increment(amount);
        }
    }

    /** True when the database answers a trivial query (tells a poison event from an outage). */
    public boolean databaseAnswers() {
        try {
            return tx.inNew(c -> {
                try (var s = c.createStatement()) {
                    s.execute("select 1");
                }
                return true;
            });
        } catch (RuntimeException e) {
            return false;
        }
    }

    // ---- agreements ----

    /**
     * Adds the version in one transaction together with a pending rating request; then re-rates what
     * it now governs and rates what it un-parks, in chunked transactions (bounded memory and
     * transaction time however much usage the version covers), before answering.
     */
    public AgreementVersion addAgreement(String partnerId, AgreementDraft draft, String actor) {
        AgreementVersion added = tx.inNew(c -> {
            StreamHead head = lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = adminState(c, head);
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.AddAgreementVersion(draft), state,
                    adminContext(c, now, actor));
            AgreementVersion v = ((LedgerEvent.AgreementVersionAdded) decided.get(0)).version();
            write(c, state, decided, "AGREEMENT", Map.of("version", v.version()), now);
            store.requestRating(c, partnerId, true, actor, now);
            audit.record(c, now, actor, "AGREEMENT_ADDED", partnerId, Integer.toString(v.version()), null, null,
                    Jsons.write(json, AgreementJson.toJson(partnerId, v)));
            return v;
        });
        outbox.committed();
        completePending(partnerId, actor);
        return added;
    }

    public List<AgreementVersion> agreements(String partnerId) {
        return tx.inNew(c -> {
            requirePartner(c, partnerId);
            return store.versions(c, List.of(partnerId)).getOrDefault(partnerId, List.of());
        });
    }

    // ---- FX rates ----

    public FxOutcome setFxRate(String dateText, String base, String quote, String rateText, String actor) {
        FxRate requested = FxRate.parse(dateText, base, quote, rateText);
        LocalDate date = requested.date();
        BigDecimal rate = requested.rate();
        List<String> waiting = new ArrayList<>();
        FxOutcome outcome = tx.inNew(c -> {
            Instant now = clock.now();
            FxKey key = new FxKey(date, base, quote);
            LedgerStore.FxRow row = new LedgerStore.FxRow(date, base, quote, rate, actor, now);
            // wait for batches that may have read "no rate" and not committed yet, and keep new ones out
            store.lockSettlingIn(c, quote);
            if (!store.insertFxRate(c, row)) {
                LedgerStore.FxRow existing = store.fxRate(c, key).orElseThrow();
                requested.reconcile(new FxRate(existing.date(), existing.base(), existing.quote(), existing.rate()));
                return new FxOutcome(FxRateSet.of(existing), false);
            }
            audit.record(c, now, actor, "FX_RATE_SET", null, date + " " + base + "/" + quote, null, null,
                    Jsons.write(json, Map.of("date", date.toString(), "base", base, "quote", quote, "rate",
                            rate.toPlainString())));
            // the rate may complete parked events: recorded as pending with the rate, rated after the commit
            for (String partnerId : store.partnersWaitingForRate(c, date, base, quote)) {
                store.requestRating(c, partnerId, false, actor, now);
                waiting.add(partnerId);
            }
            return new FxOutcome(FxRateSet.of(row), true);
        });
        for (String partnerId : waiting) {
            completePending(partnerId, actor);
        }
        return outcome;
    }

    // ---- pending rating and re-rating ----

    /**
     * Completes the partner's pending work (SPEC §3.5 "completes any rating or re-rating still
     * pending"): when a version was added, re-rates the open-period entries it governs now; then
     * rates every parked event the current terms and rates can rate. Each chunk of
     * {@code rating.chunk-size} events is its own transaction under the partner's lock, in the
     * decider's order (re-rating by sequence, then parked events by time and id); the request is
     * removed at the end unless renewed meanwhile.
     */
    public void completePending(String partnerId, String actor) {
        LedgerStore.RatingRequest request = tx.inNew(c -> store.ratingRequest(c, partnerId)).orElse(null);
        int chunk = config.rating().chunkSize();
        if (request != null && request.rerate()) {
            long after = tx.inNew(c -> store.beforeFirstOpenEntry(c, partnerId, lockKnown(c, partnerId).lastClosed()));
            while (after >= 0) {
                long from = after;
                after = tx.inNew(c -> {
                    StreamHead head = lockKnown(c, partnerId);
                    // SQL pre-filters coarsely (rated under an older version than the newest); the decider
                    // decides which of them its version no longer governs (SPEC §3.1) and re-rates those
                    List<LedgerEntry> candidates = store.reRateCandidates(c, partnerId, head.lastClosed(), from,
                            chunk);
                    if (candidates.isEmpty()) {
                        return -1L;
                    }
                    PartnerLedger state = adminState(c, head);
                    for (LedgerEntry e : candidates) {
                        state.loadUsage(new UsageRecord(new UsageEvent(partnerId, e.usageEventId(), e.eventTime(),
                                e.model(), e.metric(), e.quantity(), e.revenue(), null), UsageRecord.UsageStatus.RATED,
                                null, e));
                    }
                    Instant now = clock.now();
                    List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.ReRate(from, chunk), state,
                            adminContext(c, now, actor));
                    // the journal's step: the first n stale entries after {@code from} are exactly those among the
                    // candidates (a contiguous superset in sequence order), so a replay re-rates the same ones
                    long reRated = decided.stream().filter(e -> e instanceof LedgerEvent.EntryPosted p
                            && p.entry().kind() == EntryKind.REVERSAL).count();
                    write(c, state, decided, "RERATE", Map.of("afterSequence", from, "limit", reRated), now);
                    return candidates.size() < chunk ? -1L : candidates.get(candidates.size() - 1).sequence();
                });
                outbox.committed();
            }
        }
        UsageRecord cursor = null;
        boolean more = true;
        while (more) {
            UsageRecord from = cursor;
            List<UsageRecord> parked = tx.inNew(c -> {
                StreamHead head = lockKnown(c, partnerId);
                List<UsageRecord> page = store.parked(c, partnerId, from == null ? null : from.event().time(),
                        from == null ? null : from.event().eventId(), chunk);
                if (!page.isEmpty()) {
                    PartnerLedger state = adminState(c, head);
                    page.forEach(state::loadUsage);
                    Instant now = clock.now();
                    Instant afterTime = from == null ? null : from.event().time();
                    String afterId = from == null ? null : from.event().eventId();
                    Map<String, Object> input = new LinkedHashMap<>();
                    input.put("afterTime", afterTime == null ? null : afterTime.toString());
                    input.put("afterId", afterId);
                    input.put("limit", chunk);
                    write(c, state, LedgerDecider.decide(new LedgerCommand.RatePending(afterTime, afterId, chunk),
                            state, adminContext(c, now, actor)), "RATE_PENDING", input, now);
                }
                return page;
            });
            outbox.committed();
            more = parked.size() == chunk;
            cursor = more ? parked.get(parked.size() - 1) : null;
        }
        if (request != null) {
            tx.inNew(c -> {
                store.clearRatingRequest(c, partnerId, request.requestedAt());
                return null;
            });
        }
    }

    /** Completes every partner's pending request (the sweeper: after a crash or a failed completion). */
    public int completeAllPending() {
        List<LedgerStore.RatingRequest> requests = tx.inNew(c -> store.ratingRequests(c, null));
        for (LedgerStore.RatingRequest r : requests) {
            completePending(r.partnerId(), r.actor());
        }
        return requests.size();
    }

    // ---- periods ----

    public PeriodResult close(String partnerId, String periodText, boolean force, String actor) {
        YearMonth period = parsePeriod(periodText, "period");
        // first complete any rating or re-rating still pending; committed even if the close is then refused
        completePending(partnerId, actor);
        PeriodResult result = tx.inNew(c -> {
            StreamHead head = lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = adminState(c, head);
            state.loadUnratedCount(period, store.unratedCount(c, partnerId, period));
            store.loadTierSums(c, state, period);
            for (PeriodFigures f : store.periodFigures(c, partnerId, period)) {
                state.loadPeriod(f.period(), f.total(), f.eventCount(), f.closedAt());
            }
            boolean wasClosed = state.isClosed(period);
            PeriodResult before = periodResult(state, period);
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.ClosePeriod(period, force), state,
                    adminContext(c, now, actor));
            write(c, state, decided, "CLOSE", Map.of("period", period.toString(), "force", force), now);
            decided.forEach(state::apply);
            PeriodResult after = periodResult(state, period);
            if (!wasClosed) {
                audit.record(c, now, actor, "PERIOD_CLOSED", partnerId, period.toString(), null,
                        Jsons.write(json, periodJson(before)), Jsons.write(json, periodJson(after)));
            }
            return after;
        });
        outbox.committed();
        return result;
    }

    private static Map<String, Object> periodJson(PeriodResult p) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("period", p.period().toString());
        view.put("status", p.status());
        view.put("total", p.total().toPlainString());
        view.put("amountDue", p.amountDue().toPlainString());
        view.put("eventCount", p.eventCount());
        view.put("closedAt", p.closedAt() == null ? null : p.closedAt().toString());
        return view;
    }

    private static PeriodResult periodResult(PartnerLedger state, YearMonth period) {
        BigDecimal total = Money.round8(state.periodTotal(period));
        return new PeriodResult(state.partnerId(), period, state.status(period).name(),
                state.currency(), total, Money.amountDue(total, state.currency()), state.eventCount(period),
                state.closedAt(period));
    }

    // ---- adjustments and write-offs ----

    public LedgerEntry adjust(String partnerId, String periodText, String amount, String memo, String actor) {
        YearMonth period = parsePeriod(periodText, "period");
        LedgerEntry entry = tx.inNew(c -> {
            StreamHead head = lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = adminState(c, head);
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.PostAdjustment(period, amount, memo),
                    state, adminContext(c, now, actor));
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("period", period.toString());
            input.put("amount", amount);
            input.put("memo", memo);
            write(c, state, decided, "ADJUSTMENT", input, now);
            LedgerEntry posted = ((LedgerEvent.EntryPosted) decided.get(0)).entry();
            audit.record(c, now, actor, "ADJUSTMENT_POSTED", partnerId, Long.toString(posted.sequence()), memo, null,
                    Jsons.write(json, EntryJson.toJson(posted)));
            return posted;
        });
        outbox.committed();
        return entry;
    }

    public LedgerEvent.UsageWrittenOff writeOff(String partnerId, String eventId, String memo, String actor) {
        return tx.inNew(c -> {
            StreamHead head = lockKnown(c, partnerId);
            Instant now = clock.now();
            // the write-off reads only the one event (rated or written off: a conflict, not an unknown event)
            if (unprocessable.find(c, partnerId, eventId).isPresent()) {
                return UnprocessableEvents.writeOff(c, unprocessable, audit, json, partnerId, eventId, memo, actor,
                        now);
            }
            PartnerLedger state = adminState(c, head);
            UsageRecord record = store.usageRecord(c, partnerId, eventId);
            if (record != null) {
                state.loadUsage(record);
            }
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.WriteOff(eventId, memo), state,
                    adminContext(c, now, actor));
            write(c, state, decided, "WRITE_OFF", Map.of("eventId", eventId, "memo", memo), now);
            audit.record(c, now, actor, "EVENT_WRITTEN_OFF", partnerId, eventId, memo,
                    Jsons.write(json, Map.of("eventId", eventId, "status", "UNRATED", "reason",
                            String.valueOf(record.reason()))),
                    Jsons.write(json, Map.of("eventId", eventId, "status", "WRITTEN_OFF")));
            return (LedgerEvent.UsageWrittenOff) decided.get(0);
        });
    }

    public List<UsageRecord> unrated(String partnerId, int limit) {
        return tx.inNew(c -> {
            requirePartner(c, partnerId);
            return store.unrated(c, partnerId, limit);
        });
    }

    // ---- balance ----

    public Balance balance(String partnerId) {
        return tx.inNew(c -> {
            LedgerStore.PartnerRow partner = requirePartner(c, partnerId);
            StreamHead head = store.head(c, partnerId);
            List<PeriodResult> periods = new ArrayList<>();
            BigDecimal receivable = BigDecimal.ZERO;
            for (PeriodFigures f : store.periodFigures(c, partnerId, null)) {
                BigDecimal total = Money.round8(f.total());
                receivable = receivable.add(total);
                periods.add(new PeriodResult(partnerId, f.period(),
                        PeriodStatus.of(f.period(), head.lastClosed()).name(), partner.currency(),
                        total, Money.amountDue(total, partner.currency()), f.eventCount(), f.closedAt()));
            }
            // SPEC §4: the receivable = Σ charges − Σ payments
            receivable = receivable.subtract(store.paidTotal(c, partnerId));
            return new Balance(partnerId, partner.currency(), Money.round8(receivable), head.lastSequence(),
                    completeness.ingestSequence(c, partnerId), store.unratedCount(c, partnerId), periods);
        });
    }

    // ---- helpers ----

    private LedgerStore.PartnerRow requirePartner(Connection c, String partnerId) throws SQLException {
        return store.partner(c, partnerId).orElseThrow(() -> new NotFoundException("unknown partner " + partnerId));
    }

    private StreamHead lockKnown(Connection c, String partnerId) throws SQLException {
        StreamHead head = store.lock(c, List.of(partnerId)).get(partnerId);
        if (head == null) {
            throw new NotFoundException("unknown partner " + partnerId);
        }
        return head;
    }

    /** The state an admin command reads: versions, head and all tier counters (usage is loaded as needed). */
    private PartnerLedger adminState(Connection c, StreamHead head) throws SQLException {
        PartnerLedger state = new PartnerLedger(head.partnerId(), head.currency()).withSnapshot(
                store.versions(c, List.of(head.partnerId())).getOrDefault(head.partnerId(), List.of()),
                head.lastClosed(), head.lastSequence());
        store.loadAllCounters(c, state);
        return state;
    }

    /** FX rates read on demand (admin paths touch few dates). */
    private LedgerContext adminContext(Connection c, Instant now, String actor) {
        Map<FxKey, BigDecimal> cache = new HashMap<>();
        Set<FxKey> missing = new java.util.HashSet<>();
        FxRates fx = (date, base, quote) -> {
            FxKey key = new FxKey(date, base, quote);
            if (cache.containsKey(key)) {
                return cache.get(key);
            }
            if (missing.contains(key)) {
                return null;
            }
            try {
                BigDecimal rate = store.fxRates(c, List.of(key)).get(key);
                if (rate == null) {
                    missing.add(key);
                } else {
                    cache.put(key, rate);
                }
                return rate;
            } catch (SQLException e) {
                throw new Transactions.DataAccessException(e);
            }
        };
        return new LedgerContext(now, actor, fx, UUID::randomUUID);
    }

    /**
     * Writes the decided events and, when there are any, records the command as the partner's next step of
     * the decision journal (what the replay of SPEC §4.1 presents to the decider again).
     */
    private void write(Connection c, PartnerLedger before, List<LedgerEvent> decided, String kind,
            Map<String, ?> input, Instant now) throws SQLException {
        if (decided.isEmpty()) {
            return;
        }
        WriteSet writes = new WriteSet();
        writes.add(LedgerChanges.of(before, decided), false);
        store.write(c, writes);
        store.recordInput(c, before.partnerId(), kind, Jsons.write(json, input), now);
    }

    // ---- payments ----

    /** A recorded payment and whether this request recorded it (false: the same body again). */
    public record PaymentOutcome(LedgerEntry entry, boolean created) {
    }

    /**
     * Records a payment (SPEC §3.8) under the partner's lock: the decider validates it and posts the PAYMENT
     * entry; the same paymentId with the same body answers the stored entry, with another body a 409 (the
     * unique index on (partner, paymentId) backs this up).
     */
    public PaymentOutcome recordPayment(String partnerId, LedgerCommand.RecordPayment command, String actor) {
        PaymentOutcome outcome = tx.inNew(c -> {
            StreamHead head = lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = adminState(c, head);
            if (command.paymentId() != null) {
                store.payment(c, partnerId, command.paymentId()).ifPresent(state::loadPayment);
            }
            List<LedgerEvent> decided = LedgerDecider.decide(command, state, adminContext(c, now, actor));
            if (decided.isEmpty()) {
                return new PaymentOutcome(state.payment(command.paymentId()), false);
            }
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("paymentId", command.paymentId());
            input.put("amount", command.amount());
            input.put("currency", command.currency());
            input.put("receivedOn", command.receivedOn());
            input.put("reference", command.reference());
            write(c, state, decided, "PAYMENT", input, now);
            LedgerEntry entry = ((LedgerEvent.EntryPosted) decided.get(0)).entry();
            audit.record(c, now, actor, "PAYMENT_RECORDED", partnerId, entry.paymentId(), entry.reference(), null,
                    Jsons.write(json, EntryJson.toJson(entry)));
            return new PaymentOutcome(entry, true);
        });
        if (outcome.created()) {
            outbox.committed();
        }
        return outcome;
    }

    /** The partner's PAYMENT entries in receivedOn, then sequence order (at most {@code limit}). */
    public List<LedgerEntry> payments(String partnerId, int limit) {
        return tx.inNew(c -> {
            requirePartner(c, partnerId);
            return store.payments(c, partnerId, limit);
        });
    }

    /** A period as the API names it (the domain's {@link Periods#parse}). */
    public static YearMonth parsePeriod(String text, String field) {
        return Periods.parse(text, field);
    }

    /** Kinds that count as money in sums (all but PERIOD_CLOSED). */
    static boolean money(EntryKind kind) {
        return kind.isMoney();
    }
}
