package com.revshare.ledger.application;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.revshare.ledger.application.Entries;
import com.revshare.ledger.application.Partners.StreamHead;
import com.revshare.ledger.application.RatingRequests;
import com.revshare.ledger.application.UsageEvents;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerCommand;
import com.revshare.ledger.domain.LedgerDecider;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.LedgerEvent;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;

/**
 * Pending rating and re-rating (SPEC §3.5 "completes any rating or re-rating still pending"), in
 * chunked transactions under the partner's lock: after a new version, the open-period entries it may
 * govern (SQL's coarse candidates; the decider decides which) are re-rated, then parked events that the
 * current terms and rates can rate are rated.
 */
@ApplicationScoped
public class PendingRating {
    @Inject
    Transactions tx;
    @Inject
    LedgerClock clock;
    @Inject
    OutboxSignal outbox;
    @Inject
    LedgerConfig config;
    @Inject
    PartnerStates states;
    @Inject
    UsageEvents usage;
    @Inject
    Entries entries;
    @Inject
    RatingRequests ratings;

    /**
     * Completes the partner's pending work (SPEC §3.5 "completes any rating or re-rating still
     * pending"): when a version was added, re-rates the open-period entries it governs now; then
     * rates every parked event the current terms and rates can rate. Each chunk of
     * {@code rating.chunk-size} events is its own transaction under the partner's lock, in the
     * decider's order (re-rating by sequence, then parked events by time and id); the request is
     * removed at the end unless renewed meanwhile.
     */
    public void completePending(String partnerId, String actor) {
        RatingRequests.RatingRequest request = tx.inNew(c -> ratings.ratingRequest(c, partnerId)).orElse(null);
        int chunk = config.rating().chunkSize();
        if (request != null && request.rerate()) {
            long after = tx.inNew(c -> entries.beforeFirstOpenEntry(c, partnerId, states.lockKnown(c, partnerId).lastClosed()));
            while (after >= 0) {
                long from = after;
                after = tx.inNew(c -> {
                    StreamHead head = states.lockKnown(c, partnerId);
                    // SQL pre-filters coarsely (rated under an older version than the newest); the decider
                    // decides which of them its version no longer governs (SPEC §3.1) and re-rates those
                    List<LedgerEntry> candidates = entries.reRateCandidates(c, partnerId, head.lastClosed(), from,
                            chunk);
                    if (candidates.isEmpty()) {
                        return -1L;
                    }
                    PartnerLedger state = states.adminState(c, head);
                    for (LedgerEntry e : candidates) {
                        state.loadUsage(new UsageRecord(new UsageEvent(partnerId, e.usageEventId(), e.eventTime(),
                                e.model(), e.metric(), e.quantity(), e.revenue(), null), UsageRecord.UsageStatus.RATED,
                                null, e));
                    }
                    Instant now = clock.now();
                    List<LedgerEvent> decided = LedgerDecider.decide(new LedgerCommand.ReRate(from, chunk), state,
                            states.adminContext(c, now, actor));
                    // the journal's step: the first n stale entries after {@code from} are exactly those among the
                    // candidates (a contiguous superset in sequence order), so a replay re-rates the same ones
                    long reRated = decided.stream().filter(e -> e instanceof LedgerEvent.EntryPosted p
                            && p.entry().kind() == EntryKind.REVERSAL).count();
                    states.write(c, state, decided, "RERATE", Map.of("afterSequence", from, "limit", reRated), now);
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
                StreamHead head = states.lockKnown(c, partnerId);
                List<UsageRecord> page = usage.parked(c, partnerId, from == null ? null : from.event().time(),
                        from == null ? null : from.event().eventId(), chunk);
                if (!page.isEmpty()) {
                    PartnerLedger state = states.adminState(c, head);
                    page.forEach(state::loadUsage);
                    Instant now = clock.now();
                    Instant afterTime = from == null ? null : from.event().time();
                    String afterId = from == null ? null : from.event().eventId();
                    Map<String, Object> input = new LinkedHashMap<>();
                    input.put("afterTime", afterTime == null ? null : afterTime.toString());
                    input.put("afterId", afterId);
                    input.put("limit", chunk);
                    states.write(c, state, LedgerDecider.decide(new LedgerCommand.RatePending(afterTime, afterId, chunk),
                            state, states.adminContext(c, now, actor)), "RATE_PENDING", input, now);
                }
                return page;
            });
            outbox.committed();
            more = parked.size() == chunk;
            cursor = more ? parked.get(parked.size() - 1) : null;
        }
        if (request != null) {
            tx.inNew(c -> {
                ratings.clearRatingRequest(c, partnerId, request.requestedAt());
                return null;
            });
        }
    }

    /** Completes every partner's pending request (the sweeper: after a crash or a failed completion). */
    public int completeAllPending() {
        List<RatingRequests.RatingRequest> requests = tx.inNew(c -> ratings.ratingRequests(c, null));
        for (RatingRequests.RatingRequest r : requests) {
            completePending(r.partnerId(), r.actor());
        }
        return requests.size();
    }
}
