package com.revshare.reporting.application;

import java.util.List;
import java.util.Set;

/**
 * What one batch did.
 *
 * @param schema      the read-model generation written
 * @param applied     entries applied
 * @param redelivered entries skipped because already applied or already waiting
 * @param conflicting re-deliveries whose content differed from the known entry
 * @param invalid     records that could not be read as ledger entries
 * @param gaps        partners left waiting behind a missing sequence after this batch
 * @param waitingRead entries read back from {@code waiting_entry} to decide this batch (bounded by the
 *                    batch and the release chunk, never by how many entries wait)
 * @param releasePending partners whose entries, released by a filled gap, are not all applied yet
 *                    (more than one transaction may apply): pass them to {@link EntryApplier#release}
 */
public record ApplyResult(String schema, int applied, int redelivered, int conflicting, int invalid,
        List<Gap> gaps, int waitingRead, Set<String> releasePending) {

    /** Entries of a partner waiting for sequence {@code expected}. */
    public record Gap(String partnerId, long expected, int waitingCount) {
    }
}
