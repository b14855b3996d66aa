package com.revshare.ledger.domain;

import java.math.BigDecimal;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The ledger's decider: {@code decide(command, state) -> events}; the state is the fold of events
 * ({@link PartnerLedger#apply}). Deterministic given the state and the {@link LedgerContext}.
 * Rejections are thrown ({@link InvalidFieldException} 400, {@link LedgerConflictException} 409,
 * {@link NotFoundException} 404) and leave no events.
 */
public final class LedgerDecider {
    private static final Pattern SIGNED_DECIMAL = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?");

    private final PartnerLedger work;
    private final LedgerContext ctx;
    private final List<LedgerEvent> events = new ArrayList<>();

    private LedgerDecider(PartnerLedger state, LedgerContext ctx) {
        this.work = state.copy();
        this.ctx = ctx;
    }

    /** The events the command causes in the given state. The state itself is not changed. */
    public static List<LedgerEvent> decide(LedgerCommand command, PartnerLedger state, LedgerContext ctx) {
        LedgerDecider d = new LedgerDecider(state, ctx);
        if (command instanceof LedgerCommand.RecordUsage c) {
            d.recordUsage(c);
        } else if (command instanceof LedgerCommand.AddAgreementVersion c) {
            d.addVersion(c);
        } else if (command instanceof LedgerCommand.RatePending c) {
            d.ratePending(c.afterTime(), c.afterId(), c.limit());
        } else if (command instanceof LedgerCommand.ReRate c) {
            d.reRate(c.afterSequence(), c.limit());
        } else if (command instanceof LedgerCommand.RecordPayment c) {
            d.pay(c);
        } else if (command instanceof LedgerCommand.ClosePeriod c) {
            d.close(c);
        } else if (command instanceof LedgerCommand.PostAdjustment c) {
            d.adjust(c);
        } else if (command instanceof LedgerCommand.WriteOff c) {
            d.writeOff(c);
        }
        return List.copyOf(d.events);
    }

    /** Decides and folds the events into {@code state}; returns the events. */
    public static List<LedgerEvent> handle(LedgerCommand command, PartnerLedger state, LedgerContext ctx) {
        List<LedgerEvent> decided = decide(command, state, ctx);
        decided.forEach(state::apply);
        return decided;
    }

    private void emit(LedgerEvent event) {
        events.add(event);
        work.apply(event);
    }

    private long nextSequence() {
        return work.lastSequence() + 1;
    }

    // ---- usage ----

    private void recordUsage(LedgerCommand.RecordUsage c) {
        Set<String> seen = new HashSet<>();
        for (UsageEvent event : c.events()) {
            if (!seen.add(event.eventId()) || work.usage(event.eventId()) != null) {
                continue; // a duplicate counts once (SPEC §2.3)
            }
            emit(new LedgerEvent.UsageRecorded(event));
            rate(event, null);
        }
    }

    /** Rates one recorded event: an entry, or parked with its reason (re-parked only if the reason changed). */
    private void rate(UsageEvent event, UnratedReason currentReason) {
        Rater.Outcome o = Rater.rate(event, work, ctx.fx());
        if (!o.rated()) {
            if (o.unrated() != currentReason) {
                emit(new LedgerEvent.UsageParked(event.eventId(), o.unrated()));
            }
            return;
        }
        emit(new LedgerEvent.EntryPosted(new LedgerEntry(ctx.ids().get(), work.partnerId(), nextSequence(),
                o.bookedPeriod(), o.late() ? EntryKind.LATE_USAGE : EntryKind.USAGE, o.amount(), work.currency(),
                event.eventId(), event.model(), event.metric(), event.quantity(), event.revenue(), o.fxRate(),
                o.settlementRevenue(), o.version().version(), o.rule().id(), null,
                o.late() ? event.period() : null, null, ctx.actor(), null, event.time(), ctx.now())));
    }

    private void ratePending() {
        ratePending(null, null, Integer.MAX_VALUE);
    }

    private void ratePending(java.time.Instant afterTime, String afterId, int limit) {
        List<UsageRecord> parked = work.usage().stream()
                .filter(r -> r.status() == UsageRecord.UsageStatus.UNRATED)
                .filter(r -> afterTime == null || r.event().time().isAfter(afterTime)
                        || (r.event().time().equals(afterTime) && r.event().eventId().compareTo(afterId) > 0))
                .sorted(Comparator.comparing((UsageRecord r) -> r.event().time())
                        .thenComparing(r -> r.event().eventId()))
                .limit(limit)
                .toList();
        for (UsageRecord r : parked) {
            rate(r.event(), r.reason());
        }
    }

    // ---- agreements ----

    private void addVersion(LedgerCommand.AddAgreementVersion c) {
        AgreementVersion version = c.draft().validate(work.versions().size() + 1, work.currency(), ctx.actor(),
                ctx.now());
        YearMonth closed = work.lastClosed();
        if (closed != null && version.effectiveFrom().isBefore(Periods.end(closed))) {
            throw new LedgerConflictException("effectiveFrom " + version.effectiveFrom()
                    + " is before the end of the latest closed period " + closed);
        }
        emit(new LedgerEvent.AgreementVersionAdded(version));
        // the new version governs its whole range now: re-rate what it covers in open periods
        reRate();
        ratePending();
    }

    /** Re-rates, in sequence order, the open-period USAGE entries whose version no longer governs their time. */
    private void reRate() {
        reRate(0, Integer.MAX_VALUE);
    }

    private void reRate(long afterSequence, int limit) {
        List<LedgerEntry> stale = work.usage().stream()
                .filter(r -> r.status() == UsageRecord.UsageStatus.RATED && r.current() != null
                        && r.current().kind() == EntryKind.USAGE && !work.isClosed(r.current().period())
                        && r.current().sequence() > afterSequence)
                .map(UsageRecord::current)
                .filter(e -> {
                    AgreementVersion governing = work.governingAt(e.eventTime());
                    return governing != null && !Integer.valueOf(governing.version()).equals(e.agreementVersion());
                })
                .sorted(Comparator.comparingLong(LedgerEntry::sequence))
                .limit(limit)
                .toList();
        for (LedgerEntry current : stale) {
            emit(new LedgerEvent.EntryPosted(current.reversal(ctx.ids().get(), nextSequence(), ctx.actor(),
                    ctx.now())));
            rate(work.usage(current.usageEventId()).event(), null);
        }
    }

    // ---- close ----

    private void close(LedgerCommand.ClosePeriod c) {
        YearMonth period = c.period();
        YearMonth first = work.firstPeriod();
        if (first == null) {
            throw new LedgerConflictException("partner " + work.partnerId() + " has no agreement, hence no periods");
        }
        if (period.isBefore(first)) {
            throw new LedgerConflictException("period " + period + " is before the partner's first period " + first);
        }
        if (work.isClosed(period)) {
            return; // idempotent: the period and its entries never change again
        }
        if (ctx.now().isBefore(Periods.end(period))) {
            throw new LedgerConflictException("period " + period + " has not ended");
        }
        YearMonth expected = work.earliestOpen();
        if (!period.equals(expected)) {
            throw new LedgerConflictException("period " + expected + " must be closed before " + period);
        }
        ratePending();
        long unrated = work.unratedCount(period);
        if (unrated > 0 && !c.force()) {
            throw new LedgerConflictException(unrated + " unrated events lie in period " + period
                    + "; rate or write them off, or close with force=true", Map.of("unratedCount", unrated));
        }
        // 1. tier true-ups, in (version, rule) order
        List<Map.Entry<TierKey, BigDecimal>> tiered = work.tierSums().entrySet().stream()
                .filter(e -> e.getKey().period().equals(period))
                .sorted(Comparator.comparing((Map.Entry<TierKey, BigDecimal> e) -> e.getKey().version())
                        .thenComparing(e -> e.getKey().ruleId()))
                .toList();
        for (Map.Entry<TierKey, BigDecimal> sum : tiered) {
            AgreementVersion v = work.version(sum.getKey().version());
            if (v == null || !(v.rule(sum.getKey().ruleId()) instanceof RatingRule.Tiered rule)) {
                continue;
            }
            BigDecimal target = Money.round8(rule.schedule().monthPrice(rule.mode(), work.counter(sum.getKey())));
            BigDecimal trueUp = target.subtract(sum.getValue());
            if (trueUp.signum() != 0) {
                emit(new LedgerEvent.EntryPosted(LedgerEntry.periodEntry(ctx.ids().get(), work.partnerId(),
                        nextSequence(), period, EntryKind.TIER_TRUE_UP, Money.round8(trueUp), work.currency(),
                        v.version(), rule.id(), null, ctx.actor(), null, ctx.now())));
            }
        }
        // 2. minimum and cap of the version governing the period's end
        AgreementVersion governing = work.governingAtEnd(period);
        BigDecimal total = work.periodTotal(period);
        if (governing != null && governing.monthlyMinimum() != null
                && total.compareTo(governing.monthlyMinimum()) < 0) {
            postPeriodEntry(period, EntryKind.MINIMUM_TRUE_UP, governing.monthlyMinimum().subtract(total));
        } else if (governing != null && governing.monthlyCap() != null
                && total.compareTo(governing.monthlyCap()) > 0) {
            postPeriodEntry(period, EntryKind.CAP_ADJUSTMENT, governing.monthlyCap().subtract(total));
        }
        // 3. the period is closed
        emit(new LedgerEvent.EntryPosted(LedgerEntry.periodEntry(ctx.ids().get(), work.partnerId(), nextSequence(),
                period, EntryKind.PERIOD_CLOSED, Money.ZERO8, work.currency(), null, null, null, ctx.actor(),
                ctx.now(), ctx.now())));
    }

    private void postPeriodEntry(YearMonth period, EntryKind kind, BigDecimal amount) {
        emit(new LedgerEvent.EntryPosted(LedgerEntry.periodEntry(ctx.ids().get(), work.partnerId(), nextSequence(),
                period, kind, Money.round8(amount), work.currency(), null, null, null, ctx.actor(), null,
                ctx.now())));
    }

    // ---- adjustments and write-offs ----

    private void adjust(LedgerCommand.PostAdjustment c) {
        if (c.period() == null) {
            throw new InvalidFieldException("period", "period is required as YYYY-MM");
        }
        if (c.amount() == null || !SIGNED_DECIMAL.matcher(c.amount()).matches()) {
            throw new InvalidFieldException("amount", "amount must be a decimal string");
        }
        BigDecimal amount = new BigDecimal(c.amount());
        if (amount.scale() > Bounds.AMOUNT_FRACTION_DIGITS) {
            throw new InvalidFieldException("amount", "amount must have at most 8 fraction digits");
        }
        if (Bounds.integerDigits(amount) > Bounds.AMOUNT_INTEGER_DIGITS) {
            throw new InvalidFieldException("amount", "amount must have at most 18 integer digits");
        }
        Bounds.memo("memo", c.memo());
        YearMonth first = work.firstPeriod();
        if (first == null || c.period().isBefore(first)) {
            throw new LedgerConflictException("period " + c.period() + " is not a period of partner "
                    + work.partnerId() + " (its first period is " + first + ")");
        }
        if (work.isClosed(c.period())) {
            throw new LedgerConflictException("period " + c.period() + " is CLOSED");
        }
        emit(new LedgerEvent.EntryPosted(LedgerEntry.periodEntry(ctx.ids().get(), work.partnerId(), nextSequence(),
                c.period(), EntryKind.MANUAL_ADJUSTMENT, Money.round8(amount), work.currency(), null, null,
                c.memo(), ctx.actor(), null, ctx.now())));
    }

    private void writeOff(LedgerCommand.WriteOff c) {
        Bounds.memo("memo", c.memo());
        UsageRecord r = work.usage(c.eventId());
        if (r == null) {
            throw new NotFoundException("no unrated event " + c.eventId() + " for partner " + work.partnerId());
        }
        if (r.status() != UsageRecord.UsageStatus.UNRATED) {
            throw new LedgerConflictException("event " + c.eventId() + " is " + r.status() + ", not unrated");
        }
        emit(new LedgerEvent.UsageWrittenOff(c.eventId(), c.memo(), ctx.actor(), ctx.now()));
    }

    // ---- payments ----

    private static final Pattern PAYMENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern POSITIVE_DECIMAL = Pattern.compile("(0|[1-9][0-9]*)(\\.[0-9]+)?");
    private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

    private void pay(LedgerCommand.RecordPayment c) {
        if (c.paymentId() == null || !PAYMENT_ID.matcher(c.paymentId()).matches()) {
            throw new InvalidFieldException("paymentId", "paymentId must be 1 to 64 of [A-Za-z0-9._:-]");
        }
        if (c.amount() == null || !POSITIVE_DECIMAL.matcher(c.amount()).matches()
                || new BigDecimal(c.amount()).signum() <= 0) {
            throw new InvalidFieldException("amount", "amount must be a decimal string > 0");
        }
        if (c.currency() == null || !c.currency().equals(work.currency())) {
            throw new InvalidFieldException("currency", "currency must be the partner's currency "
                    + work.currency());
        }
        BigDecimal amount = new BigDecimal(c.amount());
        int minor = Money.minorUnit(work.currency());
        if (Bounds.fractionDigits(amount) > minor) {
            throw new InvalidFieldException("amount", "amount must have at most " + minor + " fraction digits ("
                    + work.currency() + ")");
        }
        if (Bounds.integerDigits(amount) > Bounds.AMOUNT_INTEGER_DIGITS) {
            throw new InvalidFieldException("amount", "amount must have at most 18 integer digits");
        }
        java.time.LocalDate receivedOn;
        try {
            if (c.receivedOn() == null || !DATE.matcher(c.receivedOn()).matches()) {
                throw new java.time.format.DateTimeParseException("not YYYY-MM-DD", String.valueOf(c.receivedOn()), 0);
            }
            receivedOn = java.time.LocalDate.parse(c.receivedOn());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidFieldException("receivedOn", "receivedOn must be a date YYYY-MM-DD");
        }
        java.time.LocalDate today = ctx.now().atOffset(java.time.ZoneOffset.UTC).toLocalDate();
        if (receivedOn.isAfter(today)) {
            throw new InvalidFieldException("receivedOn", "receivedOn must not be after today (" + today + ", UTC)");
        }
        Bounds.optionalText("reference", c.reference());
        LedgerEntry existing = work.payment(c.paymentId());
        if (existing != null) {
            boolean same = existing.amount().compareTo(amount) == 0 && existing.currency().equals(c.currency())
                    && existing.receivedOn().equals(receivedOn)
                    && java.util.Objects.equals(existing.reference(), c.reference());
            if (!same) {
                throw new LedgerConflictException("payment " + c.paymentId() + " of partner " + work.partnerId()
                        + " was recorded with another body");
            }
            return; // the same body again: the stored payment stands
        }
        YearMonth open = work.earliestOpen();
        if (open == null) {
            throw new LedgerConflictException("partner " + work.partnerId() + " has no agreement version yet");
        }
        // the earliest OPEN period; before the partner's first period has begun, the current month
        YearMonth current = Periods.of(ctx.now());
        YearMonth period = open.isAfter(current) ? current : open;
        emit(new LedgerEvent.EntryPosted(LedgerEntry.payment(ctx.ids().get(), work.partnerId(), nextSequence(), period,
                amount.setScale(Money.ENTRY_SCALE), work.currency(), ctx.actor(), ctx.now(), c.paymentId(), receivedOn,
                c.reference())));
    }
}
