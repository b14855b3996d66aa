package com.revshare.reporting.application;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Port: what a rebuild keeps in the database (generations, the active-generation switch, the run
 * history, the cross-instance lock); implemented by the persistence adapter.
 */
public interface RebuildRepository {

    /** The cross-instance rebuild lock, held until closed; empty when another instance holds it. */
    Optional<Lock> tryLock();

    interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /** A new, empty generation and the one active when it was created. */
    record Generation(String target, String previous) {
    }

    Generation createGeneration();

    /** A run found RUNNING or SWITCHING with no rebuild running anywhere (its instance stopped). */
    record SettledRun(long id, String target, boolean switched) {
    }

    /**
     * Settles interrupted runs (call under the lock): a run whose target became active did switch
     * (COMPLETED); any other is FAILED and its generation dropped.
     */
    List<SettledRun> settleInterruptedRuns();

    long recordRun(String target, String previous, Instant started);

    void finishRun(long runId, String state, Instant finished, long applied, long read, String error);

    /**
     * In one transaction: lock the active generation against live batches, run {@code catchUp}
     * (the last entries into {@code target}), check that {@code target} has applied every partner
     * at least as far as the active generation (IllegalStateException otherwise: nothing
     * switches), and make {@code target} active.
     */
    void switchTo(String target, Runnable catchUp);

    /**
     * Drops every generation but {@code active} and the {@code keep} newest that were once active;
     * answers the dropped ones.
     */
    List<String> dropOldGenerations(String active, int keep);

    /** Drops {@code target} unless it is the active generation. */
    void dropUnlessActive(String target);
}
