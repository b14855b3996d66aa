package com.revshare.infra;

import java.util.List;
import java.util.Map;

/**
 * The topics of SPEC §1 with the partition counts and configs the local run and the tests
 * create. Production provisions its topics itself (see deploy/kafka/topics.md).
 */
public final class Topics {
    public static final String USAGE_RAW = "revshare.usage.raw";
    public static final String USAGE_ACCEPTED = "revshare.usage.accepted";
    public static final String USAGE_REJECTED = "revshare.usage.rejected";
    public static final String LEDGER_ENTRIES = "revshare.ledger.entries";
    public static final String PARTNERS = "revshare.partners";

    /** name, partitions, topic configs. */
    public record Spec(String name, int partitions, Map<String, String> configs) {
    }

    /** 7 days: the longest outage of ingest (or the ledger) that loses no raw (or accepted) record. */
    public static final String RETENTION_7_DAYS_MS = "604800000";
    /** 30 days: rejections stay readable as long as ingest's rejection API keeps them (SPEC §2.7). */
    public static final String RETENTION_30_DAYS_MS = "2592000000";

    /**
     * Retention as deploy/kafka/acls.md states it for production, so that the tests and the local
     * run behave as production does after an outage (docs/operating/reliability.md): the ledger's
     * entries are kept forever (the replay source of reporting rebuilds).
     */
    public static final List<Spec> ALL = List.of(
            new Spec(USAGE_RAW, 4, Map.of("retention.ms", RETENTION_7_DAYS_MS)),
            new Spec(USAGE_ACCEPTED, 4, Map.of("retention.ms", RETENTION_7_DAYS_MS)),
            new Spec(USAGE_REJECTED, 2, Map.of("retention.ms", RETENTION_30_DAYS_MS)),
            new Spec(LEDGER_ENTRIES, 4, Map.of("retention.ms", "-1")),
            new Spec(PARTNERS, 1, Map.of("cleanup.policy", "compact")));

    private Topics() {
    }
}
