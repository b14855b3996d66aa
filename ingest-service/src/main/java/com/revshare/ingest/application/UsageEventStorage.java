package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The port to the stored usage events, which are also the outbox (SPEC §2.3, §2.4): application owns it, the
 * persistence adapter implements it with batched JDBC.
 */
public interface UsageEventStorage {

    /**
     * Stores the new events of a batch and classifies every item (SPEC §2.3). The first occurrence of an
     * id in the batch competes with the store; later occurrences compare with whichever event holds the id.
     *
     * @return one outcome per item, in item order
     */
    List<StoreOutcome> store(List<IntakeItem> items, Instant receivedAt) throws SQLException;

    /**
     * Sets a partner's published watermark back to {@code fromSequence - 1} (never forwards), so the relay
     * publishes its stored events from {@code fromSequence} again. Waits for the relay's lock first, so a relay
     * cycle in progress cannot advance the watermark past the rewind. Must run in a transaction.
     *
     * @return the partner's last ingest sequence and the watermark before the rewind, or null for a partner
     *         ingest has no row of
     */
    long[] rewindWatermark(String partnerId, long fromSequence) throws SQLException;

    /** Takes the relay's transaction-scoped lock, so one instance at a time publishes the outbox. */
    boolean tryRelayLock() throws SQLException;

    /**
     * Each partner's committed, unpublished rows in sequence order: at most {@code perPartnerLimit} of each
     * partner and {@code totalLimit} in all, shared round robin between the partners with a backlog.
     */
    List<OutboxRow> pendingOutbox(int perPartnerLimit, int totalLimit) throws SQLException;

    /** Records that each partner's rows up to the given sequence are published (never moves backwards). */
    void advanceWatermarks(Map<String, Long> publishedSequence) throws SQLException;
}
