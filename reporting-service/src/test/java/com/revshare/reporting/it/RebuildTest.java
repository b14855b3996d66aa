package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.reporting.persistence.ReadModels;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Rebuilding from offset 0 into a fresh schema yields byte-identical answers: every statement
 * (JSON and CSV) of every partner and period, overviews, summary, freshness, drill-down. Runs last,
 * so it replays everything the module's other tests published (including a permanent gap).
 */
@QuarkusTest
@Order(Integer.MAX_VALUE)
class RebuildTest {

    private static String get(String path) {
        return given().auth().oauth2(TestTokens.finance()).get(path).then().statusCode(200).extract().asString();
    }

    private static Map<String, String> snapshot() {
        Map<String, String> out = new LinkedHashMap<>();
        List<Map<String, Object>> pairs = given().auth().oauth2(TestTokens.finance())
                .queryParam("groupBy", "partner,period").get("/api/v1/reports/summary").then().statusCode(200)
                .extract().jsonPath().getList("$");
        Set<String> periods = new TreeSet<>();
        for (Map<String, Object> pair : pairs) {
            String base = "/api/v1/reports/partners/" + pair.get("partnerId") + "/statements/" + pair.get("period");
            out.put(base, get(base));
            out.put(base + ".csv", get(base + ".csv"));
            periods.add((String) pair.get("period"));
        }
        for (String period : periods) {
            out.put("periods/" + period, get("/api/v1/reports/periods/" + period));
        }
        out.put("summary", get("/api/v1/reports/summary?groupBy=partner,period,model,metric"));
        out.put("freshness", get("/api/v1/reports/freshness"));
        out.put("gaps-partners", given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/gaps").then()
                .extract().jsonPath().getList("partnerId").toString());
        for (Object partner : given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/freshness").then()
                .extract().jsonPath().getList("partnerId")) {
            String path = "/api/v1/reports/partners/" + partner + "/entries?limit=1000";
            out.put(path, get(path));
        }
        return out;
    }

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ReadModels readModels;

    @Test
    void aRebuildFromOffsetZeroGivesByteIdenticalAnswersAndTheLiveConsumerFollowsTheNewSchema() throws Exception {
        String p = "rb-x";
        Publisher.partner(p, "EUR");
        EntryFixtures.Entry u = EntryFixtures.usage(p, 1, "2026-06", "llama-3.1-70b-instruct", "output_tokens", 9,
                "0.33333333", "2.22222222", "EUR");
        Publisher.entries(u, EntryFixtures.reversal(u, 2),
                EntryFixtures.usage(p, 3, "2026-06", "llama-3.1-70b-instruct", "output_tokens", 9, "0.30000000",
                        "2.22222222", "EUR"),
                EntryFixtures.adjustment(p, 4, "2026-06", "MINIMUM_TRUE_UP", "99.70000000", "EUR"),
                EntryFixtures.periodClosed(p, 5, "2026-06", "EUR", Instant.parse("2026-07-01T00:00:01Z")),
                EntryFixtures.usage("rb-gap", 1, "2026-06", "m", "requests", 1, "1.00000000", null, "EUR"),
                EntryFixtures.usage("rb-gap", 3, "2026-06", "m", "requests", 1, "3.00000000", null, "EUR"));
        Publisher.awaitApplied(p, 5);
        Publisher.awaitApplied("rb-gap", 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/api/v1/reports/gaps").contains("rb-gap"));

        // a rebuild killed mid-run left its half-filled generation and a RUNNING record behind
        String orphan = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String schema = readModels.createGeneration(c);
                try (Statement st = c.createStatement()) {
                    st.execute("insert into rebuild_run (target_schema, previous_schema, state, started_at) values ('"
                            + schema + "', '" + readModels.active(c) + "', 'RUNNING', now())");
                }
                return schema;
            }
        });

        Map<String, String> before = snapshot();
        long appliedEntries = given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/freshness").then()
                .extract().jsonPath().getList("sequence", Long.class).stream().mapToLong(Long::longValue).sum();

        JsonPath started = given().auth().oauth2(TestTokens.admin()).post("/api/v1/reports/rebuild").then()
                .statusCode(202).extract().jsonPath();
        assertEquals("RUNNING", started.getString("state"));
        String target = started.getString("targetSchema");
        assertNotEquals(started.getString("previousSchema"), target);

        List<String> states = new ArrayList<>();
        long[] maxLag = { 0 };
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            JsonPath progress = given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/rebuild").then()
                    .statusCode(200).extract().jsonPath();
            states.add(progress.getString("state"));
            Object lag = progress.get("lag");
            if (lag != null) {
                maxLag[0] = Math.max(maxLag[0], ((Number) lag).longValue());
            }
            assertNotEquals("FAILED", progress.getString("state"), () -> progress.prettify());
            return "COMPLETED".equals(progress.getString("state"));
        });
        JsonPath done = given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/rebuild").then()
                .extract().jsonPath();
        assertEquals(target, done.getString("targetSchema"));
        assertEquals(appliedEntries, done.getLong("entriesApplied"), "every applied entry applied once more");
        assertTrue(done.getLong("recordsRead") >= appliedEntries);
        assertEquals(0, done.getLong("lag"));
        double seconds = Duration.between(Instant.parse(done.getString("startedAt")),
                Instant.parse(done.getString("finishedAt"))).toMillis() / 1000.0;
        System.out.printf(java.util.Locale.ROOT, "%n[benchmark] rebuild applied %d entries (%d records) in %.2f s: "
                + "%.0f entries/s; states seen %s, max lag seen %d%n%n", done.getLong("entriesApplied"),
                done.getLong("recordsRead"), seconds, done.getLong("entriesApplied") / seconds,
                new TreeSet<>(states), maxLag[0]);

        // the previous generation is kept for rollback; the orphan is gone and its run marked failed
        try (Connection c = dataSource.getConnection()) {
            assertEquals(List.of(started.getString("previousSchema"), target), readModels.generations(c));
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(
                    "select state from rebuild_run where target_schema = '" + orphan + "'")) {
                assertTrue(rs.next());
                assertEquals("FAILED", rs.getString(1));
            }
        }

        Map<String, String> after = snapshot();
        assertEquals(before.keySet(), after.keySet());
        before.forEach((path, body) -> assertEquals(body, after.get(path), "byte-identical " + path));
        assertTrue(before.size() > 8, "compared " + before.size() + " answers");

        // the live consumer now writes into the new generation
        Publisher.entries(EntryFixtures.usage(p, 6, "2026-06", "m", "requests", 1, "0.00000001", null, "EUR"));
        Publisher.awaitApplied(p, 6);
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/partners/" + p + "/statements/2026-06")
                .then().statusCode(200).body("total", org.hamcrest.Matchers.is("100.00000001"));
        given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/rebuild").then()
                .body("state", org.hamcrest.Matchers.is("COMPLETED"));
    }
}
