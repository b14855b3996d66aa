package com.revshare.reporting.application;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Port: the records reporting read but cannot apply (issue 10), kept until an operator has looked
 * at them; implemented by the persistence adapter. Holding the same record again (re-delivery,
 * rebuild, registry re-read) changes nothing.
 */
public interface HeldRecordRepository {
    String UNREADABLE_ENTRY = "UNREADABLE_ENTRY";
    String CONFLICTING_ENTRY = "CONFLICTING_ENTRY";
    String UNREADABLE_PARTNER = "UNREADABLE_PARTNER";
    String PARTNER_TOMBSTONE = "PARTNER_TOMBSTONE";

    /** A record to hold. {@code partnerId}/{@code sequence} when they could be read, else null. */
    record NewHeldRecord(String reason, String topic, int partition, long offset, String key,
            String partnerId, Long sequence, String error, String raw, Integer rawSize) {
    }

    /** A held record as listed ({@code raw} only when asked for one record). */
    record HeldRow(long id, String reason, String status, String topic, int partition, long offset,
            String key, String partnerId, Long sequence, String error, Integer rawSize, Instant heldAt,
            Instant acknowledgedAt, String acknowledgedBy, String acknowledgeMemo, String raw) {
    }

    /** Holds {@code records} in a transaction of their own; answers how many were new. */
    int hold(List<NewHeldRecord> records);

    /** Held records after id {@code afterId}, oldest first, optionally of one partner and/or status. */
    List<HeldRow> list(String partnerId, String status, long afterId, int limit);

    /** One held record with its kept bytes. */
    Optional<HeldRow> get(long id);

    /** Acknowledges a record (a repeat keeps the first); false when there is no such record. */
    boolean acknowledge(long id, String actor, String memo);

    /** Records with status HELD per partner id ("" for records whose partner is not known). */
    Map<String, Long> heldCounts();
}
