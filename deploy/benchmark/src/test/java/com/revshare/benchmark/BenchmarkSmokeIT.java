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
 * figures themselves are not judged here (the machine running CI is shared and small). The two
 * modes (--single-partner, --instances 2) have their own, manual run: {@link BenchmarkModesIT}.
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

    /** Every partner-period's ledger proof replayed to the stored entries and equals reporting's statement proof. */
    static void assertProofsAgree(JsonNode r, int atLeast) {
        JsonNode proofs = r.path("proofs");
        assertTrue(proofs.path("passed").asBoolean(), proofs.path("problems").toString());
        assertTrue(proofs.path("checked").asInt() >= atLeast, "partner-periods checked: " + proofs.path("checked"));
        for (JsonNode p : proofs.path("periods")) {
            assertTrue(p.path("replayMatches").asBoolean() && p.path("reportingMatches").asBoolean(), p.toString());
        }
    }
}
