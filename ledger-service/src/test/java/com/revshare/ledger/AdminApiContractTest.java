package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UsageEvent;

import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

/**
 * SPEC §5, §7 and §8 as an outsider sees them: problem details on every error (401 and 403 too),
 * a new partner's balance, literal glob characters, 400 details naming the full field path,
 * minor units of JPY and BHD, and an FX rate that arrives while a batch is being stored.
 */
@QuarkusTest
class AdminApiContractTest {
    @Inject
    LedgerService ledger;
    @Inject
    AgroalDataSource dataSource;

    private static void problem(ValidatableResponse r, int status) {
        r.statusCode(status).contentType("application/problem+json").body("status", equalTo(status))
                .body("type", notNullValue()).body("title", notNullValue()).body("detail", notNullValue());
    }

    @Test
    void unauthenticatedAndWrongRoleAnswersAreProblemDetails() {
        Fixtures.partner("api-auth", "USD");
        problem(given().get("/api/v1/partners/api-auth/balance").then(), 401);
        problem(given().header("Authorization", "Bearer not-a-jwt").get("/api/v1/partners/api-auth/balance").then(),
                401);
        problem(given().header("Authorization", "Bearer " + com.revshare.infra.TestTokens.partner("api-auth"))
                .get("/api/v1/partners/api-auth/balance").then(), 403);
        problem(given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"period\":\"2026-01\",\"amount\":\"1\",\"memo\":\"m\"}")
                .post("/api/v1/partners/api-auth/adjustments").then(), 403);
        problem(given().header("Authorization", Fixtures.finance()).contentType(ContentType.JSON)
                .body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1.1\"}").put("/api/v1/fx-rates/2026-01-01")
                .then(), 403);
        problem(given().header("Authorization", Fixtures.admin()).get("/api/v1/partners/api-nobody/unrated").then(),
                404);
    }

    @Test
    void theOpenApiDocumentHasAUniqueOperationIdPerOperation() {
        List<String> ids = given().queryParam("format", "json").get("/q/openapi").then().statusCode(200).extract()
                .jsonPath().getList("paths.collect { it.value.collect { it.value.operationId } }.flatten()");
        assertThat(ids.size(), is(new java.util.HashSet<>(ids).size()));
        // SPEC §5 v2: 13 registry/agreement/period/unrated/balance operations, payments POST and GET, the
        // period proof, the audit trail; plus the operator view of unreadable records
        assertThat(ids.size(), is(17));
    }

    @Test
    void aNewPartnersBalanceHasLastSequenceZeroAndNoMoney() {
        Fixtures.partner("api-fresh", "EUR");
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/api-fresh/balance").then()
                .statusCode(200).body("partnerId", equalTo("api-fresh")).body("currency", equalTo("EUR"))
                .body("receivable", equalTo("0.00000000")).body("lastSequence", equalTo(0))
                .body("unratedCount", equalTo(0)).body("periods", empty());
        given().header("Authorization", Fixtures.admin()).get("/api/v1/partners/api-fresh/unrated").then()
                .statusCode(200).body("$", empty());
    }

    @Test
    void modelGlobsTreatEveryCharacterButStarLiterally() {
        String p = "api-glob";
        Fixtures.partner(p, "USD");
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body("""
                {"effectiveFrom":"2026-04-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"q","model":"llama-3.?-8b","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1},
                          {"id":"b","model":"[m]istral*","metric":"*","type":"PER_UNIT","unitPrice":"2","unitSize":1},
                          {"id":"s","model":"gemma*","metric":"*","type":"PER_UNIT","unitPrice":"3","unitSize":1}]}""")
                .post("/api/v1/partners/" + p + "/agreements").then().statusCode(201).body("version", equalTo(1))
                .body("rules[0].model", equalTo("llama-3.?-8b"));
        ledger.recordUsage(List.of(usage(p, "g-1", "2026-04-02T00:00:00Z", "llama-3.1-8b", 5, null),
                usage(p, "g-2", "2026-04-02T00:00:01Z", "mistral-7b", 5, null),
                usage(p, "g-3", "2026-04-02T00:00:02Z", "gemma-2b", 5, null)));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/unrated").then()
                .statusCode(200).body("eventId", contains("g-1", "g-2"))
                .body("reason", contains("NO_MATCHING_RULE", "NO_MATCHING_RULE"));
        given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("receivable", equalTo("15.00000000"));
    }

    @Test
    void validationDetailsNameTheFullFieldPath() {
        String p = "api-valid";
        Fixtures.partner(p, "USD");
        String tiered = """
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"t","model":"*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"VOLUME",
                           "tiers":[{"upTo":100,"unitPrice":"1","unitSize":1},%s]}]}""";
        String[][] cases = {
            {String.format(tiered, "{\"upTo\":200,\"unitPrice\":\"1\",\"unitSize\":1}"), "rules[0].tiers[1].upTo"},
            {String.format(tiered, "{\"upTo\":null,\"unitPrice\":\"1\",\"unitSize\":3}"), "rules[0].tiers[1].unitSize"},
            {String.format(tiered, "{\"upTo\":null,\"unitPrice\":\"-1\",\"unitSize\":1}"),
                "rules[0].tiers[1].unitPrice"},
            {"""
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","rules":[
                 {"id":"a","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1},
                 {"id":"a","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"1","unitSize":1}]}""",
                "rules[1].id"},
            {"""
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","monthlyMinimum":"10","monthlyCap":"5",
                 "rules":[]}""", "monthlyMinimum"},
            {"""
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD","rules":[
                 {"id":"r","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.1234567890123"}]}""",
                "rules[0].rate"},
        };
        for (String[] c : cases) {
            given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON).body(c[0])
                    .post("/api/v1/partners/" + p + "/agreements").then().statusCode(400)
                    .contentType("application/problem+json").body("field", equalTo(c[1]))
                    .body("detail", containsString(c[1]));
        }
    }

    @Test
    void amountDueHasTheMinorUnitOfJpyAndBhdRoundedHalfEven() {
        for (String[] c : new String[][] {{"api-jpy", "JPY", "1000.5", "1000"}, {"api-bhd", "BHD", "1.2345", "1.234"},
            {"api-usd", "USD", "0.125", "0.12"}}) {
            Fixtures.partner(c[0], c[1]);
            Fixtures.agreement(c[0], "{\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"currency\":\"" + c[1]
                    + "\",\"monthlyMinimum\":\"" + c[2] + "\",\"rules\":[]}");
            given().header("Authorization", Fixtures.admin()).post("/api/v1/partners/" + c[0] + "/periods/2026-01/close")
                    .then().statusCode(200).body("status", equalTo("CLOSED"))
                    .body("total", equalTo(new BigDecimal(c[2]).setScale(8).toPlainString()))
                    .body("amountDue", equalTo(c[3]));
            given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + c[0] + "/balance").then()
                    .body("periods[0].amountDue", equalTo(c[3])).body("periods[0].status", equalTo("CLOSED"))
                    .body("lastSequence", equalTo(2));
        }
    }

    /**
     * A batch that read "no rate" and parks an event with NO_FX_RATE, but commits only after the
     * rate's PUT: the event must still be rated (SPEC §3.3 "then rated automatically"). The batch
     * is held just before its commit by a lock the test keeps on the partner's tier counter.
     */
    @Test
    void anFxRateSetWhileABatchIsBeingStoredStillRatesTheEventItParks() throws Exception {
        String p = "api-fxrace";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-05-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"t","model":"llama*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"GRADUATED",
                           "tiers":[{"upTo":null,"unitPrice":"1","unitSize":1}]},
                          {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.5"}]}""");
        ledger.recordUsage(List.of(usage(p, "x-0", "2026-05-02T00:00:00Z", "llama-3", 1, null)));
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try (Connection blocker = dataSource.getConnection()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement ps = blocker.prepareStatement(
                    "select basis from tier_counter where partner_id = ? for update")) {
                ps.setString(1, p);
                ps.executeQuery().close();
            }
            Future<LedgerService.BatchOutcome> batch = pool.submit(() -> ledger.recordUsage(List.of(
                    usage(p, "x-1", "2026-05-03T00:00:00Z", "llama-3", 1, null),
                    usage(p, "x-2", "2026-05-04T00:00:00Z", "mistral-7b", 1, new Revenue(new BigDecimal("10"), "EUR")))));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> waitingLocks() >= 1);
            Future<Integer> put = pool.submit(() -> given().header("Authorization", Fixtures.admin())
                    .contentType(ContentType.JSON).body("{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":\"1.2\"}")
                    .put("/api/v1/fx-rates/2026-05-04").then().extract().statusCode());
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> put.isDone() || waitingLocks() >= 2);
            blocker.rollback();
            assertThat(batch.get(30, TimeUnit.SECONDS).parked(), is(1));
            assertThat(put.get(30, TimeUnit.SECONDS), is(201));
        } finally {
            pool.shutdownNow();
        }
        Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> given()
                .header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + p + "/balance").then()
                .body("unratedCount", equalTo(0)).body("receivable", equalTo("8.00000000"))); // 1 + 1 + 10 × 1.2 × 0.5
    }

    private long waitingLocks() throws Exception {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps = c.prepareStatement("select count(*) from pg_locks where not granted");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static UsageEvent usage(String partner, String id, String time, String model, long quantity,
            Revenue revenue) {
        return new UsageEvent(partner, id, Instant.parse(time), model, "input_tokens", quantity, revenue, null);
    }

    @Test
    void aValueOfTheWrongJsonTypeIsA400NamingItsFieldAndNeverCoerced() {
        // given a partner with an agreement
        String p = "api-types";
        Fixtures.partner(p, "USD");
        String[][] cases = {
            // body, method, path, field
            {"{\"name\":5,\"currency\":\"USD\"}", "PUT", "/api/v1/partners/" + p, "name"},
            {"{\"name\":\"n\",\"currency\":\"USD\",\"paymentTermsDays\":\"30\"}", "PUT", "/api/v1/partners/" + p,
                "paymentTermsDays"},
            {"{\"name\":\"n\",\"currency\":\"USD\",\"paymentTermsDays\":30.0}", "PUT", "/api/v1/partners/" + p,
                "paymentTermsDays"},
            {"{\"name\":\"n\",\"currency\":\"USD\",\"paymentTermsDays\":2147483648}", "PUT",
                "/api/v1/partners/" + p, "paymentTermsDays"},
            {"{\"base\":\"EUR\",\"quote\":[\"USD\"],\"rate\":\"1.1\"}", "PUT", "/api/v1/fx-rates/2026-01-02", "quote"},
            {"{\"base\":\"EUR\",\"quote\":\"USD\",\"rate\":true}", "PUT", "/api/v1/fx-rates/2026-01-02", "rate"},
            {"{\"period\":202601,\"amount\":\"1\",\"memo\":\"m\"}", "POST", "/api/v1/partners/" + p + "/adjustments",
                "period"},
            {"{\"paymentId\":\"x\",\"amount\":{\"value\":\"1\"},\"currency\":\"USD\",\"receivedOn\":\"2026-01-02\"}",
                "POST", "/api/v1/partners/" + p + "/payments", "amount"},
            {"{\"memo\":false}", "POST", "/api/v1/partners/" + p + "/unrated/e-1/write-off", "memo"},
            {"{\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\",\"rules\":{}}", "POST",
                "/api/v1/partners/" + p + "/agreements", "rules"},
            {"{\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\",\"rules\":[5]}", "POST",
                "/api/v1/partners/" + p + "/agreements", "rules[0]"},
            {"{\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\",\"rules\":[{\"id\":\"t\",\"model\":\"*\","
                + "\"metric\":\"*\",\"type\":\"TIERED\",\"basis\":\"QUANTITY\",\"mode\":\"VOLUME\",\"tiers\":"
                + "[{\"upTo\":100,\"unitPrice\":\"1\",\"unitSize\":1},{\"upTo\":true}]}]}", "POST",
                "/api/v1/partners/" + p + "/agreements", "rules[0].tiers[1].upTo"},
            {"{\"effectiveFrom\":\"2026-01-01T00:00:00Z\",\"currency\":\"USD\",\"rules\":[{\"id\":7}]}", "POST",
                "/api/v1/partners/" + p + "/agreements", "rules[0].id"},
            {"[]", "POST", "/api/v1/partners/" + p + "/adjustments", "body"},
            {"{\"memo\":", "POST", "/api/v1/partners/" + p + "/unrated/e-1/write-off", "body"},
            {" ", "POST", "/api/v1/partners/" + p + "/payments", "body"},
        };
        for (String[] c : cases) {
            // when
            ValidatableResponse r = given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                    .body(c[0]).request(c[1], c[2]).then();
            // then
            r.statusCode(400).contentType("application/problem+json").body("field", equalTo(c[3]))
                    .body("detail", containsString(c[3]));
        }
        // and a decimal given as a JSON number is taken as its exact text
        given().header("Authorization", Fixtures.admin()).contentType(ContentType.JSON)
                .body("{\"base\":\"CHF\",\"quote\":\"USD\",\"rate\":1.1000000001}").put("/api/v1/fx-rates/2026-01-03")
                .then().statusCode(201).body("rate", equalTo("1.1000000001"));
    }

    @Test
    void theOpenApiDocumentNamesTheSchemaOfEveryRequestBody() {
        // given the OpenAPI document
        io.restassured.path.json.JsonPath doc = given().queryParam("format", "json").get("/q/openapi").then()
                .statusCode(200).extract().jsonPath();
        String[][] bodies = {
            {"/api/v1/partners/{id}", "put", "PartnerBody", "name,currency,paymentTermsDays"},
            {"/api/v1/fx-rates/{date}", "put", "FxRateBody", "base,quote,rate"},
            {"/api/v1/partners/{id}/adjustments", "post", "AdjustmentBody", "period,amount,memo"},
            {"/api/v1/partners/{id}/payments", "post", "PaymentBody", "paymentId,amount,currency,receivedOn,reference"},
            {"/api/v1/partners/{id}/unrated/{eventId}/write-off", "post", "WriteOffBody", "memo"},
            {"/api/v1/partners/{id}/agreements", "post", "AgreementBody",
                "effectiveFrom,effectiveTo,currency,monthlyMinimum,monthlyCap,rules"},
        };
        java.util.Map<String, Object> paths = doc.getMap("paths");
        java.util.Map<String, Object> schemas = doc.getMap("components.schemas");
        for (String[] b : bodies) {
            // then the operation's body refers to its DTO's schema
            java.util.Map<?, ?> content = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) ((java.util.Map<?, ?>) paths
                    .get(b[0])).get(b[1])).get("requestBody")).get("content");
            java.util.Map<?, ?> schema = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) content.get("application/json"))
                    .get("schema");
            assertThat(b[0], schema.get("$ref"), is("#/components/schemas/" + b[2]));
            // and that schema names the members of the body
            java.util.Map<?, ?> properties = (java.util.Map<?, ?>) ((java.util.Map<?, ?>) schemas.get(b[2]))
                    .get("properties");
            assertThat(b[2], new java.util.TreeSet<>(properties.keySet()),
                    is(new java.util.TreeSet<>(List.of(b[3].split(",")))));
        }
        assertThat(((java.util.Map<?, ?>) ((java.util.Map<?, ?>) schemas.get("RuleBody")).get("properties"))
                .containsKey("tiers"), is(true));
        assertThat(((java.util.Map<?, ?>) ((java.util.Map<?, ?>) schemas.get("TierBody")).get("properties"))
                .containsKey("upTo"), is(true));
    }
}
