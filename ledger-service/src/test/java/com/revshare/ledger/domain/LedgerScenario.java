package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Given / when / then over the pure decider: a partner's state, a settable clock, FX rates, and
 * every event decided so far. Entry ids are deterministic.
 */
final class LedgerScenario {
    final PartnerLedger state;
    final List<LedgerEvent> history = new ArrayList<>();
    final Map<String, BigDecimal> rates = new HashMap<>();
    private final AtomicLong ids = new AtomicLong();
    Instant now = Instant.parse("2027-06-01T00:00:00Z");
    String actor = "admin";
    List<LedgerEvent> last = List.of();

    private LedgerScenario(String partnerId, String currency) {
        state = new PartnerLedger(partnerId, currency);
    }

    static LedgerScenario partner(String partnerId, String currency) {
        return new LedgerScenario(partnerId, currency);
    }

    LedgerScenario at(String instant) {
        now = Instant.parse(instant);
        return this;
    }

    FxRates fx() {
        return (date, base, quote) -> rates.get(date + "|" + base + "|" + quote);
    }

    LedgerContext ctx(String who) {
        return new LedgerContext(now, who, fx(), () -> new UUID(0, ids.incrementAndGet()));
    }

    List<LedgerEvent> handle(LedgerCommand command, String who) {
        last = LedgerDecider.handle(command, state, ctx(who));
        history.addAll(last);
        return last;
    }

    LedgerScenario agreement(AgreementDraft draft) {
        handle(new LedgerCommand.AddAgreementVersion(draft), actor);
        return this;
    }

    LedgerScenario usage(UsageEvent... events) {
        handle(new LedgerCommand.RecordUsage(List.of(events)), null);
        return this;
    }

    /** Sets a rate and, as the service does, rates what waited for it. */
    LedgerScenario fxRate(String date, String base, String quote, String rate) {
        rates.put(LocalDate.parse(date) + "|" + base + "|" + quote, new BigDecimal(rate));
        handle(new LedgerCommand.RatePending(), actor);
        return this;
    }

    LedgerScenario close(String period) {
        handle(new LedgerCommand.ClosePeriod(YearMonth.parse(period), false), actor);
        return this;
    }

    LedgerScenario forceClose(String period) {
        handle(new LedgerCommand.ClosePeriod(YearMonth.parse(period), true), actor);
        return this;
    }

    LedgerScenario adjust(String period, String amount, String memo) {
        handle(new LedgerCommand.PostAdjustment(YearMonth.parse(period), amount, memo), actor);
        return this;
    }

    LedgerScenario writeOff(String eventId, String memo) {
        handle(new LedgerCommand.WriteOff(eventId, memo), "finance");
        return this;
    }

    // ---- then ----

    List<LedgerEntry> entries() {
        return entriesOf(history);
    }

    List<LedgerEntry> lastEntries() {
        return entriesOf(last);
    }

    static List<LedgerEntry> entriesOf(List<LedgerEvent> events) {
        return events.stream().filter(e -> e instanceof LedgerEvent.EntryPosted)
                .map(e -> ((LedgerEvent.EntryPosted) e).entry()).toList();
    }

    List<LedgerEntry> entries(EntryKind kind) {
        return entries().stream().filter(e -> e.kind() == kind).toList();
    }

    LedgerEntry entryFor(String eventId) {
        return state.usage(eventId).current();
    }

    /** The exact sum of the period's money entries, recomputed from the entries. */
    BigDecimal total(String period) {
        return entries().stream().filter(e -> e.kind().isMoney() && e.period().equals(YearMonth.parse(period)))
                .map(LedgerEntry::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    List<UsageRecord> unrated() {
        return state.usage().stream().filter(r -> r.status() == UsageRecord.UsageStatus.UNRATED).toList();
    }

    static UsageEvent event(String id, String time, String model, String metric, long quantity, String revenue,
            String currency) {
        return new UsageEvent("aws", id, Instant.parse(time), model, metric, quantity,
                revenue == null ? null : new Revenue(new BigDecimal(revenue), currency), null);
    }

    static UsageEvent event(String id, String time, long quantity, String revenueUsd) {
        return event(id, time, "llama-3.1-70b-instruct", "output_tokens", quantity, revenueUsd,
                revenueUsd == null ? null : "USD");
    }

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }
}
