package com.revshare.ingest.application;

import java.sql.SQLException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.revshare.ingest.application.IncomingRecord.SourcePartition;
import com.revshare.ingest.application.IncomingRecord.SourcePosition;

/**
 * The port to ingest's own bookkeeping: per-partner counts, rejections, consumed offsets and unreadable
 * partner records. Application owns it; the persistence adapter implements it with batched JDBC.
 */
public interface IntakeStorage {

    /**
     * Creates the rows of partners not seen before and locks all of them in partner-id order (the one lock
     * order every writer uses, so concurrent batches never deadlock). Must run in the batch's transaction.
     */
    Map<String, PartnerCounts> lockPartners(Collection<String> partnerIds) throws SQLException;

    /** Adds a batch's duplicates, rejections and accepted controls per partner (rows locked by {@link #lockPartners}). */
    void addCounts(Map<String, Long> duplicates, Map<String, Long> rejected, Map<String, Long> controls)
            throws SQLException;

    /** Stores a batch's rejections in their order (one multi-row insert). */
    void insertRejections(List<StoredRejection> rejections) throws SQLException;

    /**
     * Locks the offset rows of the given partitions (creating missing ones at 0) in topic/partition order and
     * returns the next offset to process of each. Held until the batch commits, so two consumers that both
     * believe they own a partition during a rebalance process its records one after the other, never twice.
     */
    Map<SourcePartition, Long> lockOffsets(String groupId, Collection<SourcePartition> partitions)
            throws SQLException;

    /** The stored next offsets of the partitions that have one (no lock; for seeking after an assignment). */
    Map<SourcePartition, Long> readOffsets(String groupId, Collection<SourcePartition> partitions)
            throws SQLException;

    /** Records that the given partitions are processed up to (excluding) the given offsets; never moves back. */
    void advanceOffsets(String groupId, Map<SourcePartition, Long> nextOffsets) throws SQLException;

    /** A partner's intake counts, or empty when ingest has never seen a record of it. */
    Optional<PartnerCounts> counts(String partnerId) throws SQLException;

    /**
     * A page of a partner's rejections after {@code afterSequence}, oldest first, filtered by receipt time
     * ({@code from} inclusive, {@code to} exclusive, either may be null) and reason (null = all).
     */
    List<StoredRejection> rejections(String partnerId, long afterSequence, Instant from, Instant to,
            String reason, int limit) throws SQLException;

    /** Deletes rejections received before {@code cutoff}, at most {@code limit} rows; returns how many. */
    int purgeRejections(Instant cutoff, int limit) throws SQLException;

    /** Keeps a partner record that could not be read (once per topic position); autocommit, no transaction needed. */
    void keepUnreadablePartnerRecord(SourcePosition position, byte[] key, byte[] value, String error)
            throws SQLException;

    /** How many unreadable partner records are kept (for the gauge). */
    long unreadablePartnerRecords() throws SQLException;
}
