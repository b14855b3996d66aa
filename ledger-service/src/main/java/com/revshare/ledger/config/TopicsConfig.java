package com.revshare.ledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Topic names, shared naming across services (SPEC §1 defaults). */
@ConfigMapping(prefix = "revshare.topics")
public interface TopicsConfig {
    @WithDefault("revshare.usage.accepted")
    String usageAccepted();

    @WithDefault("revshare.ledger.entries")
    String ledgerEntries();

    @WithDefault("revshare.partners")
    String partners();
}
