package com.revshare.reporting.application;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.revshare.reporting.application.HeldRecordRepository.NewHeldRecord;
import com.revshare.reporting.domain.BatchProjection;
import com.revshare.reporting.domain.BatchProjection.PeriodKey;
import com.revshare.reporting.domain.PeriodProof;

/**
 * Port: where {@link EntryApplier} reads the partners' cursors and waiting entries and writes a
 * batch, one transaction per call of {@link #inTransaction}; implemented by the persistence
 * adapter (a fixed, small number of statements per batch).
 */
public interface ProjectionRepository {

    /**
     * Runs {@code work} in a new transaction against {@code schema}, or the active generation when
     * null (then read FOR SHARE, so a rebuild's switch waits for the batch).
     */
    <T> T inTransaction(String schema, Work<T> work);

    @FunctionalInterface
    interface Work<T> {
        T run(Session session) throws Exception;
    }

    /**
     * One transaction on one generation. Its methods throw what the store throws (a JDBC adapter's
     * SQLException): the caller only rolls back and lets the consumer retry, so the port names no
     * JDBC type.
     */
    interface Session {
        /** The generation written. */
        String schema();

        /** The cursors of {@code partnerIds}, locked until the transaction ends. */
        Map<String, CursorRow> cursors(Collection<String> partnerIds) throws Exception;

        /** The payloads of the waiting entries in {@code ranges}, by partner and sequence. */
        Map<String, TreeMap<Long, String>> waiting(List<WaitingRange> ranges) throws Exception;

        /** Partners whose next sequence waits: a release a previous transaction left unfinished. */
        List<String> pendingReleases() throws Exception;

        /** The stored proofs in progress of {@code periods} (absent: none stored). */
        Map<PeriodKey, PeriodProof.Saved> proofs(Collection<PeriodKey> periods) throws Exception;

        /** Every applied entry of a partner's period, in sequence order: its canonical JSON, streamed. */
        void periodEntries(String partnerId, String period, PayloadSink sink) throws Exception;

        /** Writes everything one batch changes. */
        void write(BatchWrite batch) throws Exception;
    }

    /** Receives stored entries one at a time. */
    @FunctionalInterface
    interface PayloadSink {
        void accept(long sequence, String payload) throws Exception;
    }

    /** A period's proof in progress after a batch. */
    record ProofUpdate(PeriodKey period, PeriodProof.Saved saved) {
    }

    /** A partner's cursor row. */
    record CursorRow(long appliedSequence, int waitingCount) {
    }

    /** The cursor after a batch. postedAt/currency are null when the batch applied nothing. */
    record CursorUpdate(String partnerId, long appliedSequence, String postedAt, String currency,
            int waitingCount, Long gapExpected) {
    }

    /** An entry row: partner, sequence, booking period, kind and canonical JSON. */
    record EntryRow(String partnerId, long sequence, String period, String kind, String payload) {
    }

    /** Everything one batch writes. */
    record BatchWrite(BatchProjection projection, List<EntryRow> applied, List<EntryRow> newlyWaiting,
            Map<String, List<Long>> released, List<CursorUpdate> cursors, List<NewHeldRecord> held,
            List<ProofUpdate> proofs) {
    }

    /** Sequences {@code from..to} (inclusive) of a partner's waiting entries, to read back. */
    record WaitingRange(String partnerId, long from, long to) {
    }
}
