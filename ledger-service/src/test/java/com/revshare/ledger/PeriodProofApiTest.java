package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.PeriodProof;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.persistence.EntryRepository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * SPEC §4.1 through the API: the proof of each period of a partner with every kind of history (usage across
 * a tier boundary, an event parked for an FX rate and rated when it is set, a write-off, an adjustment, a
 * re-rating version applied in chunks, payments, closes with true-ups and a minimum, a late event) is the
 * SHA-256 of its stored entries, and the replay from the recorded inputs through the decider matches; after
 * an entry is tampered with in the database (as the superuser, with triggers disabled for that session),
 * the hash changes and the replay no longer matches.
 */
@QuarkusTest
class PeriodProofApiTest {
    private static final String P = "proof-a";

    @Inject
    LedgerService ledger;
    @Inject
    EntryRepository entries;
    @Inject
    AgroalDataSource dataSource;

    private static UsageEvent event(String id, String time, String model, long quantity, String revenue,
            String currency) {
        return new UsageEvent(P, id, Instant.parse(time), model, "output_tokens", quantity,
                revenue == null ? null : new Revenue(new BigDecimal(revenue), currency), null);
    }

    private static JsonPath proof(String period) {
        return given().header("Authorization", Fixtures.finance())
                .get("/api/v1/partners/" + P + "/periods/" + period + "/proof").then().statusCode(200).extract()
                .jsonPath();
    }

