package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The summary (SPEC §6) for every combination of groupBy, against sums computed here from the
 * published entries; inclusive from/to by booking period; summary totals equal the statements'.
 * Its entries are booked in 2025, a year no other test uses.
 */
@QuarkusTest
class SummaryTest {
    private static final List<String> PARTNERS = List.of("sm-a", "sm-b");
    private static final List<String> PERIODS = List.of("2025-01", "2025-02", "2025-03");
    private static final List<EntryFixtures.Entry> ENTRIES = new ArrayList<>();
    private static boolean published;

    @BeforeEach
    void publish() {
        if (published) {
            return;
        }
        java.util.Random random = new java.util.Random(42);
        String[] models = { "llama-3.1-70b-instruct", "llama-3.1-8b-instruct" };
        String[] metrics = { "input_tokens", "output_tokens", "requests" };
        for (String p : PARTNERS) {
            Publisher.partner(p, "USD");
            long seq = 0;
            for (String period : PERIODS) {
                for (int i = 0; i < 30; i++) {
                    EntryFixtures.Entry u = EntryFixtures.usage(p, ++seq, period, models[random.nextInt(2)],
                            metrics[random.nextInt(3)], random.nextInt(1_000_000),
                            BigDecimal.valueOf(random.nextInt(100_000_000), 8).toPlainString(), null, "USD");
                    ENTRIES.add(u);
                    if (i % 7 == 0) {
                        ENTRIES.add(EntryFixtures.reversal(u, ++seq));
                    }
                }
                ENTRIES.add(EntryFixtures.lateUsage(p, ++seq, period, "2024-12", models[0], metrics[1], 500,
                        "0.50000001", "USD"));
                ENTRIES.add(EntryFixtures.adjustment(p, ++seq, period, "MINIMUM_TRUE_UP", "3.33333333", "USD"));
                ENTRIES.add(EntryFixtures.adjustment(p, ++seq, period, "MANUAL_ADJUSTMENT", "-1.00000007", "USD"));
            }
            ENTRIES.add(EntryFixtures.periodClosed(p, ++seq, "2025-01", "USD", java.time.Instant.parse(
                    "2025-02-01T01:00:00Z")));
        }
        Publisher.entries(ENTRIES);
        for (String p : PARTNERS) {
            Publisher.awaitApplied(p, ENTRIES.stream().filter(e -> e.partnerId().equals(p)).count());
        }
        published = true;
    }

    /** Expected rows: grouped key values -> [amount, quantity]. */
    private static Map<List<String>, BigDecimal[]> expected(List<String> keys, String from, String to, String only) {
        Map<List<String>, BigDecimal[]> out = new HashMap<>();
        for (EntryFixtures.Entry e : ENTRIES) {
            String period = (String) e.get("period");
            if ("PERIOD_CLOSED".equals(e.get("kind")) || (from != null && period.compareTo(from) < 0)
                    || (to != null && period.compareTo(to) > 0) || (only != null && !only.equals(e.partnerId()))) {
                continue;
            }
            List<String> key = new ArrayList<>();
            for (String k : keys) {
                key.add(switch (k) {
                    case "partner" -> e.partnerId();
                    case "period" -> period;
                    case "model" -> (String) e.get("model");
                    default -> (String) e.get("metric");
                });
            }
            BigDecimal[] sums = out.computeIfAbsent(key, x -> new BigDecimal[] { BigDecimal.ZERO, BigDecimal.ZERO });
            sums[0] = sums[0].add(e.amount());
            Object q = e.get("quantity");
            sums[1] = sums[1].add(q == null ? BigDecimal.ZERO : BigDecimal.valueOf(((Number) q).longValue()));
        }
        return out;
    }

    private static Map<List<String>, List<String>> served(List<Map<String, Object>> rows, List<String> keys) {
        Map<List<String>, List<String>> out = new LinkedHashMap<>();
        Map<String, String> field = Map.of("partner", "partnerId", "period", "period", "model", "model", "metric",
                "metric");
        for (Map<String, Object> row : rows) {
            Set<String> expectedFields = new HashSet<>(List.of("amount", "quantity"));
            keys.forEach(k -> expectedFields.add(field.get(k)));
            assertEquals(expectedFields, row.keySet(), "only the grouped keys are present");
            List<String> key = new ArrayList<>();
            keys.forEach(k -> key.add((String) row.get(field.get(k))));
            out.put(key, List.of((String) row.get("amount"), (String) row.get("quantity")));
        }
        return out;
    }

