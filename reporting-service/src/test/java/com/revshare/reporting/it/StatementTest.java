package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;

/**
 * A statement with every kind of entry, every figure checked against expectations computed here
 * from the published entries alone (SPEC §6), and the same statement as CSV.
 */
@QuarkusTest
class StatementTest {
    private static final String P = "st-full";
    private static final String PERIOD = "2026-10";
    private static final String M70 = "llama-3.1-70b-instruct";
    private static final String M8 = "llama-3.1-8b-instruct";

    static List<EntryFixtures.Entry> scenario() {
        List<EntryFixtures.Entry> e = new ArrayList<>();
        e.add(EntryFixtures.usage(P, 1, PERIOD, M70, "output_tokens", 125000, "0.28125000", "1.87500000", "USD"));
        EntryFixtures.Entry original = EntryFixtures.usage(P, 2, PERIOD, M70, "input_tokens", 2000000, "0.30000000",
                "2.00000000", "USD");
        e.add(original);
        e.add(EntryFixtures.usage(P, 3, PERIOD, M8, "requests", 7, "0.00000003", null, "USD"));
        // revenue in EUR converted at 1.0842: settlementRevenue is the exact product
        e.add(EntryFixtures.usage(P, 4, PERIOD, M70, "output_tokens", 1, "0.00000001", null, "USD")
                .set("revenue", Map.of("amount", "0.00000007", "currency", "EUR")).set("fxRate", "1.0842")
                .set("settlementRevenue", "0.000000075894"));
        e.add(EntryFixtures.reversal(original, 5));
        e.add(EntryFixtures.usage(P, 6, PERIOD, M70, "input_tokens", 2000000, "0.24000000", "2.00000000", "USD")
                .set("agreementVersion", 2));
        e.add(EntryFixtures.usage(P, 7, "2026-11", M70, "output_tokens", 10, "5.00000000", "9.00000000", "USD"));
        e.add(EntryFixtures.lateUsage(P, 8, PERIOD, "2026-09", M8, "output_tokens", 100, "0.12345678", "USD"));
        e.add(EntryFixtures.adjustment(P, 9, PERIOD, "TIER_TRUE_UP", "-0.00000002", "USD"));
        e.add(EntryFixtures.adjustment(P, 10, PERIOD, "TIER_TRUE_UP", "0.00000005", "USD"));
        e.add(EntryFixtures.adjustment(P, 11, PERIOD, "MINIMUM_TRUE_UP", "9999.09529317", "USD"));
        e.add(EntryFixtures.adjustment(P, 12, PERIOD, "MANUAL_ADJUSTMENT", "-12.50000000", "USD"));
        e.add(EntryFixtures.adjustment(P, 13, PERIOD, "CAP_ADJUSTMENT", "-0.00000001", "USD"));
        e.add(EntryFixtures.periodClosed(P, 14, PERIOD, "USD", Instant.parse("2026-11-01T00:10:00.500Z")));
        return e;
    }

    /** Expected lines computed from the fixtures: model|metric -> [quantity, revenue, amount]. */
    static Map<String, BigDecimal[]> expectedLines(List<EntryFixtures.Entry> entries, String period) {
        Map<String, BigDecimal[]> lines = new TreeMap<>();
        for (EntryFixtures.Entry e : entries) {
            String kind = (String) e.get("kind");
            if (!period.equals(e.get("period")) || !(kind.equals("USAGE") || kind.equals("REVERSAL"))) {
                continue;
            }
            BigDecimal[] sums = lines.computeIfAbsent(e.get("model") + "|" + e.get("metric"),
                    k -> new BigDecimal[] { BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO });
            sums[0] = sums[0].add(BigDecimal.valueOf((Long) e.get("quantity")));
            Object revenue = e.get("settlementRevenue");
            sums[1] = sums[1].add(revenue == null ? BigDecimal.ZERO : new BigDecimal((String) revenue));
            sums[2] = sums[2].add(e.amount());
        }
        return lines;
    }

