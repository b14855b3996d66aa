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
     * The caller's transaction holds the partners' row locks; {@code lastSequence} maps each partner of the
     * batch to its last ingest sequence and is advanced past the events this call claims.
     *
     * @return one outcome per item, in item order
     */
    List<StoreOutcome> store(List<IntakeItem> items, Instant receivedAt, Map<String, Long> lastSequence)
            throws SQLException;

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

    /** Every partner's last ingest sequence and published watermark (the relay's view of its backlog). */
    List<RelayHead> relayHeads() throws SQLException;

    /** The stored rows of each range (partner, first and last sequence, inclusive), each partner's in sequence order. */
    List<OutboxRow> outboxRange(List<SequenceRange> ranges) throws SQLException;

    /** Records that each partner's rows up to the given sequence are published (never moves backwards). */
    void advanceWatermarks(Map<String, Long> publishedSequence) throws SQLException;
}
