package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * SPEC §2.7: a partner's intake counts and its stored rejections, by both ways in, with the claim rules,
 * the access rules (finance, admin, the partner itself; other partners 403; unknown 404) and paging.
 */
@QuarkusTest
class IntakeApiTest {
    @Inject
    PartnerRegistry registry;

    private static JsonPath intake(String partnerId) {
        return given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/" + partnerId + "/intake")
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath rejections(String partnerId, String query) {
        return given().auth().oauth2(TestTokens.finance()).when()
                .get("/api/v1/partners/" + partnerId + "/rejections" + query).then().statusCode(200).extract()
                .jsonPath();
    }

    @Test
    void httpBatchCountsAcceptedDuplicatesAndRejectedAndListsTheRejection() {
        // given a registered partner that sent nothing yet
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("intake"));
        JsonPath empty = intake(p);
        assertEquals(List.of(0, 0, 0, 0, 0), List.of(empty.getInt("accepted"), empty.getInt("duplicates"),
                empty.getInt("rejected"), empty.getInt("controls"), empty.getInt("lastIngestSequence")));

        // when it posts two new events, one of them again, and one whose region holds a control character
        String bad = Events.valid(p, "bad-1").replace("\"us-east-1\"", "\"us\\u0007east\"");
        String body = "[" + Events.valid(p, "a") + "," + Events.minimal(p, "b", 2) + "," + Events.valid(p, "a") + ","
                + bad + "]";
        IngestTestSupport.post(p, BATCH, body).statusCode(202).body("accepted", is(2)).body("duplicates", is(1));

        // then the counts say so
        JsonPath counts = intake(p);
        assertEquals(p, counts.getString("partnerId"));
        assertEquals(2, counts.getInt("accepted"));
        assertEquals(1, counts.getInt("duplicates"));
        assertEquals(1, counts.getInt("rejected"));
        assertEquals(0, counts.getInt("controls"));
        assertEquals(2, counts.getInt("lastIngestSequence"));

        // and the rejection is listed with its reason, detail, size and hash of its exact span of the body
        JsonPath page = rejections(p, "");
        assertEquals(1, page.getList("rejections").size());
        assertEquals("INVALID_FIELD", page.getString("rejections[0].reason"));
        assertEquals("bad-1", page.getString("rejections[0].eventId"));
        assertEquals("http", page.getString("rejections[0].channel"));
        assertEquals(true, page.getString("rejections[0].detail").startsWith("data.region"));
        assertEquals(bad.getBytes(StandardCharsets.UTF_8).length, page.getInt("rejections[0].size"));
        assertEquals(Hashes.sha256Hex(bad.getBytes(StandardCharsets.UTF_8)), page.getString("rejections[0].sha256"));
        assertNotNull(Instant.parse(page.getString("rejections[0].receivedAt")));
        assertNull(page.get("nextCursor"));
    }

