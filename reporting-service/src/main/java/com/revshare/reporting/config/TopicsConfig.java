package com.revshare.reporting.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Topic names (SPEC §1 defaults), shared property names across the services. */
@ConfigMapping(prefix = "revshare.topics")
public interface TopicsConfig {
    /** Ledger entries, key = partner id (SPEC §4). */
    @WithDefault("revshare.ledger.entries")
    String ledgerEntries();

    /** Compacted partner registry, key = partner id. */
    @WithDefault("revshare.partners")
    String partners();
}
