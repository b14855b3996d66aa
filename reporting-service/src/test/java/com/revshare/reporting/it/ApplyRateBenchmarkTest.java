package com.revshare.reporting.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Measures how fast reporting applies ledger entries through its real path (Kafka poll, parse,
 * sequence check, pre-aggregation, COPY + upserts, offset commit) and prints the rate; it asserts
 * the figures, not the time. Size: -Drevshare.bench.entries (default 40000), 8 partners.
 */
@QuarkusTest
@Order(Integer.MAX_VALUE - 1)
class ApplyRateBenchmarkTest {
    private static final int PARTNERS = 8;

    @Inject
    MeterRegistry registry;

    @Test
    void printsTheApplyRate() {
        int total = Integer.getInteger("revshare.bench.entries", 40_000) / PARTNERS * PARTNERS;
        String[] models = { "llama-3.1-70b-instruct", "llama-3.1-8b-instruct", "llama-3.1-405b-instruct" };
        String[] metrics = { "input_tokens", "output_tokens", "requests" };
        Random random = new Random(7);
        List<EntryFixtures.Entry> entries = new ArrayList<>(total);
        java.math.BigDecimal[] expected = new java.math.BigDecimal[PARTNERS];
        for (int p = 0; p < PARTNERS; p++) {
            Publisher.partner("bench-" + p, "USD");
            expected[p] = java.math.BigDecimal.ZERO;
        }
        for (int i = 0; i < total; i++) {
            int p = i % PARTNERS;
            long seq = i / PARTNERS + 1;
            String amount = java.math.BigDecimal.valueOf(random.nextInt(50_000_000), 8).toPlainString();
            expected[p] = expected[p].add(new java.math.BigDecimal(amount));
            entries.add(EntryFixtures.usage("bench-" + p, seq, "2024-03", models[random.nextInt(3)],
                    metrics[random.nextInt(3)], random.nextInt(2_000_000), amount, amount, "USD"));
        }
        double appliedBefore = registry.counter("revshare.reporting.entries.applied").count();
        double batchSecondsBefore = registry.timer("revshare.reporting.batch").totalTime(java.util.concurrent.TimeUnit.SECONDS);
        long batchesBefore = registry.timer("revshare.reporting.batch").count();

        long start = System.nanoTime();
        Publisher.entries(entries);
        long published = System.nanoTime();
        for (int p = 0; p < PARTNERS; p++) {
            Publisher.awaitApplied("bench-" + p, total / PARTNERS);
        }
        long done = System.nanoTime();

        double applied = registry.counter("revshare.reporting.entries.applied").count() - appliedBefore;
        double batchSeconds = registry.timer("revshare.reporting.batch").totalTime(java.util.concurrent.TimeUnit.SECONDS)
                - batchSecondsBefore;
        long batches = registry.timer("revshare.reporting.batch").count() - batchesBefore;
        double wall = (done - start) / 1e9;
        System.out.printf(Locale.ROOT, "%n[benchmark] reporting applied %d entries (8 partners) in %.2f s from first "
                + "publish to last applied: %.0f entries/s end to end (publishing took %.2f s)%n", total, wall,
                total / wall, (published - start) / 1e9);
        System.out.printf(Locale.ROOT, "[benchmark] apply time (parse + database transaction) %.2f s over %d batches (%.0f entries/batch): "
                + "%.0f entries/s while applying%n%n", batchSeconds, batches, applied / Math.max(1, batches),
                applied / batchSeconds);

        // each statement streams its period's entries for the proof (SPEC §4.1): measured, not asserted
        long statementsStart = System.nanoTime();
        for (int p = 0; p < PARTNERS; p++) {
            io.restassured.path.json.JsonPath statement = io.restassured.RestAssured.given().auth()
                    .oauth2(TestTokens.finance()).get("/api/v1/reports/partners/bench-" + p + "/statements/2024-03")
                    .then().statusCode(200).extract().jsonPath();
            assertEquals(expected[p].setScale(8).toPlainString(), statement.getString("total"), "bench-" + p);
            assertEquals(total / PARTNERS, statement.getInt("proof.entryCount"), "bench-" + p + " proof");
        }
        double statementSeconds = (System.nanoTime() - statementsStart) / 1e9;
        System.out.printf(Locale.ROOT, "[benchmark] %d statements with proofs over %d entries each: %.3f s, "
                + "%.1f µs per proven entry%n%n", PARTNERS, total / PARTNERS, statementSeconds,
                statementSeconds * 1e6 / total);
    }
}
