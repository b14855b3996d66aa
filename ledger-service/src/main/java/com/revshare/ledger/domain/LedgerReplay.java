package com.revshare.ledger.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
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
 * <p>Memory: the usage records live in a {@link ReplayMemory}, not on the heap. Between two decisions the
 * replay's state holds none (only the aggregates: versions, counters, period figures, payments); a decision
 * holds the records its command loads (at most its chunk) and those its events touch (at most its batch), and
 * writes the touched ones back. Records that no later command can read — not UNRATED, of a CLOSED period
 * (re-rating touches OPEN periods only; a late event is a new event) — are forgotten, so the memory holds the
 * open periods' usage and the parked events, and the heap a constant whatever the partner's history.
 */
public final class LedgerReplay {
    /** Records read per round trip while looking for a re-rating chunk's stale entries. */
    static final int RATED_PAGE_SIZE = 1000;

    private PartnerLedger state;
    private final ReplayMemory memory;
    private final Consumer<LedgerEntry> sink;
    private long ids;
    private int heldRecordsPeak;

    public LedgerReplay(String partnerId, String currency, ReplayMemory memory, Consumer<LedgerEntry> sink) {
        this.state = new PartnerLedger(partnerId, currency);
        this.memory = memory;
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
        List<UsageRecord> loaded = List.of();
        if (command instanceof LedgerCommand.ReRate c) {
            loaded = staleChunk(c);
        } else if (command instanceof LedgerCommand.RatePending c) {
            loaded = memory.unratedAfter(c.afterTime(), c.afterId(), c.limit());
        } else if (command instanceof LedgerCommand.WriteOff c) {
            loaded = List.copyOf(memory.recall(List.of(c.eventId())).values());
        }
        loaded.forEach(presented::loadUsage);
        List<LedgerEvent> decided = LedgerDecider.decide(command, presented,
                new LedgerContext(at, null, fx, () -> new UUID(0, ++ids)));
        int touched = fold(decided);
        heldRecordsPeak = Math.max(heldRecordsPeak, loaded.size() + touched);
        if (command instanceof LedgerCommand.ClosePeriod c && state.isClosed(c.period())) {
            memory.forgetSettled(c.period());
        }
    }

    /**
     * Folds the decided events into the state with the records they touch recalled, then writes those records
     * back (or forgets them when no later command can read them) and drops them from the state; returns how
     * many records it held.
     */
    private int fold(List<LedgerEvent> decided) {
        Set<String> touched = new LinkedHashSet<>();
        Set<String> recorded = new HashSet<>();
        for (LedgerEvent event : decided) {
            String eventId = usageEventId(event);
            if (eventId != null) {
                touched.add(eventId);
            }
            if (event instanceof LedgerEvent.UsageRecorded r) {
                recorded.add(r.event().eventId());
            }
        }
        List<String> known = touched.stream().filter(id -> !recorded.contains(id)).toList();
        if (!known.isEmpty()) {
            memory.recall(known).values().forEach(state::loadUsage);
        }
        for (LedgerEvent event : decided) {
            state.apply(event);
            if (event instanceof LedgerEvent.EntryPosted posted) {
                sink.accept(posted.entry());
            }
        }
        if (touched.isEmpty()) {
            return 0;
        }
        List<UsageRecord> keep = new ArrayList<>();
        List<String> settled = new ArrayList<>();
        for (String eventId : touched) {
            UsageRecord r = state.usage(eventId);
            if (r == null) {
                continue;
            }
            if (r.status() != UsageRecord.UsageStatus.UNRATED && state.isClosed(ReplayMemory.periodOf(r))) {
                settled.add(eventId);
            } else {
                keep.add(r);
            }
        }
        if (!settled.isEmpty()) {
            memory.forget(settled);
        }
        if (!keep.isEmpty()) {
            memory.remember(keep);
        }
        state = state.copyWithoutUsage();
        return touched.size();
    }

    /** The usage event an event is about, or null. */
    private static String usageEventId(LedgerEvent event) {
        if (event instanceof LedgerEvent.UsageRecorded r) {
            return r.event().eventId();
        } else if (event instanceof LedgerEvent.UsageParked p) {
            return p.eventId();
        } else if (event instanceof LedgerEvent.UsageWrittenOff w) {
            return w.eventId();
        } else if (event instanceof LedgerEvent.EntryPosted p) {
            return p.entry().usageEventId();
        }
        return null;
    }

    /**
     * The re-rating chunk's records: the first {@code limit} RATED records after {@code afterSequence} whose
     * current USAGE entry, in an OPEN period, was made by a version that no longer governs its time (SPEC §3.1),
     * in sequence order. The memory pre-filters by sequence and by "made by a version older than the newest"
     * (the newest governs wherever it made an entry); the governing version is decided here.
     */
    private List<UsageRecord> staleChunk(LedgerCommand.ReRate c) {
        List<UsageRecord> chunk = new ArrayList<>();
        int newest = state.versions().stream().mapToInt(AgreementVersion::version).max().orElse(0);
        long after = c.afterSequence();
        while (chunk.size() < c.limit()) {
            List<UsageRecord> page = memory.ratedAfter(after, newest, RATED_PAGE_SIZE);
            for (UsageRecord r : page) {
                if (isStale(r)) {
                    chunk.add(r);
                    if (chunk.size() == c.limit()) {
                        break;
                    }
                }
            }
            if (page.size() < RATED_PAGE_SIZE) {
                break;
            }
            after = page.get(page.size() - 1).current().sequence();
        }
        return chunk;
    }

    private boolean isStale(UsageRecord r) {
        if (r.status() != UsageRecord.UsageStatus.RATED || r.current() == null
                || r.current().kind() != EntryKind.USAGE || state.isClosed(r.current().period())) {
            return false;
        }
        AgreementVersion governing = state.governingAt(r.current().eventTime());
        return governing != null && !Integer.valueOf(governing.version()).equals(r.current().agreementVersion());
    }

    /** The replayed state's last sequence. */
    public long lastSequence() {
        return state.lastSequence();
    }

    /**
     * The most usage records one decision held on the heap (the chunk it loaded plus the records its events
     * touched): bounded by the journal's chunk and batch sizes, not by the partner's history.
     */
    public int heldRecordsPeak() {
        return heldRecordsPeak;
    }

    /** Usage records the replay's state holds between two decisions: none, they are in the memory. */
    public int heldRecords() {
        return state.usage().size();
    }
}
