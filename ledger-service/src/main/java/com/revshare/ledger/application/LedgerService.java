package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
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

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.revshare.ledger.application.AgreementVersions;
import com.revshare.ledger.application.FxRateRecords;
import com.revshare.ledger.application.IngestWatermarks;
import com.revshare.ledger.application.ParkedEvents;
import com.revshare.ledger.application.Partners.StreamHead;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.application.PeriodTotals;
import com.revshare.ledger.application.UsageEvents;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.LedgerChanges;
import com.revshare.ledger.domain.LedgerCommand;
import com.revshare.ledger.domain.LedgerContext;
import com.revshare.ledger.domain.LedgerDecider;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.RatingRule;
import com.revshare.ledger.domain.UsageEvent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The usage hot path: a batch of accepted events is stored and rated in one transaction under the
 * partners' row locks — the {@link LedgerDecider} decides, the store writes its changes in a handful of
 * statements — and the outbox relay is signalled after the commit. Admin commands are
 * {@link AdminCommands}, pending rating {@link PendingRating}, reads {@link LedgerQueries}.
 */
@ApplicationScoped
public class LedgerService {
    @Inject
    Transactions tx;
    @Inject
    LedgerClock clock;
    @Inject
    OutboxSignal outbox;
    @Inject
    MeterRegistry metrics;
    @Inject
    ParkedEvents unprocessable;
    @Inject
    IngestCompleteness completeness;
    @Inject
    PendingRating pending;
    @Inject
    Partners store;
    @Inject
    UsageEvents usage;
    @Inject
    AgreementVersions agreements;
    @Inject
    PeriodTotals periods;
    @Inject
    FxRateRecords fx;
    @Inject
    DecidedChanges writer;

    /** What a usage batch did; {@code unprocessable} counts the events newly parked as UNPROCESSABLE. */
    public record BatchOutcome(int received, int fresh, int duplicates, int entries, int parked, int unprocessable,
            List<IngestWatermarks.Watermark> watermarks) {
        public BatchOutcome(int received, int fresh, int duplicates, int entries, int parked) {
            this(received, fresh, duplicates, entries, parked, 0, List.of());
        }
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
        List<ParkedEvents.Parking> parkedNow = unusable.isEmpty() ? List.of()
                : unprocessable.park(c, unusable.stream().map(u -> new ParkedEvents.Parking(u.partnerId(),
                        u.eventId(), u.ingestSequence(), u.time(), u.raw(), u.detail())).toList(), now);
        List<UsageEvent> fresh = usage.insertNewUsage(c, events,
                usable.stream().map(AcceptedRecord.Usable::ingestSequence).toList(), now);
        int newlyStored = fresh.size() + parkedNow.size();
        var watermarks = completeness.advance(c, storedSequences(usable, fresh, parkedNow));
        if (fresh.isEmpty()) {
            return new BatchOutcome(received, newlyStored, received - newlyStored, 0, 0, parkedNow.size(),
                    watermarks);
        }
        Map<String, List<UsageEvent>> byPartner = new TreeMap<>();
        fresh.forEach(e -> byPartner.computeIfAbsent(e.partnerId(), k -> new ArrayList<>()).add(e));
        Map<String, List<AgreementVersion>> versions = agreements.versions(c,
                byPartner.keySet().stream().filter(heads::containsKey).toList());
        Map<String, PartnerLedger> states = new LinkedHashMap<>();
        Map<String, Set<YearMonth>> counterPeriods = new HashMap<>();
        Set<FxRateRecords.FxKey> fxKeys = new LinkedHashSet<>();
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
                    fxKeys.add(new FxRateRecords.FxKey(e.utcDate(), e.revenue().currency(), head.currency()));
                }
            }
        }
        periods.loadCounters(c, states, counterPeriods);
        Map<FxRateRecords.FxKey, BigDecimal> rates = fx.fxRates(c, fxKeys);
        LedgerContext ctx = new LedgerContext(now, null,
                (date, base, quote) -> rates.get(new FxRateRecords.FxKey(date, base, quote)), EntryIds::next);
        List<LedgerChanges> changes = new ArrayList<>();
        int parked = 0;
        for (var partner : byPartner.entrySet()) {
            PartnerLedger state = states.get(partner.getKey());
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.RecordUsage(partner.getValue()),
                    state, ctx);
            parked += (int) decided.stream().filter(e -> e instanceof LedgerEvent.UsageParked).count();
            changes.add(LedgerChanges.of(state, decided));
        }
        int written = writer.write(c, changes, true);
        return new BatchOutcome(received, newlyStored, received - newlyStored, written,
                parked, parkedNow.size(), watermarks);
    }

    /** The ingest sequences of the events this transaction stored, per partner. */
    private static Map<String, List<Long>> storedSequences(List<AcceptedRecord.Usable> usable, List<UsageEvent> fresh,
            List<ParkedEvents.Parking> parked) {
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
        for (ParkedEvents.Parking p : parked) {
            if (p.ingestSequence() != null) {
                stored.computeIfAbsent(p.partnerId(), k -> new ArrayList<>()).add(p.ingestSequence());
            }
        }
        return stored;
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
}
