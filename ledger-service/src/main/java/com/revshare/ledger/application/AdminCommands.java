package com.revshare.ledger.application;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AuditRecords;
import com.revshare.ledger.application.FxRateRecords;
import com.revshare.ledger.application.ParkedEvents;
import com.revshare.ledger.application.Partners.StreamHead;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.application.Payments;
import com.revshare.ledger.application.PeriodTotals;
import com.revshare.ledger.application.RatingRequests;
import com.revshare.ledger.application.UsageEvents;
import com.revshare.ledger.domain.AgreementDraft;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.FxRate;
import com.revshare.ledger.domain.LedgerCommand;
import com.revshare.ledger.domain.LedgerDecider;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.Money;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.Periods;
import com.revshare.ledger.domain.UsageRecord;

/**
 * The admin commands of SPEC §3/§5 — agreement versions, FX rates, closes, adjustments, write-offs,
 * payments — each in one transaction under the partner's lock: load the state, ask the
 * {@link LedgerDecider}, write its changes and the audit record; the relay is signalled after the commit,
 * and what a command leaves to rate is completed by {@link PendingRating} before it answers.
 */
@ApplicationScoped
public class AdminCommands {
    @Inject
    Transactions tx;
    @Inject
    LedgerClock clock;
    @Inject
    OutboxSignal outbox;
    @Inject
    ObjectMapper json;
    @Inject
    ParkedEvents unprocessable;
    @Inject
    AuditRecords audit;
    @Inject
    PartnerStates states;
    @Inject
    PendingRating pending;
    @Inject
    Partners store;
    @Inject
    UsageEvents usage;
    @Inject
    PeriodTotals periods;
    @Inject
    FxRateRecords fx;
    @Inject
    RatingRequests ratings;
    @Inject
    Payments paymentRepo;



    /** An FX rate as set: by whom and when. */
    public record FxRateSet(LocalDate date, String base, String quote, BigDecimal rate, String actor,
            Instant createdAt) {
        static FxRateSet of(FxRateRecords.FxRow row) {
            return new FxRateSet(row.date(), row.base(), row.quote(), row.rate(), row.actor(), row.createdAt());
        }
    }

    /** The answer to an FX rate PUT. */
    public record FxOutcome(FxRateSet rate, boolean created) {
    }


    // ---- agreements ----

