package com.revshare.ledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Limits of the period proof (SPEC §4.1), with their defaults. */
@ConfigMapping(prefix = "revshare.ledger.proof")
public interface ProofConfig {
    /**
     * The proof's own transaction timeout in seconds: its replay reads the partner's whole decision journal in
     * one snapshot (minutes per million events, see docs/operating/runbook.md), far beyond the default
     * transaction timeout that bounds the hot path's short transactions.
     */
    @WithDefault("1800")
    int transactionTimeoutS();
}