    static Map<String, BigDecimal> expectedAdjustments(List<EntryFixtures.Entry> entries, String period) {
        Map<String, BigDecimal> out = new TreeMap<>();
        for (EntryFixtures.Entry e : entries) {
            String kind = (String) e.get("kind");
            if (period.equals(e.get("period")) && !List.of("USAGE", "REVERSAL", "PERIOD_CLOSED").contains(kind)) {
                out.merge(kind, e.amount(), BigDecimal::add);
            }
        }
        return out;
    }

    static String scale8(BigDecimal v) {
        return v.setScale(8, RoundingMode.UNNECESSARY).toPlainString();
    }

    @Test
    void everyFigureOfTheStatementEqualsTheIndependentlyComputedOne() {
        List<EntryFixtures.Entry> entries = scenario();
        Publisher.partner(P, "USD");
        Publisher.entries(entries);
        Publisher.awaitApplied(P, entries.size());

        JsonPath s = given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/partners/" + P + "/statements/" + PERIOD)
                .then().statusCode(200).contentType("application/json").extract().jsonPath();

        Map<String, BigDecimal[]> lines = expectedLines(entries, PERIOD);
        List<Map<String, Object>> served = s.getList("lines");
        assertEquals(lines.size(), served.size(), "one line per model and metric");
        int i = 0;
        for (Map.Entry<String, BigDecimal[]> line : lines.entrySet()) {
            Map<String, Object> got = served.get(i++);
            assertEquals(line.getKey(), got.get("model") + "|" + got.get("metric"), "lines sorted by model, metric");
            assertEquals(line.getValue()[0].toPlainString(), got.get("quantity"), line.getKey() + " quantity");
            BigDecimal revenue = line.getValue()[1];
            assertEquals(revenue.scale() > 8 ? revenue.stripTrailingZeros().toPlainString() : scale8(revenue),
                    got.get("revenue"), line.getKey() + " revenue");
            assertEquals(scale8(line.getValue()[2]), got.get("amount"), line.getKey() + " amount");
        }
        // the same, written out, so a wrong expectation function cannot hide a wrong figure
        assertEquals(Map.of("model", M70, "metric", "input_tokens", "quantity", "2000000", "revenue", "2.00000000",
                "amount", "0.24000000"), served.get(0));
        assertEquals(Map.of("model", M70, "metric", "output_tokens", "quantity", "125001", "revenue",
                "1.875000075894", "amount", "0.28125001"), served.get(1));
        assertEquals(Map.of("model", M8, "metric", "requests", "quantity", "7", "revenue", "0.00000000",
                "amount", "0.00000003"), served.get(2));

        Map<String, BigDecimal> adjustments = expectedAdjustments(entries, PERIOD);
        List<Map<String, Object>> servedAdjustments = s.getList("adjustments");
        assertEquals(List.of("LATE_USAGE", "TIER_TRUE_UP", "MINIMUM_TRUE_UP", "CAP_ADJUSTMENT", "MANUAL_ADJUSTMENT"),
                servedAdjustments.stream().map(a -> a.get("kind")).toList(), "one per kind present, in kind order");
        for (Map<String, Object> a : servedAdjustments) {
            assertEquals(scale8(adjustments.get((String) a.get("kind"))), a.get("amount"), (String) a.get("kind"));
        }
        assertEquals("0.00000003", servedAdjustments.get(1).get("amount"));

        BigDecimal total = entries.stream().filter(e -> PERIOD.equals(e.get("period")))
                .map(EntryFixtures.Entry::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        BigDecimal linesPlusAdjustments = lines.values().stream().map(v -> v[2]).reduce(BigDecimal.ZERO,
                BigDecimal::add).add(adjustments.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add));
        assertEquals(0, total.compareTo(linesPlusAdjustments));
        assertEquals(scale8(total), s.getString("total"));
        assertEquals("9987.24000001", s.getString("total"));
        assertEquals(total.setScale(2, RoundingMode.HALF_EVEN).toPlainString(), s.getString("amountDue"));
        assertEquals("9987.24", s.getString("amountDue"));
        // USAGE 1,2,3,4,6 + LATE_USAGE 8 - REVERSAL 5 = 5 events in the period
        long events = entries.stream().filter(e -> PERIOD.equals(e.get("period"))).mapToLong(e -> switch (
                (String) e.get("kind")) {
            case "USAGE", "LATE_USAGE" -> 1;
            case "REVERSAL" -> -1;
            default -> 0;
        }).sum();
        assertEquals(events, s.getLong("eventCount"));
        assertEquals(5, s.getLong("eventCount"));
        assertEquals("CLOSED", s.getString("status"));
        assertEquals("2026-11-01T00:10:00.500Z", s.getString("closedAt"));
        assertEquals("USD", s.getString("currency"));
        assertEquals(P, s.getString("partnerId"));
        assertEquals(PERIOD, s.getString("period"));

        // the other period only has its own entry and is still open
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + P + "/statements/2026-11")
                .then().statusCode(200).body("status", org.hamcrest.Matchers.is("OPEN"))
                .body("closedAt", org.hamcrest.Matchers.nullValue())
                .body("total", org.hamcrest.Matchers.is("5.00000000"))
                .body("amountDue", org.hamcrest.Matchers.is("5.00"));

