package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.SINGLE;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.StringJoiner;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** POST /api/v1/usage-events (SPEC §2.1, §2.4, §2.5): authentication, body limits, batches, partner isolation. */
@QuarkusTest
class HttpIngestTest {
    @Inject
    PartnerRegistry registry;

    @TestHTTPResource("/api/v1/usage-events")
    URI endpoint;

    @Test
    void withoutATokenIs401AndWithAnotherRoleIs403() {
        given().contentType(SINGLE).body(Events.minimal("aws", "x", 1)).when().post("/api/v1/usage-events").then()
                .statusCode(401);
        given().auth().oauth2("not-a-jwt").contentType(SINGLE).body(Events.minimal("aws", "x", 1))
                .when().post("/api/v1/usage-events").then().statusCode(401);
        for (String token : new String[] {TestTokens.admin(), TestTokens.finance()}) {
            given().auth().oauth2(token).contentType(SINGLE).body(Events.minimal("aws", "x", 1))
                    .when().post("/api/v1/usage-events").then().statusCode(403);
        }
    }

    @Test
    void aSingleEventIsAcceptedOnceThenCountedAsADuplicate() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("http"));
        IngestTestSupport.post(p, SINGLE, Events.valid(p, "one")).statusCode(202)
                .contentType(startsWith("application/json"))
                .body("accepted", is(1)).body("duplicates", is(0)).body("rejected", empty());
        IngestTestSupport.post(p, SINGLE, Events.valid(p, "one")).statusCode(202)
                .body("accepted", is(0)).body("duplicates", is(1)).body("rejected", empty());
    }

    @Test
    void aBatchIsProcessedInArrayOrderWithDuplicatesAndConflictsInsideIt() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("batch"));
        String batch = "[" + Events.minimal(p, "a", 1) + "," + Events.minimal(p, "b", 2) + ","
                + Events.minimal(p, "a", 1).replace("\"quantity\":1", "\"quantity\":\"1\"") + ","
                + Events.minimal(p, "b", 3) + "," + Events.minimal(p, "c", 4) + "]";
        IngestTestSupport.post(p, BATCH, batch).statusCode(202)
                .body("accepted", is(3)).body("duplicates", is(1)).body("rejected", hasSize(1))
                .body("rejected[0].index", is(3)).body("rejected[0].id", is("b"))
                .body("rejected[0].reason", is("DUPLICATE_CONFLICT"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            // the relay publishes in ingest-sequence order, which is array order
            IngestTestSupport.post(p, BATCH, "[" + Events.minimal(p, "d", 5) + "]").statusCode(202)
                    .body("accepted", is(1));
            await().atMost(WAIT).until(() -> accepted.values(p).size() >= 1);
        }
        IngestTestSupport.post(p, BATCH, "[]").statusCode(202).body("accepted", is(0)).body("rejected", empty());
    }

    @Test
    void anAwsTokenCannotGetAnAzureEventAcceptedOverHttpNorByAMismatchedKafkaKey() {
        IngestTestSupport.registerPartner(registry, "aws");
        IngestTestSupport.registerPartner(registry, "azure");
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted");
                var rejected = new KafkaTestSupport.Tail("revshare.usage.rejected")) {
            String azureEvent = Events.valid("azure", "isolation-1");
            IngestTestSupport.post("aws", SINGLE, azureEvent).statusCode(202).body("accepted", is(0))
                    .body("rejected[0].reason", is("PARTNER_MISMATCH"))
                    .body("rejected[0].detail", containsString("authenticated partner"));
            KafkaTestSupport.send("revshare.usage.raw", "aws", Events.valid("azure", "isolation-2"));
            await().atMost(WAIT).until(() -> rejected.values(r -> true).stream().anyMatch(
                    n -> n.get("eventId").asText().equals("isolation-2")));
            assertEquals("PARTNER_MISMATCH", rejected.values(r -> true).stream()
                    .filter(n -> n.get("eventId").asText().equals("isolation-2")).findFirst().orElseThrow()
                    .get("reason").asText());
            // azure itself can still send those ids: they were never claimed
            IngestTestSupport.post("azure", SINGLE, azureEvent).statusCode(202).body("accepted", is(1));
            await().atMost(WAIT).until(() -> !accepted.values("azure").isEmpty());
            assertTrue(accepted.values("aws").isEmpty(), "nothing forwarded for aws");
            assertEquals(1, accepted.values("azure").size());
        }
    }

    @Test
    void aBodyThatIsNotAnEventOrArrayOfEventsOrHoldsMoreThan1000Is400() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("bad"));
        for (String body : new String[] {"", "42", "\"event\"", "null", "[1]", "[{}, []]", "[{}] x", "{\"a\":1,\"a\":2}"}) {
            IngestTestSupport.post(p, BATCH, body).statusCode(400)
                    .contentType(startsWith("application/problem+json"))
                    .body("status", is(400)).body("title", is("Bad Request")).body("detail", is(org.hamcrest.Matchers.notNullValue()));
        }
        StringJoiner tooMany = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 1001; i++) {
            tooMany.add(Events.minimal(p, "many-" + i, i));
        }
        IngestTestSupport.post(p, BATCH, tooMany.toString()).statusCode(400).body("detail", containsString("1001"));
        StringJoiner limit = new StringJoiner(",", "[", "]");
        for (int i = 0; i < 1000; i++) {
            limit.add(Events.minimal(p, "many-" + i, i));
        }
        IngestTestSupport.post(p, BATCH, limit.toString()).statusCode(202).body("accepted", is(1000));
    }

    @Test
    void aBodyOver64MiBIs413() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("big"));
        // the server answers on the declared length, before reading the body, and then closes the connection,
        // so the request is written by hand: headers only, then read the status line
        try (Socket socket = new Socket(endpoint.getHost(), endpoint.getPort())) {
            socket.setSoTimeout(30_000);
            String head = "POST " + endpoint.getPath() + " HTTP/1.1\r\nHost: " + endpoint.getHost() + "\r\n"
                    + "Authorization: Bearer " + TestTokens.partner(p) + "\r\nContent-Type: " + BATCH + "\r\n"
                    + "Content-Length: " + (64L * 1024 * 1024 + 1) + "\r\n\r\n";
            // no body byte: a server closing with unread input may reset the connection before the answer is read
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
            assertEquals("HTTP/1.1 413 Request Entity Too Large", status);
        }
    }

    @Test
    void anUnsupportedMediaTypeIs415ProblemDetails() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("media"));
        IngestTestSupport.post(p, "text/plain", Events.minimal(p, "t", 1)).statusCode(415)
                .contentType(startsWith("application/problem+json")).body("status", is(415));
    }
}