    private static void admin(String method, String path, String body, int status) {
        var request = given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON);
        if (body != null) {
            request = request.body(body);
        }
        (method.equals("PUT") ? request.put(path) : request.post(path)).then().statusCode(status);
    }

    private PeriodProof.Result stored(String period) throws Exception {
        try (var c = dataSource.getConnection()) {
            PeriodProof proof = new PeriodProof();
            for (LedgerEntry e : entries.periodEntries(c, P, YearMonth.parse(period))) {
                proof.add(e);
            }
            return proof.result();
        }
    }

    @Test
    void everyPeriodsProofIsTheHashOfItsEntriesAndTheReplayMatchesUntilAnEntryIsTampered() throws Exception {
        String base = "/api/v1/partners/" + P;
        Fixtures.partner(P, "USD");
        Fixtures.agreement(P, """
                {"effectiveFrom":"2026-09-01T00:00:00Z","currency":"USD","monthlyMinimum":"50",
                 "rules":[{"id":"t","model":"llama*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"GRADUATED",
                           "tiers":[{"upTo":1000,"unitPrice":"0.01","unitSize":1},{"upTo":null,"unitPrice":"0.005","unitSize":1}]},
                          {"id":"rev","model":"gpt*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.1"}]}""");
        ledger.recordUsage(List.of(event("s-1", "2026-09-02T00:00:00Z", "llama-3", 600, null, null),
                event("s-2", "2026-09-03T00:00:00Z", "llama-3", 700, null, null),
                event("s-3", "2026-09-17T10:00:00Z", "gpt-4", 1, "10.00", "CHF"),
                event("s-4", "2026-09-05T00:00:00Z", "mistral", 5, null, null)));
        ledger.recordUsage(List.of(event("o-1", "2026-10-03T00:00:00Z", "llama-3", 500, null, null),
                event("o-2", "2026-10-20T00:00:00Z", "llama-3", 50, null, null),
                event("o-3", "2026-10-21T00:00:00Z", "gpt-4", 1, "20", "USD"),
                event("o-4", "2026-10-22T00:00:00Z", "llama-3", 300, null, null),
                event("o-5", "2026-10-23T00:00:00Z", "llama-3", 50, null, null)));
        admin("PUT", "/api/v1/fx-rates/2026-09-17", "{\"base\":\"CHF\",\"quote\":\"USD\",\"rate\":\"1.1\"}", 201);
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON).body("{\"memo\":\"no rule\"}")
                .post(base + "/unrated/s-4/write-off").then().statusCode(200);
        admin("POST", base + "/adjustments", "{\"period\":\"2026-09\",\"amount\":\"3\",\"memo\":\"credit\"}", 201);
        Fixtures.agreement(P, """
                {"effectiveFrom":"2026-10-15T00:00:00Z","currency":"USD",
                 "rules":[{"id":"t","model":"llama*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"VOLUME",
                           "tiers":[{"upTo":100,"unitPrice":"0.02","unitSize":1},{"upTo":null,"unitPrice":"0.015","unitSize":1}]},
                          {"id":"rev","model":"gpt*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.2"}]}""");
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"paymentId\":\"pr-1\",\"amount\":\"100\",\"currency\":\"USD\",\"receivedOn\":\"2026-09-30\"}")
                .post(base + "/payments").then().statusCode(201).body("period", equalTo("2026-09"));
        admin("POST", base + "/periods/2026-09/close", null, 200);
        ledger.recordUsage(List.of(event("s-late", "2026-09-10T00:00:00Z", "llama-3", 100, null, null)));
        given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"paymentId\":\"pr-2\",\"amount\":\"5.25\",\"currency\":\"USD\",\"receivedOn\":\"2026-11-01\"}")
                .post(base + "/payments").then().statusCode(201).body("period", equalTo("2026-10"));
        admin("POST", base + "/periods/2026-10/close", null, 200);
        admin("POST", base + "/periods/2026-11/close", null, 200);
        ledger.recordUsage(List.of(event("d-1", "2026-12-01T00:00:00Z", "llama-3", 10, null, null)));

        // then: every kind appears, and each period's proof is its stored entries' hash with a matching replay
        try (var c = dataSource.getConnection()) {
            List<String> kinds = entries.entriesAfter(c, P, 0, 1000).stream().map(e -> e.kind().name()).toList();
            assertThat(kinds, hasItems("USAGE", "REVERSAL", "TIER_TRUE_UP", "MINIMUM_TRUE_UP", "MANUAL_ADJUSTMENT",
                    "PAYMENT", "LATE_USAGE", "PERIOD_CLOSED"));
        }
        for (String period : List.of("2026-09", "2026-10", "2026-11", "2026-12")) {
            JsonPath proof = proof(period);
            PeriodProof.Result expected = stored(period);
            assertThat(period, proof.getString("sha256"), is(expected.sha256()));
            assertThat(period, proof.getLong("entryCount"), is(expected.entryCount()));
            assertThat(period, proof.getBoolean("replayMatches"), is(true));
            assertThat(proof.getString("partnerId"), is(P));
            assertThat(proof.getString("period"), is(period));
            assertThat(proof.getString("status"), is(period.equals("2026-12") ? "OPEN" : "CLOSED"));
        }
        JsonPath september = proof("2026-09");
        assertThat(september.getLong("entryCount"), greaterThan(5L));
        assertThat(september.getLong("firstSequence"), is(1L));
        // a period with no entries: count 0, null sequences, the hash of the empty text (still replayed)
        JsonPath empty = proof("2027-01");
        assertThat(empty.getLong("entryCount"), is(0L));
        assertThat(empty.get("firstSequence"), nullValue());
        assertThat(empty.get("lastSequence"), nullValue());
        assertThat(empty.getString("sha256"), is("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
        assertThat(empty.getBoolean("replayMatches"), is(true));

        // when an October entry is tampered with (the append-only trigger bypassed by the superuser)
        String octoberBefore = proof("2026-10").getString("sha256");
        long tampered = proof("2026-10").getLong("firstSequence");
        try (var c = dataSource.getConnection(); var s = c.createStatement()) {
            s.execute("set session_replication_role = replica");
            s.executeUpdate("update ledger_entry set amount = amount + 1 where partner_id = '" + P
                    + "' and sequence = " + tampered);
            s.execute("set session_replication_role = origin");
        }
        try {
            // then October's hash changes and its replay no longer matches; September is untouched
            JsonPath october = proof("2026-10");
            assertThat(october.getString("sha256"), not(octoberBefore));
            assertThat(october.getString("sha256"), is(stored("2026-10").sha256()));
            assertThat(october.getBoolean("replayMatches"), is(false));
            assertThat(proof("2026-09").getBoolean("replayMatches"), is(true));
        } finally {
            try (var c = dataSource.getConnection(); var s = c.createStatement()) {
                s.execute("set session_replication_role = replica");
                s.executeUpdate("update ledger_entry set amount = amount - 1 where partner_id = '" + P
                        + "' and sequence = " + tampered);
                s.execute("set session_replication_role = origin");
            }
        }
        assertThat(proof("2026-10").getBoolean("replayMatches"), is(true));
        // roles and errors
        given().header("Authorization", "Bearer " + com.revshare.infra.TestTokens.partner(P))
                .get(base + "/periods/2026-09/proof").then().statusCode(403);
        given().header("Authorization", Fixtures.admin()).get(base + "/periods/2026-9/proof").then().statusCode(400);
        given().header("Authorization", Fixtures.admin()).get("/api/v1/partners/proof-nobody/periods/2026-09/proof")
                .then().statusCode(404);
    }
}