        // the overview row agrees with the statement
        JsonPath overview = given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/periods/" + PERIOD)
                .then().statusCode(200).extract().jsonPath();
        String row = "find { it.partnerId == '" + P + "' }";
        assertEquals(s.getString("total"), overview.getString(row + ".total"));
        assertEquals(s.getString("amountDue"), overview.getString(row + ".amountDue"));
        assertEquals("CLOSED", overview.getString(row + ".status"));
        assertEquals("0.52125004", overview.getString(row + ".usageAmount"));
        assertEquals(scale8(adjustments.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add)),
                overview.getString(row + ".adjustmentsAmount"));
        assertEquals(Map.of("input_tokens", "2000000", "output_tokens", "125001", "requests", "7"),
                overview.getMap(row + ".quantities"));
        assertEquals(5, overview.getInt(row + ".eventCount"));

        // CSV: the same figures, by suffix and by Accept header, byte for byte the same document
        Response csv = given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/partners/" + P + "/statements/" + PERIOD + ".csv");
        assertEquals(200, csv.statusCode());
        assertTrue(csv.contentType().startsWith("text/csv"), csv.contentType());
        assertTrue(csv.contentType().toLowerCase().contains("charset=utf-8"), csv.contentType());
        String byAccept = given().auth().oauth2(TestTokens.finance()).accept("text/csv")
                .get("/api/v1/reports/partners/" + P + "/statements/" + PERIOD).then().statusCode(200)
                .contentType(org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        String bySuffix = new String(csv.asByteArray(), StandardCharsets.UTF_8);
        assertEquals(bySuffix, byAccept);

        List<List<String>> rows = Csv.parse(bySuffix);
        assertEquals(List.of("section", "kind", "model", "metric", "quantity", "revenue", "amount"), rows.get(0));
        assertEquals(1 + served.size() + servedAdjustments.size() + 2, rows.size());
        for (int k = 0; k < served.size(); k++) {
            Map<String, Object> line = served.get(k);
            assertEquals(List.of("line", "", line.get("model"), line.get("metric"), line.get("quantity"),
                    line.get("revenue"), line.get("amount")), rows.get(1 + k));
        }
        for (int k = 0; k < servedAdjustments.size(); k++) {
            Map<String, Object> a = servedAdjustments.get(k);
            assertEquals(List.of("adjustment", a.get("kind"), "", "", "", "", a.get("amount")),
                    rows.get(1 + served.size() + k));
        }
        assertEquals(List.of("total", "", "", "", "", "", s.getString("total")), rows.get(rows.size() - 2));
        assertEquals(List.of("amountDue", "", "", "", "", "", s.getString("amountDue")), rows.get(rows.size() - 1));
        // round trip: the CSV's amounts sum to its total exactly
        BigDecimal csvSum = rows.subList(1, rows.size() - 2).stream().map(r -> new BigDecimal(r.get(6)))
                .reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, csvSum.compareTo(new BigDecimal(rows.get(rows.size() - 2).get(6))));
    }

    @Test
    void csvNeutralisesFormulaCellsButKeepsNegativeNumbersExact() {
        String p = "st-inject";
        Publisher.partner(p, "EUR");
        String hyperlink = "=HYPERLINK(\"http://evil.example\",\"click\")";
        List<EntryFixtures.Entry> entries = List.of(
                EntryFixtures.usage(p, 1, PERIOD, hyperlink, "requests", 1, "1.00000000", null, "EUR"),
                EntryFixtures.usage(p, 2, PERIOD, "+cmd|' /C calc'!A0", "requests", 2, "2.00000000", null, "EUR"),
                EntryFixtures.usage(p, 3, PERIOD, "-2+3", "requests", 3, "3.00000000", null, "EUR"),
                EntryFixtures.usage(p, 4, PERIOD, "@SUM(A1:A9)", "requests", 4, "4.00000000", null, "EUR"),
                EntryFixtures.usage(p, 5, PERIOD, "modèle-ü,ß", "requests", 5, "5.00000000", null, "EUR"));
        List<EntryFixtures.Entry> all = new ArrayList<>(entries);
        all.add(EntryFixtures.reversal(entries.get(4), 6));
        all.add(EntryFixtures.reversal(entries.get(4), 7).set("entryId", java.util.UUID.randomUUID().toString()));
        all.add(EntryFixtures.adjustment(p, 8, PERIOD, "MANUAL_ADJUSTMENT", "-20.12345678", "EUR"));
        Publisher.entries(all);
        Publisher.awaitApplied(p, all.size());

        byte[] bytes = given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/reports/partners/" + p + "/statements/" + PERIOD + ".csv").then().statusCode(200)
                .extract().asByteArray();
        String text = new String(bytes, StandardCharsets.UTF_8);
        List<List<String>> rows = Csv.parse(text);
        Map<String, List<String>> byModel = new TreeMap<>();
        rows.stream().filter(r -> r.get(0).equals("line")).forEach(r -> byModel.put(Csv.text(r.get(2)), r));

        // every text cell that a spreadsheet would evaluate starts with a quote
        for (List<String> row : rows) {
            for (int c : new int[] { 0, 1, 2, 3 }) {
                String cell = row.get(c);
                assertTrue(cell.isEmpty() || "=+-@".indexOf(cell.charAt(0)) < 0, "unneutralised cell " + cell);
            }
        }
        assertEquals("'" + hyperlink, byModel.get(hyperlink).get(2));
        assertEquals("'-2+3", byModel.get("-2+3").get(2));
        assertEquals("'@SUM(A1:A9)", byModel.get("@SUM(A1:A9)").get(2));
        assertEquals("'+cmd|' /C calc'!A0", byModel.get("+cmd|' /C calc'!A0").get(2));
        // the raw text shows the quoting of a cell with quotes and commas
        assertTrue(text.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\")\""), text);
        // UTF-8, and a comma inside a model is quoted
        assertTrue(text.contains("\"modèle-ü,ß\""), text);
        // negative numbers stay plain, exact decimals (USAGE 5 reversed twice: -5 on the line)
        assertEquals(List.of("line", "", "modèle-ü,ß", "requests", "-5", "0.00000000", "-5.00000000"),
                byModel.get("modèle-ü,ß"));
        List<String> manual = rows.stream().filter(r -> r.get(0).equals("adjustment")).findFirst().orElseThrow();
        assertEquals(List.of("adjustment", "MANUAL_ADJUSTMENT", "", "", "", "", "-20.12345678"), manual);
        BigDecimal expectedTotal = new BigDecimal("1").add(new BigDecimal("2")).add(new BigDecimal("3"))
                .add(new BigDecimal("4")).add(new BigDecimal("5")).subtract(new BigDecimal("10"))
                .subtract(new BigDecimal("20.12345678"));
        assertEquals(List.of("total", "", "", "", "", "", scale8(expectedTotal)), rows.get(rows.size() - 2));
        assertEquals("-15.12345678", rows.get(rows.size() - 2).get(6));
        assertEquals(List.of("amountDue", "", "", "", "", "", "-15.12"), rows.get(rows.size() - 1));
        // and the JSON statement keeps the original model text
        List<String> models = given().auth().oauth2(TestTokens.admin())
                .get("/api/v1/reports/partners/" + p + "/statements/" + PERIOD).then().statusCode(200)
                .extract().jsonPath().getList("lines.model");
        assertTrue(models.contains(hyperlink));
        assertNotEquals(0, models.size());
    }

    @Test
    void aPartnerKnownOnlyFromItsEntriesGetsZeroStatementsInTheEntriesCurrency() {
        String p = "st-unregistered";
        Publisher.entries(EntryFixtures.usage(p, 1, PERIOD, "m", "requests", 1, "1.23400000", null, "BHD"));
        Publisher.awaitApplied(p, 1);
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/statements/" + PERIOD)
                .then().statusCode(200).body("currency", org.hamcrest.Matchers.is("BHD"))
                .body("amountDue", org.hamcrest.Matchers.is("1.234"));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/statements/2020-01")
                .then().statusCode(200).body("currency", org.hamcrest.Matchers.is("BHD"))
                .body("total", org.hamcrest.Matchers.is("0.00000000"))
                .body("amountDue", org.hamcrest.Matchers.is("0.000"));
    }

    /**
     * A statement with thousands of lines (models are partners' strings: any number of them can be
     * rated by a "*" rule): every line exact, in code-point order of model then metric, the same in
     * JSON and CSV, and total = lines + adjustments.
     */
    @Test
    void aStatementWithThousandsOfLinesIsExactAndOrderedInJsonAndCsv() {
        String p = "st-wide";
        Publisher.partner(p, "USD");
        List<EntryFixtures.Entry> entries = new ArrayList<>();
        long seq = 0;
        String[] metrics = { "requests", "output_tokens", "input_tokens" };
        for (int i = 0; i < 1500; i++) {
            String model = (i % 3 == 0 ? "M" : "m") + Integer.toString(i * 7919 % 1500, 36) + (i % 5 == 0 ? "-x" : "");
            entries.add(EntryFixtures.usage(p, ++seq, PERIOD, model, metrics[i % 3], i + 1L,
                    BigDecimal.valueOf(i + 1L, 8).toPlainString(), BigDecimal.valueOf(2 * i, 8).toPlainString(),
                    "USD"));
        }
        entries.add(EntryFixtures.reversal(entries.get(7), ++seq));
        entries.add(EntryFixtures.adjustment(p, ++seq, PERIOD, "MANUAL_ADJUSTMENT", "-1.00000000", "USD"));
        Publisher.entries(entries);
        Publisher.awaitApplied(p, seq);

        // by model, then metric (not by the joined key: '|' sorts after letters)
        Map<String, BigDecimal[]> expected = new java.util.TreeMap<>(java.util.Comparator
                .comparing((String k) -> k.substring(0, k.indexOf('|'))).thenComparing(k -> k.substring(k.indexOf('|'))));
        expected.putAll(expectedLines(entries, PERIOD));
        JsonPath s = given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/partners/" + p + "/statements/" + PERIOD).then().statusCode(200)
                .contentType("application/json").extract().jsonPath();
        List<Map<String, Object>> lines = s.getList("lines");
        List<String> want = new ArrayList<>();
        expected.forEach((key, v) -> want.add(key + "|" + v[0].toPlainString() + "|" + scale8(v[1]) + "|"
                + scale8(v[2])));
        List<String> got = lines.stream().map(l -> l.get("model") + "|" + l.get("metric") + "|" + l.get("quantity")
                + "|" + l.get("revenue") + "|" + l.get("amount")).toList();
        assertEquals(want.size(), got.size());
        for (int k = 0; k < want.size(); k++) {
            assertEquals(want.get(k), got.get(k), "line " + k);
        }
        BigDecimal total = entries.stream().map(EntryFixtures.Entry::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(scale8(total), s.getString("total"));
        assertEquals(1500 - 1, s.getLong("eventCount"));

        List<List<String>> rows = Csv.parse(given().auth().oauth2(TestTokens.finance())
                .get("/api/v1/reports/partners/" + p + "/statements/" + PERIOD + ".csv").then().statusCode(200)
                .extract().asString());
        assertEquals(1 + lines.size() + 1 + 2, rows.size());
        for (int k = 0; k < lines.size(); k++) {
            Map<String, Object> l = lines.get(k);
            assertEquals(List.of("line", "", l.get("model"), l.get("metric"), l.get("quantity"), l.get("revenue"),
                    l.get("amount")), rows.get(k + 1));
        }
        assertEquals(List.of("total", "", "", "", "", "", scale8(total)), rows.get(rows.size() - 2));
    }
}
