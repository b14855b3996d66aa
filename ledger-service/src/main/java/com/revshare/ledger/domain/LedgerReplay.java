package com.revshare.ledger.domain;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Re-derives a partner's entries from its recorded inputs alone (SPEC §4.1 {@code replayMatches}), through
 * the {@link LedgerDecider}: the inputs are presented in the order the ledger decided them (its decision
 * journal), each command against the state a store presents for it (the stream head, versions, counters and
 * period figures, plus only the usage records that command loads: none for a usage batch, a close, an
 * adjustment or a payment; the chunk of stale entries for a re-rating chunk; the page of parked events for a
 * pending-rating chunk; the one event of a write-off). Every posted entry goes to the sink in sequence order.
 * Replay entry ids are {@code UUID(0, n)} for the n-th posted entry, so an id names its sequence.
 *
 * <p>Memory: the state keeps the usage records of OPEN periods and parked events only ({@link
 * PartnerLedger#forgetClosed} after each close), so a long history of closed months costs nothing.
 */
public final class LedgerReplay {
    private final PartnerLedger state;
    private final Consumer<LedgerEntry> sink;
    private long ids;

    public LedgerReplay(String partnerId, String currency, Consumer<LedgerEntry> sink) {
        this.state = new PartnerLedger(partnerId, currency);
        this.sink = sink;
    }

    /** The sequence a replayed entry id names. */
    public static long sequenceOf(UUID replayId) {
        return replayId.getLeastSignificantBits();
    }

    /** A recorded agreement version (the store decides nothing else when adding one: re-rating follows in chunks). */
    public void agreementAdded(AgreementVersion version) {
        state.apply(new LedgerEvent.AgreementVersionAdded(version));
    }

    /** One recorded decision: the command at its time, with the FX rates known before it. */
    public void decide(LedgerCommand command, Instant at, FxRates fx) {
        PartnerLedger presented = state.copyWithoutUsage();
        if (command instanceof LedgerCommand.ReRate c) {
            state.usage().stream()
                    .filter(r -> r.status() == UsageRecord.UsageStatus.RATED && r.current() != null
                            && r.current().kind() == EntryKind.USAGE && !state.isClosed(r.current().period())
                            && r.current().sequence() > c.afterSequence())
                    .filter(r -> {
                        AgreementVersion governing = state.governingAt(r.current().eventTime());
                        return governing != null
                                && !Integer.valueOf(governing.version()).equals(r.current().agreementVersion());
                    })
                    .sorted(Comparator.comparingLong(r -> r.current().sequence()))
                    .limit(c.limit())
                    .forEach(presented::loadUsage);
        } else if (command instanceof LedgerCommand.RatePending c) {
            state.usage().stream()
                    .filter(r -> r.status() == UsageRecord.UsageStatus.UNRATED)
                    .filter(r -> c.afterTime() == null || r.event().time().isAfter(c.afterTime())
                            || (r.event().time().equals(c.afterTime())
                                    && r.event().eventId().compareTo(c.afterId()) > 0))
                    .sorted(Comparator.comparing((UsageRecord r) -> r.event().time())
                            .thenComparing(r -> r.event().eventId()))
                    .limit(c.limit())
                    .forEach(presented::loadUsage);
        } else if (command instanceof LedgerCommand.WriteOff c && state.usage(c.eventId()) != null) {
            presented.loadUsage(state.usage(c.eventId()));
        }
        List<LedgerEvent> decided = LedgerDecider.decide(command, presented,
                new LedgerContext(at, null, fx, () -> new UUID(0, ++ids)));
        for (LedgerEvent event : decided) {
            state.apply(event);
            if (event instanceof LedgerEvent.EntryPosted posted) {
                sink.accept(posted.entry());
            }
        }
        if (command instanceof LedgerCommand.ClosePeriod) {
            state.forgetClosed();
        }
    }

    /** The replayed state's last sequence. */
    public long lastSequence() {
        return state.lastSequence();
    }
}
