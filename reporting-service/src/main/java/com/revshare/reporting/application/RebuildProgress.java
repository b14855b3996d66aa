package com.revshare.reporting.application;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * What a rebuild is doing, as shown by {@code GET /api/v1/reports/rebuild}.
 *
 * @param state            IDLE, RUNNING, SWITCHING, COMPLETED or FAILED
 * @param targetSchema     the generation being built
 * @param previousSchema   the generation active when it started
 * @param recordsRead      records read from revshare.ledger.entries so far
 * @param entriesApplied   entries applied to the new generation so far
 * @param lag              records between the rebuild's position and the topic's end
 * @param entriesPerSecond recent rate of records read
 * @param etaSeconds       lag / rate (null while unknown)
 */
@JsonPropertyOrder({ "state", "targetSchema", "previousSchema", "startedAt", "finishedAt", "recordsRead",
        "entriesApplied", "lag", "entriesPerSecond", "etaSeconds", "error" })
public record RebuildProgress(String state, String targetSchema, String previousSchema, String startedAt,
        String finishedAt, long recordsRead, long entriesApplied, Long lag, Long entriesPerSecond, Long etaSeconds,
        String error) {

    public static RebuildProgress idle() {
        return new RebuildProgress("IDLE", null, null, null, null, 0, 0, null, null, null, null);
    }

    public boolean running() {
        return "RUNNING".equals(state) || "SWITCHING".equals(state);
    }
}