    @Test
    void everyGroupByCombinationMatchesTheEntries() {
        List<String> all = List.of("partner", "period", "model", "metric");
        for (int mask = 0; mask < 16; mask++) {
            List<String> keys = new ArrayList<>();
            for (int b = 0; b < 4; b++) {
                if ((mask & (1 << b)) != 0) {
                    keys.add(all.get(b));
                }
            }
            // a partner token narrows the summary to its own rows; from/to keep other tests' data out
            List<Map<String, Object>> rows = given().auth().oauth2(TestTokens.partner("sm-a"))
                    .queryParam("from", "2025-01").queryParam("to", "2025-03")
                    .queryParam("groupBy", String.join(",", keys))
                    .get("/api/v1/reports/summary").then().statusCode(200).extract().jsonPath().getList("$");
            Map<List<String>, BigDecimal[]> expected = expected(keys, "2025-01", "2025-03", "sm-a");
            Map<List<String>, List<String>> got = served(rows, keys);
            assertEquals(expected.size(), got.size(), "groupBy=" + keys);
            expected.forEach((key, sums) -> assertEquals(
                    List.of(sums[0].setScale(8).toPlainString(), sums[1].toPlainString()),
                    got.get(key), "groupBy=" + keys + " row " + key));
        }
    }

    @Test
    void financeSeesEveryPartnerAndFromToAreInclusiveBookingPeriods() {
        List<String> keys = List.of("partner", "period");
        List<Map<String, Object>> rows = given().auth().oauth2(TestTokens.finance())
                .queryParam("from", "2025-02").queryParam("to", "2025-03").queryParam("groupBy", "period,partner")
                .get("/api/v1/reports/summary").then().statusCode(200).extract().jsonPath().getList("$");
        Map<List<String>, List<String>> got = served(rows, keys);
        Map<List<String>, BigDecimal[]> expected = expected(keys, "2025-02", "2025-03", null);
        assertEquals(4, expected.size());
        assertEquals(expected.keySet(), got.keySet());
        expected.forEach((key, sums) -> assertEquals(sums[0].setScale(8).toPlainString(), got.get(key).get(0)));
        // groupBy may also be repeated
        List<Map<String, Object>> repeated = given().auth().oauth2(TestTokens.finance())
                .queryParam("from", "2025-02").queryParam("to", "2025-03").queryParam("groupBy", "period")
                .queryParam("groupBy", "partner").get("/api/v1/reports/summary").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertEquals(got, served(repeated, keys));
        // rows are ordered by partner, then period
        assertEquals(List.of(List.of("sm-a", "2025-02"), List.of("sm-a", "2025-03"), List.of("sm-b", "2025-02"),
                List.of("sm-b", "2025-03")), new ArrayList<>(got.keySet()));
    }

