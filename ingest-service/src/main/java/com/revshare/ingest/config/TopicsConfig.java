package com.revshare.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Topic names; defaults are SPEC §1's. */
@ConfigMapping(prefix = "revshare.topics")
public interface TopicsConfig {
    @WithDefault("revshare.usage.raw")
    String usageRaw();

    @WithDefault("revshare.usage.accepted")
    String usageAccepted();

    @WithDefault("revshare.usage.rejected")
    String usageRejected();

    @WithDefault("revshare.ledger.entries")
    String ledgerEntries();

    @WithDefault("revshare.partners")
    String partners();
}
