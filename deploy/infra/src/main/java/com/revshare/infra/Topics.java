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

    public static final List<Spec> ALL = List.of(
            new Spec(USAGE_RAW, 4, Map.of()),
            new Spec(USAGE_ACCEPTED, 4, Map.of()),
            new Spec(USAGE_REJECTED, 2, Map.of()),
            new Spec(LEDGER_ENTRIES, 4, Map.of()),
            new Spec(PARTNERS, 1, Map.of("cleanup.policy", "compact")));

    private Topics() {
    }
}
