package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.SINGLE;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.ContractSchemas;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/**
 * Contract tests: the real records ingest writes on revshare.usage.accepted and revshare.usage.rejected,
 * read back from the broker, match docs/events/accepted-usage-event.v1 and usage-rejection.v1, including
 * their edge shapes (no revenue, nanosecond time, base64 raw, truncated raw, no partner or id).
 */
@QuarkusTest
class ContractTest {
    @Inject
    PartnerRegistry registry;

    @Test
    void acceptedEventsMatchTheAcceptedUsageEventSchema() throws Exception {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("contract"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            IngestTestSupport.post(p, SINGLE, Events.valid(p, "full")).statusCode(202);
            IngestTestSupport.post(p, SINGLE, Events.minimal(p, "bare", 0)
                    .replace("2026-11-02T00:00:00Z", "2026-11-02T05:30:00.123456789+05:30")).statusCode(202);
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 2);
            for (JsonNode n : accepted.values(p)) {
                ContractSchemas.assertValid("accepted-usage-event.v1.schema.json", KafkaTestSupport.JSON.writeValueAsString(n));
            }
            JsonNode bare = accepted.values(p).get(1);
            assertEquals("2026-11-02T00:00:00.123456789Z", bare.get("time").asText());
            assertEquals(0L, bare.get("quantity").asLong());
            assertTrue(bare.get("revenue").isNull());
        }
    }

    @Test
    void rejectionRecordsMatchTheUsageRejectionSchema() throws Exception {
        try (var rejected = new KafkaTestSupport.Tail("revshare.usage.rejected")) {
            // bytes that are not UTF-8: raw as base64, no key, so no partner and no id
            byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, '{'};
            KafkaTestSupport.send("revshare.usage.raw", null, binary);
            // over 64 KiB: size and hash of the whole, raw = the first 64 KiB
            String big = "{\"x\":\"" + "y".repeat(100_000) + "\"}";
            KafkaTestSupport.send("revshare.usage.raw", "contract-big", big);

            JsonNode b = await().atMost(WAIT).until(() -> find(rejected, binary), Optional::isPresent).orElseThrow();
            assertEquals("MALFORMED_JSON", b.get("reason").asText());
            assertEquals("base64", b.get("rawEncoding").asText());
            assertEquals(Base64.getEncoder().encodeToString(binary), b.get("raw").asText());
            assertTrue(b.get("partnerId").isNull() && b.get("eventId").isNull());
            assertEquals(5, b.get("size").asInt());
            ContractSchemas.assertValid("usage-rejection.v1.schema.json", KafkaTestSupport.JSON.writeValueAsString(b));

            byte[] bigBytes = big.getBytes(StandardCharsets.UTF_8);
            JsonNode l = await().atMost(WAIT).until(() -> find(rejected, bigBytes), Optional::isPresent).orElseThrow();
            assertEquals("PAYLOAD_TOO_LARGE", l.get("reason").asText());
            assertEquals("contract-big", l.get("partnerId").asText());
            assertEquals(bigBytes.length, l.get("size").asInt());
            assertEquals("utf8", l.get("rawEncoding").asText());
            assertEquals(big.substring(0, 65536), l.get("raw").asText());
            ContractSchemas.assertValid("usage-rejection.v1.schema.json", KafkaTestSupport.JSON.writeValueAsString(l));
        }
    }

    private static Optional<JsonNode> find(KafkaTestSupport.Tail tail, byte[] sent) {
        String sha = Hashes.sha256Hex(sent);
        return tail.values(r -> true).stream().filter(n -> n.get("sha256").asText().equals(sha)).findFirst();
    }
}
