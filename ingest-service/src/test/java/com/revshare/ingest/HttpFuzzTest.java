package com.revshare.ingest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;

/**
 * Fuzz over HTTP: byte-mutated batches and single events, under both media types. Every answer is either
 * a 202 that accounts for every event of the body (accepted + duplicates + rejected = events), or a 400
 * problem details; never a 5xx.
 */
@QuarkusTest
class HttpFuzzTest {
    private static final int REQUESTS = 150;

    @Inject
    PartnerRegistry registry;

    @Test
    void everyMutatedBodyIsAnswered202WithEveryEventAccountedForOr400() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("hfuzz"));
        Random random = new Random(20261127L);
        String batch = "[" + Events.valid(p, "a") + "," + Events.minimal(p, "b", 2) + "," + Events.minimal(p, "a", 3)
                + "]";
        int answered202 = 0;
        for (int i = 0; i < REQUESTS; i++) {
            String base = random.nextInt(3) == 0 ? Events.valid(p, "s" + random.nextInt(5)) : batch;
            byte[] body = mutate(base.getBytes(StandardCharsets.UTF_8), random);
            String type = random.nextBoolean() ? IngestTestSupport.BATCH : IngestTestSupport.SINGLE;
            Response answer = given().auth().oauth2(TestTokens.partner(p)).contentType(type).body(body)
                    .post("/api/v1/usage-events");
            String shown = new String(body, StandardCharsets.UTF_8);
            if (answer.statusCode() == 400) {
                assertTrue(answer.contentType().startsWith("application/problem+json"), shown);
                continue;
            }
            assertEquals(202, answer.statusCode(), () -> answer.asString() + " for " + shown);
            answered202++;
            JsonNode sent = KafkaTestSupport.JSON.readTree(body);
            int events = sent.isArray() ? sent.size() : 1;
            JsonNode a = KafkaTestSupport.JSON.readTree(answer.asString());
            assertEquals(events, a.get("accepted").asInt() + a.get("duplicates").asInt() + a.get("rejected").size(),
                    () -> a + " for " + shown);
        }
        assertTrue(answered202 > REQUESTS / 5 && answered202 < REQUESTS, "the mix has both: " + answered202);
    }

    private static byte[] mutate(byte[] in, Random r) {
        List<Byte> b = new ArrayList<>();
        for (byte x : in) {
            b.add(x);
        }
        int edits = 1 + r.nextInt(4);
        for (int i = 0; i < edits && !b.isEmpty(); i++) {
            int at = r.nextInt(b.size());
            String alphabet = "{}[]\",:0123456789.eE+- \\nultrfs\u00ff";
            byte value = (byte) alphabet.charAt(r.nextInt(alphabet.length()));
            switch (r.nextInt(5)) {
                case 0 -> b.set(at, value);
                case 1 -> b.add(at, value);
                case 2 -> b.remove(at);
                case 3 -> b.subList(at, b.size()).clear();
                default -> { } // sometimes a body stays as it was: a duplicate
            }
        }
        byte[] out = new byte[b.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = b.get(i);
        }
        return out;
    }
}
