package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.SINGLE;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * SPEC §2 and §7 as an outsider reads them, probing the running service over HTTP and Kafka only: every
 * error answer is problem details, an oversized event still names its id, a partner published by the
 * ledger is known within 5 seconds.
 */
@QuarkusTest
class SpecConformanceTest {
    @Inject
    PartnerRegistry registry;

    @TestHTTPResource("/api/v1/usage-events")
    URI endpoint;

    @Test
    void unauthenticatedAndWrongRoleAnswersAreProblemDetails() {
        String body = Events.minimal("aws", "auth-1", 1);
        given().contentType(SINGLE).body(body).when().post("/api/v1/usage-events").then().statusCode(401)
                .contentType(startsWith("application/problem+json")).body("status", is(401))
                .body("title", notNullValue()).body("type", notNullValue()).body("detail", notNullValue());
        given().auth().oauth2("not-a-jwt").contentType(SINGLE).body(body).when().post("/api/v1/usage-events").then()
                .statusCode(401).contentType(startsWith("application/problem+json")).body("status", is(401));
        for (String token : new String[] {TestTokens.admin(), TestTokens.finance()}) {
            given().auth().oauth2(token).contentType(SINGLE).body(body).when().post("/api/v1/usage-events").then()
                    .statusCode(403).contentType(startsWith("application/problem+json")).body("status", is(403))
                    .body("title", notNullValue()).body("detail", notNullValue());
        }
    }

    @Test
    void aBodyDeclaredOver64MiBIs413ProblemDetailsWithoutReadingIt() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("huge"));
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + endpoint.getPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\n"
                    + "Authorization: Bearer " + TestTokens.partner(p) + "\r\nContent-Type: " + BATCH + "\r\n"
                    + "Content-Length: " + (64L * 1024 * 1024 + 1) + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            // no body byte is sent: the server answers on the declared length alone and closes the connection
            String answer = readUntilClosed(socket.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 413 "), () -> "answer: [" + answer + "]");
            String lower = answer.toLowerCase();
            assertTrue(lower.contains("content-type: application/problem+json"), answer);
            JsonNode problem = KafkaTestSupport.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertEquals(413, problem.get("status").asInt());
            assertTrue(problem.hasNonNull("title") && problem.hasNonNull("detail") && problem.hasNonNull("type"),
                    problem::toString);
        }
    }

    @Test
    void anOversizedEventIsRejectedWithItsIdOverHttpAndKafka() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("oversize"));
        String padding = "\"padding\":\"" + "x".repeat(70_000) + "\",\"datacontenttype\"";
        try (var rejected = new KafkaTestSupport.Tail("revshare.usage.rejected")) {
            IngestTestSupport.post(p, SINGLE, Events.valid(p, "big-http").replace("\"datacontenttype\"", padding))
                    .statusCode(202).body("accepted", is(0)).body("rejected[0].index", is(0))
                    .body("rejected[0].reason", is("PAYLOAD_TOO_LARGE")).body("rejected[0].id", is("big-http"));
            IngestTestSupport.post(p, BATCH, "[" + Events.minimal(p, "small", 1) + ","
                    + Events.valid(p, "big-batch").replace("\"datacontenttype\"", padding) + "]")
                    .statusCode(202).body("accepted", is(1)).body("rejected[0].index", is(1))
                    .body("rejected[0].reason", is("PAYLOAD_TOO_LARGE")).body("rejected[0].id", is("big-batch"));
            KafkaTestSupport.send("revshare.usage.raw", p, Events.valid(p, "big-kafka").replace("\"datacontenttype\"",
                    padding));
            for (String id : new String[] {"big-http", "big-batch", "big-kafka"}) {
                await().atMost(WAIT).until(() -> rejection(rejected, id).isPresent());
                JsonNode r = rejection(rejected, id).orElseThrow();
                assertEquals("PAYLOAD_TOO_LARGE", r.get("reason").asText());
                assertEquals(p, r.get("partnerId").asText());
                assertTrue(r.get("size").asLong() > 65536, r::toString);
                assertEquals(65536, r.get("raw").asText().length());
            }
        }
    }

    /**
     * A rejection record must stay publishable whatever the record held: an oversized record whose id is a
     * 1 MB string is rejected and the partition moves on (the rejection names no such id; its raw keeps
     * the first 64 KiB), instead of a rejection too large for the broker failing the batch forever.
     */
    @Test
    void aRecordWithAHugeIdIsRejectedAndTheConsumerMovesOn() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("hugeid"));
        String hugeId = "h".repeat(1_000_000);
        byte[] huge = Events.minimal(p, hugeId, 1).getBytes(StandardCharsets.UTF_8);
        try (var rejected = new KafkaTestSupport.Tail("revshare.usage.rejected");
                var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            KafkaTestSupport.send("revshare.usage.raw", p, huge);
            KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "after-huge", 1));
            await().atMost(WAIT).until(() -> !accepted.values(p).isEmpty());
            assertEquals("after-huge", accepted.values(p).get(0).get("eventId").asText());
            String sha = Hashes.sha256Hex(huge);
            await().atMost(WAIT).until(() -> rejected.values(p).stream().anyMatch(n -> n.get("sha256").asText().equals(sha)));
            JsonNode r = rejected.values(p).stream().filter(n -> n.get("sha256").asText().equals(sha)).findFirst().orElseThrow();
            assertEquals("PAYLOAD_TOO_LARGE", r.get("reason").asText());
            assertTrue(r.get("eventId").isNull(), r.get("eventId").toString().length() + " characters of id");
            assertEquals(huge.length, r.get("size").asInt());
        }
    }

    @Test
    void aPartnerPublishedOnThePartnersTopicCanSendWithin5Seconds() {
        String p = KafkaTestSupport.uniquePartnerId("fresh");
        KafkaTestSupport.publishPartner(p, "EUR");
        long start = System.nanoTime();
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100)).until(() -> given().auth()
                .oauth2(TestTokens.partner(p)).contentType(SINGLE).body(Events.minimal(p, "first", 1))
                .when().post("/api/v1/usage-events").then().statusCode(202).extract().path("accepted").equals(1));
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos());
    }

    private static Optional<JsonNode> rejection(KafkaTestSupport.Tail tail, String eventId) {
        return tail.values(r -> true).stream().filter(n -> eventId.equals(n.path("eventId").asText(null))).findFirst();
    }

    private static String readUntilClosed(InputStream in) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0;) {
                out.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer is fine: the server does not read the announced body
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }
}
