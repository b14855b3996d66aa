package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.SINGLE;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.ingest.api.BodyBudget;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * The largest legal request and what lies beyond it (SPEC §2.1, §2.5): a batch of 1000 events of 64 KiB
 * each (a body just under 64 MiB) is taken whole; a chunked body over 64 MiB is 413; and the memory all
 * request bodies may hold together is bounded, a request finding no room being answered 503 (retry).
 */
@QuarkusTest
class LargeBodyTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    BodyBudget budget;

    @TestHTTPResource("/api/v1/usage-events")
    URI endpoint;

    @Test
    void aBatchOf1000EventsOf64KiBEachIsAcceptedWhole() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("max"));
        // built straight into one array and streamed at its fixed length: the test JVM also hosts the service
        byte[] body = new byte[1000 * 65_536 + 1001];
        int at = 0;
        body[at++] = '[';
        for (int i = 0; i < 1000; i++) {
            String event = Events.minimal(p, "max-" + i, i).replace("\"source\":\"s\"", "\"source\":\"s\",\"pad\":\"\"");
            byte[] head = event.substring(0, event.indexOf("\"pad\":\"") + 7).getBytes(StandardCharsets.US_ASCII);
            byte[] tail = event.substring(event.indexOf("\"pad\":\"") + 7).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(head, 0, body, at, head.length);
            Arrays.fill(body, at + head.length, at + 65_536 - tail.length, (byte) 'x');
            System.arraycopy(tail, 0, body, at + 65_536 - tail.length, tail.length);
            at += 65_536;
            body[at++] = (byte) (i == 999 ? ']' : ',');
        }
        assertEquals(body.length, at);
        assertTrue(body.length <= 64 * 1024 * 1024, "under the body limit");
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Authorization", "Bearer " + TestTokens.partner(p));
            c.setRequestProperty("Content-Type", BATCH);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            }
            body = null;
            assertEquals(202, c.getResponseCode());
            try (InputStream in = c.getInputStream()) {
                var answer = KafkaTestSupport.JSON.readTree(in);
                assertEquals(1000, answer.get("accepted").asInt(), answer::toString);
                assertEquals(0, answer.get("duplicates").asInt());
                assertEquals(0, answer.get("rejected").size(), answer::toString);
            }
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 1000);
        }
        assertEquals(64 * 1024 * 1024, budget.availableBytes(), "the request gave its room back");
    }

    @Test
    void aChunkedBodyOver64MiBIs413() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("chunked"));
        HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Authorization", "Bearer " + TestTokens.partner(p));
        c.setRequestProperty("Content-Type", BATCH);
        c.setChunkedStreamingMode(1 << 16);
        byte[] block = new byte[1 << 20];
        Arrays.fill(block, (byte) ' ');
        try (OutputStream out = c.getOutputStream()) {
            out.write('[');
            for (int i = 0; i < 65; i++) {
                out.write(block);
            }
            out.write(']');
        } catch (java.io.IOException e) {
            // the server may answer and close before the whole body is written
        }
        // Quarkus answers this one itself, with an empty body: the length is only known once it is exceeded
        assertEquals(413, c.getResponseCode());
    }

    /** A chunked body reserves room block by block, so small chunked requests do not each take the whole budget. */
    @Test
    void aChunkedBodyReservesOnlyWhatItReads() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("chunks"));
        // leave room for a few blocks only: a chunked request reserving the whole 64 MiB limit would be refused
        try (BodyBudget.Reservation most = budget.reserve(60L * 1024 * 1024)) {
            HttpURLConnection c = (HttpURLConnection) endpoint.toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Authorization", "Bearer " + TestTokens.partner(p));
            c.setRequestProperty("Content-Type", SINGLE);
            c.setChunkedStreamingMode(1024);
            try (OutputStream out = c.getOutputStream()) {
                out.write(Events.minimal(p, "chunked-1", 1).getBytes(StandardCharsets.UTF_8));
            }
            assertEquals(202, c.getResponseCode());
            try (InputStream in = c.getInputStream()) {
                assertEquals(1, KafkaTestSupport.JSON.readTree(in).get("accepted").asInt());
            }
        }
        assertEquals(64 * 1024 * 1024, budget.availableBytes(), "every reservation was given back");
    }

    @Test
    void aRequestFindingNoRoomForItsBodyIs503WithRetryAfter() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("room"));
        try (BodyBudget.Reservation all = budget.reserve(Long.MAX_VALUE)) {
            IngestTestSupport.post(p, SINGLE, Events.minimal(p, "no-room", 1)).statusCode(503)
                    .contentType(startsWith("application/problem+json")).body("status", is(503))
                    .header("Retry-After", is("1"));
        }
        IngestTestSupport.post(p, SINGLE, Events.minimal(p, "no-room", 1)).statusCode(202).body("accepted", is(1));
    }
}
