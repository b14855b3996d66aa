package com.revshare.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The benchmark's two modes on tiny numbers: every event from one partner, on two instances of
 * each service (pause and resume of both instances in the stage phase, CPU and memory summed over
 * them, the clients going round the instances), with the money and proof checks. Manual, not part
 * of {@code verify}: booting six service JVMs on the 2-core build machine costs about as much as
 * the whole smoke run again, more than the 2 minutes the build may grow by. Run it with
 * {@code ./mvnw -B -o -pl deploy/benchmark verify -Drevshare.benchmark.modes=true -Dit.test=BenchmarkModesIT}.
 */
@EnabledIfSystemProperty(named = "revshare.benchmark.modes", matches = "true")
class BenchmarkModesIT {

    @Test
    void singlePartnerOnTwoInstancesOfEachServicePassesTheMoneyAndProofChecks() throws Exception {
        Path results = Path.of("target", "benchmark-smoke-modes").toAbsolutePath();
        Benchmark.Outcome outcome = Benchmark.run(new String[] {"--smoke", "--single-partner", "--instances", "2",
                "--results", results.toString(), "--events", "2000", "--latency-rate", "500", "--latency-seconds", "2",
                "--stage-events", "1000", "--ceiling-events", "2000", "--naive-events", "0", "--load-entries", "0"});
        assertTrue(outcome.passed(), "correctness check: " + outcome.summary());

        JsonNode r = Api.JSON.readTree(Files.readString(outcome.resultsDir().resolve("results.json")));
        assertEquals(0, r.path("correctness").path("problems").size());
        assertEquals(2, r.path("run").path("options").path("instances").asInt());
        String partner = r.path("singlePartner").path("partnerId").asText();
        assertEquals("aws", partner);
        assertTrue(r.path("singlePartner").path("eventsPerSecond").asLong() > 0);
        assertFalse(r.path("singlePartner").path("limitedBy").asText().isEmpty());
        for (JsonNode row : r.path("correctness").path("partners")) {
            assertEquals(partner, row.path("partnerId").asText(), "every event was the one partner's");
        }
        assertTrue(r.path("correctness").path("partners").size() > 0);
        for (String stage : SystemUnderTest.SERVICES) {
            assertTrue(r.path("stages").path(stage).path("recordsPerSecond").asLong() > 0, stage);
            assertTrue(r.path("processes").path(stage).path("peakRssMb").asLong() > 0, stage);
            assertTrue(Files.exists(outcome.resultsDir().resolve("logs").resolve(stage + "-service-2.log")), stage);
        }
        // both instances of each service were measured: CPU and memory are summed over them
        JsonNode timeline = Api.JSON.readTree(Files.readString(outcome.resultsDir().resolve("timeline.json")));
        JsonNode last = timeline.get(timeline.size() - 1).path("processes");
        for (String stage : SystemUnderTest.SERVICES) {
            assertEquals(2, last.path(stage).path("processes").asInt(), stage);
        }
        BenchmarkSmokeIT.assertProofsAgree(r, 16);
        String summary = Files.readString(outcome.resultsDir().resolve("summary.txt")).strip();
        assertTrue(summary.contains("[single partner aws, 2 instances per service]") && summary.endsWith("correctness PASS"),
                summary);
    }
}
