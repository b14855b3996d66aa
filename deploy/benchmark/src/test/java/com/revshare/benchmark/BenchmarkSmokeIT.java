package com.revshare.benchmark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The benchmark's smoke version, so the tool keeps working in CI: the whole run (references,
 * the three services from their jars, every phase, the money check, the COPY load and the
 * queries) on small numbers. It proves the tool works end to end and the money is exact; the
 * figures themselves are not judged here (the machine running CI is shared and small). A second,
 * tinier run covers the two modes: every event from one partner, two instances of each service.
 */
class BenchmarkSmokeIT {

    @Test
    void smokeRunPassesTheMoneyCheckAndWritesEveryOutput() throws Exception {
        Path results = Path.of("target", "benchmark-smoke").toAbsolutePath();
        Benchmark.Outcome outcome = Benchmark.run(new String[] {"--smoke", "--results", results.toString()});
        assertTrue(outcome.passed(), "correctness check: " + outcome.summary());

        JsonNode r = Api.JSON.readTree(Files.readString(outcome.resultsDir().resolve("results.json")));
        assertTrue(r.path("correctness").path("passed").asBoolean());
        assertEquals(0, r.path("correctness").path("problems").size());
        assertTrue(r.path("references").path("ceiling").path("recordsPerSecond").asLong() > 0);
        assertTrue(r.path("references").path("naive").path("eventsPerSecond").asLong() > 0);
        assertEquals(10_000, r.path("throughput").path("records").asLong());
        assertTrue(r.path("throughput").path("eventsPerSecond").asLong() > 0);
        assertTrue(r.path("throughput").has("ratioToCeiling") && r.path("throughput").has("ratioToNaive"));
        assertTrue(r.path("latency").path("latencyMs").path("p99").asDouble() > 0);
        for (String stage : SystemUnderTest.SERVICES) {
            assertTrue(r.path("stages").path(stage).path("recordsPerSecond").asLong() > 0, stage);
        }
        assertTrue(r.path("queries").path("entriesInReadModel").asLong() >= 20_000);
        assertTrue(r.path("queries").path("latency").path("statement").path("p99Ms").asDouble() > 0);
        for (String process : new String[] {"kafka", "postgresql", "ingest", "ledger", "reporting"}) {
            assertTrue(r.path("processes").path(process).path("peakRssMb").asLong() > 0, process);
        }
        assertTrue(r.path("targets").size() >= 9);
        // issue 14: the CPU ratio in one run, rows per event; issue 13: every period's proofs agree
        assertTrue(r.path("references").path("ceiling").path("cpuMicrosPerRecord").path("total").asDouble() > 0);
        assertTrue(r.path("throughput").path("cpu").path("systemMicrosPerEvent").asLong() > 0);
        assertTrue(r.path("throughput").path("cpu").path("ratioToCeiling").asDouble() > 0);
        assertTrue(r.path("storage").path("rowsPerEvent").asDouble() >= 1, "at least the ingest's own row per event");
        assertTrue(r.path("throughput").path("busiestThreads").has("limit"));
        assertProofsAgree(r, 16);

        String html = Files.readString(outcome.resultsDir().resolve("report.html"));
        assertTrue(html.contains("<svg") && html.contains("<polyline"));
        assertFalse(html.contains("<script"), "self-contained: no script, no CDN");
        String summary = Files.readString(outcome.resultsDir().resolve("summary.txt")).strip();
        assertFalse(summary.contains("\n") || summary.contains("\r"), "one line");
        assertTrue(summary.startsWith("revshare-benchmark ") && summary.endsWith("correctness PASS"), summary);
    }

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
        assertProofsAgree(r, 16);
        String summary = Files.readString(outcome.resultsDir().resolve("summary.txt")).strip();
        assertTrue(summary.contains("[single partner aws, 2 instances per service]") && summary.endsWith("correctness PASS"),
                summary);
    }

    /** Every partner-period's ledger proof replayed to the stored entries and equals reporting's statement proof. */
    private static void assertProofsAgree(JsonNode r, int atLeast) {
        JsonNode proofs = r.path("proofs");
        assertTrue(proofs.path("passed").asBoolean(), proofs.path("problems").toString());
        assertTrue(proofs.path("checked").asInt() >= atLeast, "partner-periods checked: " + proofs.path("checked"));
        for (JsonNode p : proofs.path("periods")) {
            assertTrue(p.path("replayMatches").asBoolean() && p.path("reportingMatches").asBoolean(), p.toString());
        }
    }
}