    /**
     * Adds the version in one transaction together with a pending rating request; then re-rates what
     * it now governs and rates what it un-parks, in chunked transactions (bounded memory and
     * transaction time however much usage the version covers), before answering.
     */
    public AgreementVersion addAgreement(String partnerId, AgreementDraft draft, String actor) {
        AgreementVersion added = tx.inNew(c -> {
            StreamHead head = states.lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = states.adminState(c, head);
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.AddAgreementVersion(draft), state,
                    states.adminContext(c, now, actor));
            AgreementVersion v = ((LedgerEvent.AgreementVersionAdded) decided.get(0)).version();
            states.write(c, state, decided, "AGREEMENT", Map.of("version", v.version()), now);
            ratings.requestRating(c, partnerId, true, actor, now);
            audit.record(c, now, actor, "AGREEMENT_ADDED", partnerId, Integer.toString(v.version()), null, null,
                    Jsons.write(json, AgreementJson.toJson(partnerId, v)));
            return v;
        });
        outbox.committed();
        pending.completePending(partnerId, actor);
        return added;
    }


    // ---- FX rates ----

    public FxOutcome setFxRate(String dateText, String base, String quote, String rateText, String actor) {
        FxRate requested = FxRate.parse(dateText, base, quote, rateText);
        LocalDate date = requested.date();
        BigDecimal rate = requested.rate();
        List<String> waiting = new ArrayList<>();
        FxOutcome outcome = tx.inNew(c -> {
            Instant now = clock.now();
            FxRateRecords.FxKey key = new FxRateRecords.FxKey(date, base, quote);
            FxRateRecords.FxRow row = new FxRateRecords.FxRow(date, base, quote, rate, actor, now);
            // wait for batches that may have read "no rate" and not committed yet, and keep new ones out
            store.lockSettlingIn(c, quote);
            if (!fx.insertFxRate(c, row)) {
                FxRateRecords.FxRow existing = fx.fxRate(c, key).orElseThrow();
                requested.reconcile(new FxRate(existing.date(), existing.base(), existing.quote(), existing.rate()));
                return new FxOutcome(FxRateSet.of(existing), false);
            }
            audit.record(c, now, actor, "FX_RATE_SET", null, date + " " + base + "/" + quote, null, null,
                    Jsons.write(json, Map.of("date", date.toString(), "base", base, "quote", quote, "rate",
                            rate.toPlainString())));
            // the rate may complete parked events: recorded as pending with the rate, rated after the commit
            for (String partnerId : usage.partnersWaitingForRate(c, date, base, quote)) {
                ratings.requestRating(c, partnerId, false, actor, now);
                waiting.add(partnerId);
            }
            return new FxOutcome(FxRateSet.of(row), true);
        });
        for (String partnerId : waiting) {
            pending.completePending(partnerId, actor);
        }
        return outcome;
    }


    // ---- periods ----

    public PeriodResult close(String partnerId, String periodText, boolean force, String actor) {
        YearMonth period = Periods.parse(periodText, "period");
        // first complete any rating or re-rating still pending; committed even if the close is then refused
        pending.completePending(partnerId, actor);
        PeriodResult result = tx.inNew(c -> {
            StreamHead head = states.lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = states.adminState(c, head);
            state.loadUnratedCount(period, usage.unratedCount(c, partnerId, period));
            periods.loadTierSums(c, state, period);
            for (PeriodTotals.PeriodFigures f : periods.periodFigures(c, partnerId, period)) {
                state.loadPeriod(f.period(), f.total(), f.eventCount(), f.closedAt());
            }
            boolean wasClosed = state.isClosed(period);
            PeriodResult before = periodResult(state, period);
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.ClosePeriod(period, force), state,
                    states.adminContext(c, now, actor));
            states.write(c, state, decided, "CLOSE", Map.of("period", period.toString(), "force", force), now);
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
        YearMonth period = Periods.parse(periodText, "period");
        LedgerEntry entry = tx.inNew(c -> {
            StreamHead head = states.lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = states.adminState(c, head);
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.PostAdjustment(period, amount, memo),
                    state, states.adminContext(c, now, actor));
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("period", period.toString());
            input.put("amount", amount);
            input.put("memo", memo);
            states.write(c, state, decided, "ADJUSTMENT", input, now);
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
            StreamHead head = states.lockKnown(c, partnerId);
            Instant now = clock.now();
            // the write-off reads only the one event (rated or written off: a conflict, not an unknown event)
            if (unprocessable.find(c, partnerId, eventId).isPresent()) {
                return UnprocessableEvents.writeOff(c, unprocessable, audit, json, partnerId, eventId, memo, actor,
                        now);
            }
            PartnerLedger state = states.adminState(c, head);
            UsageRecord record = usage.usageRecord(c, partnerId, eventId);
            if (record != null) {
                state.loadUsage(record);
            }
            List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.WriteOff(eventId, memo), state,
                    states.adminContext(c, now, actor));
            states.write(c, state, decided, "WRITE_OFF", Map.of("eventId", eventId, "memo", memo), now);
            audit.record(c, now, actor, "EVENT_WRITTEN_OFF", partnerId, eventId, memo,
                    Jsons.write(json, Map.of("eventId", eventId, "status", "UNRATED", "reason",
                            String.valueOf(record.reason()))),
                    Jsons.write(json, Map.of("eventId", eventId, "status", "WRITTEN_OFF")));
            return (LedgerEvent.UsageWrittenOff) decided.get(0);
        });
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
            StreamHead head = states.lockKnown(c, partnerId);
            Instant now = clock.now();
            PartnerLedger state = states.adminState(c, head);
            if (command.paymentId() != null) {
                paymentRepo.payment(c, partnerId, command.paymentId()).ifPresent(state::loadPayment);
            }
            List<LedgerEvent> decided = LedgerDecider.decide(command, state, states.adminContext(c, now, actor));
            if (decided.isEmpty()) {
                return new PaymentOutcome(state.payment(command.paymentId()), false);
            }
            Map<String, Object> input = new LinkedHashMap<>();
            input.put("paymentId", command.paymentId());
            input.put("amount", command.amount());
            input.put("currency", command.currency());
            input.put("receivedOn", command.receivedOn());
            input.put("reference", command.reference());
            states.write(c, state, decided, "PAYMENT", input, now);
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
}
