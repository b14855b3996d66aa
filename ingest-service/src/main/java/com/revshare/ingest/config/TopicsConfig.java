package com.revshare.ingest.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Topic names; defaults are SPEC §1's. */
@ConfigMapping(prefix = "revshare.topics")
public interface TopicsConfig {
    @WithDefault("revshare.usage.raw")
    String usageRaw();

    /** Prefix of each registered partner's own raw topic, {@code <prefix><partnerId>} (SPEC §2.4). */
    @WithDefault("revshare.usage.raw.")
    String usageRawPartnerPrefix();

    @WithDefault("revshare.usage.accepted")
    String usageAccepted();

    @WithDefault("revshare.usage.rejected")
    String usageRejected();

    @WithDefault("revshare.ledger.entries")
    String ledgerEntries();

    @WithDefault("revshare.partners")
    String partners();
}
