package com.revshare.ledger.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * What a {@link LedgerReplay} remembers of each usage event it has recorded and not yet forgotten: the event,
 * its rating state and its current entry (SPEC §4.1 re-derives re-ratings, pending ratings and write-offs from
 * them). A port: the replay keeps none of these records on its heap between two decisions, its implementation
 * holds them where a partner's millions of events fit (the proof's store spills them into a temporary table).
 * It answers only by key, by sequence and by (time, id); what the answers mean (which entry is stale, which
 * period is closed) stays the replay's decision.
 */
public interface ReplayMemory {
    /** Remembers the records, each replacing what was remembered for its event. */
    void remember(Collection<UsageRecord> records);

    /** The records remembered for these events (events without one are left out). */
    Map<String, UsageRecord> recall(Collection<String> eventIds);

    /** Forgets the records of these events. */
    void forget(Collection<String> eventIds);

    /**
     * The RATED records whose current entry is a USAGE entry after {@code afterSequence} made by a version
     * below {@code belowVersion}, in the entries' sequence order, at most {@code limit}.
     */
    List<UsageRecord> ratedAfter(long afterSequence, int belowVersion, int limit);

    /**
     * The UNRATED records after ({@code afterTime}, {@code afterId}) (null: from the first) in (event time,
     * event id in code-point order) order, at most {@code limit}.
     */
    List<UsageRecord> unratedAfter(Instant afterTime, String afterId, int limit);

    /** Forgets every record that is not UNRATED and whose {@link #periodOf period} is {@code period}. */
    void forgetSettled(YearMonth period);

    /** The period a record belongs to: its current entry's (a late event's is the open one), else its event's. */
    static YearMonth periodOf(UsageRecord record) {
        return record.current() != null ? record.current().period() : record.event().period();
    }
}
