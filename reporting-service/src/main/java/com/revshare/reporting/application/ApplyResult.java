package com.revshare.reporting.application;

import java.util.List;

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
 */
public record ApplyResult(String schema, int applied, int redelivered, int conflicting, int invalid,
        List<Gap> gaps, int waitingRead) {

    /** Entries of a partner waiting for sequence {@code expected}. */
    public record Gap(String partnerId, long expected, int waitingCount) {
    }
}
