package com.revshare.chaos;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/**
 * The CI version of the fault suite: 50,000 events over Kafka and HTTP to two instances of each
 * service, 6 faults at seeded instants (at least one broker crash, one PostgreSQL crash, one
 * instance kill and one freeze) and 2,000 hostile records; every invariant of issue 10 must hold.
 * Its report is in target/chaos-ci/.
 */
class ChaosIT {

    @Test
    void fiftyThousandEventsThroughSixFaultsAreEachBookedExactlyOnce() {
        // given the CI options (seed fixed unless -Dchaos.seed is set)
        Options options = Options.ci();
        options.seed = Long.getLong("chaos.seed", options.seed);
        options.out = Path.of("target", "chaos-ci").toAbsolutePath();

        // when the suite runs
        Chaos.Result result = Chaos.run(options);

        // then every invariant holds
        assertTrue(result.passed(), "failed invariants (report " + result.report() + "):\n" + result.failures());
    }
}