    @Test
    void summaryTotalsEqualTheSumOfTheStatements() {
        for (String p : PARTNERS) {
            BigDecimal statements = BigDecimal.ZERO;
            for (String period : PERIODS) {
                var s = given().auth().oauth2(TestTokens.finance())
                        .get("/api/v1/reports/partners/" + p + "/statements/" + period).then().statusCode(200)
                        .extract().jsonPath();
                BigDecimal lines = s.getList("lines.amount", String.class).stream().map(BigDecimal::new)
                        .reduce(BigDecimal.ZERO, BigDecimal::add);
                BigDecimal adjustments = s.getList("adjustments.amount", String.class).stream()
                        .map(BigDecimal::new).reduce(BigDecimal.ZERO, BigDecimal::add);
                assertEquals(0, lines.add(adjustments).compareTo(new BigDecimal(s.getString("total"))),
                        "lines + adjustments = total");
                statements = statements.add(new BigDecimal(s.getString("total")));
            }
            String summary = given().auth().oauth2(TestTokens.partner(p)).queryParam("from", "2025-01")
                    .queryParam("to", "2025-03").get("/api/v1/reports/summary").then().statusCode(200)
                    .extract().jsonPath().getString("[0].amount");
            assertEquals(statements.setScale(8).toPlainString(), summary, p);
            BigDecimal entries = ENTRIES.stream().filter(e -> e.partnerId().equals(p))
                    .map(EntryFixtures.Entry::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
            assertEquals(0, entries.compareTo(statements), "total = the exact sum of the entries");
        }
        // an empty range still answers one row of zeros without groupBy
        List<Map<String, Object>> none = given().auth().oauth2(TestTokens.partner("sm-a"))
                .queryParam("from", "1999-01").queryParam("to", "1999-02").get("/api/v1/reports/summary").then()
                .statusCode(200).extract().jsonPath().getList("$");
        assertEquals(List.of(Map.of("amount", "0.00000000", "quantity", "0")), none);
        assertEquals(true, Objects.nonNull(none));
    }

    /**
     * Many cells, model names that sort differently under a natural-language collation (case,
     * accents, digits, punctuation) and null models: every row once, exact, in code-point order
     * by partner, period, model, metric, nulls last.
     */
    @Test
    void aLargeGroupingComesInCodePointOrderWithEveryRowExact() {
        String p = "sm-many";
        Publisher.partner(p, "USD");
        List<String> models = new ArrayList<>(List.of("Zeta", "alpha", "Alpha", "\u00e9clair", "eclair", "b-2", "b_1",
                "B.1", "10x", "9x"));
        for (int i = 0; i < 1200; i++) {
            models.add("m" + Integer.toString(i * 7919 % 1200, 36) + (i % 2 == 0 ? "A" : "a"));
        }
        List<EntryFixtures.Entry> entries = new ArrayList<>();
        long seq = 0;
        String[] metrics = { "requests", "input_tokens" };
        for (String model : models) {
            entries.add(EntryFixtures.usage(p, ++seq, "1999-0" + (1 + seq % 2), model, metrics[(int) (seq % 3 % 2)], seq,
                    BigDecimal.valueOf(seq, 8).toPlainString(), null, "USD"));
        }
        entries.add(EntryFixtures.adjustment(p, ++seq, "1999-01", "MANUAL_ADJUSTMENT", "-0.00000003", "USD"));
        entries.add(EntryFixtures.adjustment(p, ++seq, "1999-02", "MINIMUM_TRUE_UP", "7.00000000", "USD"));
        Publisher.entries(entries);
        Publisher.awaitApplied(p, seq);

        List<String> keys = List.of("period", "model", "metric");
        List<Map<String, Object>> rows = given().auth().oauth2(TestTokens.partner(p))
                .queryParam("groupBy", "metric,model,period").get("/api/v1/reports/summary").then().statusCode(200)
                .extract().jsonPath().getList("$");
        Map<List<String>, BigDecimal[]> expected = new java.util.TreeMap<>((a, b) -> {
            for (int i = 0; i < a.size(); i++) {
                int c = java.util.Comparator.<String>nullsLast(java.util.Comparator.naturalOrder()).compare(a.get(i),
                        b.get(i));
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        });
        for (EntryFixtures.Entry e : entries) {
            BigDecimal[] sums = expected.computeIfAbsent(java.util.Arrays.asList((String) e.get("period"),
                    (String) e.get("model"), (String) e.get("metric")),
                    k -> new BigDecimal[] { BigDecimal.ZERO, BigDecimal.ZERO });
            sums[0] = sums[0].add(e.amount());
            Object q = e.get("quantity");
            sums[1] = sums[1].add(q == null ? BigDecimal.ZERO : BigDecimal.valueOf(((Number) q).longValue()));
        }
        List<List<Object>> want = new ArrayList<>();
        expected.forEach((key, sums) -> want.add(List.of(key, sums[0].setScale(8).toPlainString(),
                sums[1].toPlainString())));
        List<List<Object>> got = new ArrayList<>();
        served(rows, keys).forEach((key, figures) -> got.add(List.of(key, figures.get(0), figures.get(1))));
        assertEquals(want.size(), rows.size(), "one row per cell");
        assertEquals(want, got);
    }
}