    @Test
    void kafkaRejectionsCountForTheKeyWhenRegisteredElseForTheValidPartnerId() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("claim"));
        // keyed by the partner: malformed JSON counts for the key
        KafkaTestSupport.send("revshare.usage.raw", p, "{oops");
        // a key that is no registered partner: counts for the event's partner id (PARTNER_MISMATCH)
        KafkaTestSupport.send("revshare.usage.raw", "not-a-partner-" + p, Events.minimal(p, "mm-1", 1));
        // no key, valid partner id, time in the future: counts for the partner id
        KafkaTestSupport.send("revshare.usage.raw", null,
                Events.minimal(p, "future-1", 1).replace("2026-11-02T00:00:00Z", IngestTestSupport.futureTime()));
        KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "ok-1", 1));

        await().atMost(WAIT).until(() -> intake(p).getInt("rejected") == 3 && intake(p).getInt("accepted") == 1);
        JsonPath page = rejections(p, "");
        assertEquals(List.of("MALFORMED_JSON", "PARTNER_MISMATCH", "FUTURE_EVENT"),
                page.getList("rejections.reason", String.class).stream().sorted((a, b) -> order(a) - order(b)).toList());
        assertEquals(List.of("kafka", "kafka", "kafka"), page.getList("rejections.channel", String.class));
        // and filtered by reason
        JsonPath onlyFuture = rejections(p, "?reason=FUTURE_EVENT");
        assertEquals(List.of("future-1"), onlyFuture.getList("rejections.eventId", String.class));
    }

    private static int order(String reason) {
        return List.of("MALFORMED_JSON", "PARTNER_MISMATCH", "FUTURE_EVENT").indexOf(reason);
    }

    @Test
    void rejectionsArePagedOldestFirstWithAnOpaqueCursorAndFilteredByReceipt() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("pages"));
        Instant before = Instant.now().minusSeconds(1);
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < 5; i++) {
            body.append(i == 0 ? "" : ",").append(Events.minimal(p, "r-" + i, 1).replace("\"requests\"", "\"bogus\""));
        }
        IngestTestSupport.post(p, BATCH, body.append("]").toString()).statusCode(202);

        JsonPath first = rejections(p, "?limit=2");
        assertEquals(List.of("r-0", "r-1"), first.getList("rejections.eventId", String.class));
        String cursor = first.getString("nextCursor");
        assertNotNull(cursor);
        JsonPath second = rejections(p, "?limit=2&cursor=" + cursor);
        assertEquals(List.of("r-2", "r-3"), second.getList("rejections.eventId", String.class));
        JsonPath third = rejections(p, "?limit=2&cursor=" + second.getString("nextCursor"));
        assertEquals(List.of("r-4"), third.getList("rejections.eventId", String.class));
        assertNull(third.get("nextCursor"));

        // from inclusive, to exclusive, on receivedAt
        String receivedAt = first.getString("rejections[0].receivedAt");
        assertEquals(5, rejections(p, "?from=" + receivedAt).getList("rejections").size());
        assertEquals(0, rejections(p, "?to=" + receivedAt).getList("rejections").size());
        assertEquals(5, rejections(p, "?from=" + before + "&to=" + Instant.now().plusSeconds(60)).getList("rejections")
                .size());
    }

    @Test
    void badParametersAre400NamingTheParameter() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("params"));
        String url = "/api/v1/partners/" + p + "/rejections";
        for (String[] c : new String[][] {{"limit=0", "limit"}, {"limit=1001", "limit"}, {"limit=x", "limit"},
                {"cursor=nonsense", "cursor"}, {"from=yesterday", "from"}, {"to=2026-13-01T00:00:00Z", "to"},
                {"reason=BAD", "reason"}}) {
            given().auth().oauth2(TestTokens.finance()).when().get(url + "?" + c[0]).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString(c[1]));
        }
        given().auth().oauth2(TestTokens.finance()).when().get(url + "?limit=1000").then().statusCode(200);
    }

    @Test
    void financeAdminAndThePartnerItselfMayReadOtherPartnersGet403UnknownIs404() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("access"));
        String other = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("other"));
        for (String path : new String[] {"/intake", "/rejections"}) {
            given().auth().oauth2(TestTokens.admin()).when().get("/api/v1/partners/" + p + path).then().statusCode(200);
            given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/" + p + path).then().statusCode(200);
            given().auth().oauth2(TestTokens.partner(p)).when().get("/api/v1/partners/" + p + path).then()
                    .statusCode(200);
            given().auth().oauth2(TestTokens.partner(other)).when().get("/api/v1/partners/" + p + path).then()
                    .statusCode(403).contentType("application/problem+json");
            given().when().get("/api/v1/partners/" + p + path).then().statusCode(401);
            given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/nobody-here-x" + path).then()
                    .statusCode(404).contentType("application/problem+json").body("status", is(404));
        }
        given().auth().oauth2(TestTokens.partner(p)).when().get("/api/v1/partners/" + p + "/rejections").then()
                .statusCode(200).body("nextCursor", nullValue());
    }
}
