package com.revshare.ingest;

import static com.revshare.ingest.KafkaTestSupport.JSON;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.ContractSchemas;
import com.revshare.infra.RevshareTestResource;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** The Kafka path end to end against a real broker and PostgreSQL: raw in, accepted and rejected out. */
@QuarkusTest
@QuarkusTestResource(value = RevshareTestResource.class, initArgs = @ResourceArg(name = "database", value = "ingest"))
class KafkaPipelineTest {
    static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    PartnerRegistry registry;

    @Test
    void aValidEventSentTwiceIsForwardedOnceAndAMalformedRecordIsRejectedWithoutStoppingTheConsumer() throws Exception {
        String partner = KafkaTestSupport.uniquePartnerId("skel");
        KafkaTestSupport.publishPartner(partner, "USD");
        await().atMost(WAIT).until(() -> registry.isRegistered(partner));

        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted");
                var rejected = new KafkaTestSupport.Tail("revshare.usage.rejected")) {
            String event = Events.valid(partner, "evt-1");
            KafkaTestSupport.send("revshare.usage.raw", partner, event);
            KafkaTestSupport.send("revshare.usage.raw", partner, event);
            KafkaTestSupport.send("revshare.usage.raw", partner, "{\"specversion\":\"1.0\", oops");
            // sent after the others on the same partition: once it is forwarded, the others were processed
            KafkaTestSupport.send("revshare.usage.raw", partner, Events.minimal(partner, "evt-2", 7));

            await().atMost(WAIT).until(() -> accepted.values(partner).size() >= 2);
            List<JsonNode> forwarded = accepted.values(partner);
            assertEquals(2, forwarded.size(), forwarded::toString);

            JsonNode first = forwarded.get(0);
            assertEquals(partner, first.get("partnerId").asText());
            assertEquals("evt-1", first.get("eventId").asText());
            assertEquals("2026-11-01T12:00:00Z", first.get("time").asText());
            assertEquals("llama-3.1-70b-instruct", first.get("model").asText());
            assertEquals("output_tokens", first.get("metric").asText());
            assertTrue(first.get("quantity").isIntegralNumber());
            assertEquals(125000L, first.get("quantity").asLong());
            assertTrue(first.get("revenue").get("amount").isTextual());
            assertEquals("1.87500000", first.get("revenue").get("amount").asText());
            assertEquals("USD", first.get("revenue").get("currency").asText());
            assertEquals("us-east-1", first.get("region").asText());
            assertEquals("partners/" + partner, first.get("source").asText());
            assertEquals(1L, first.get("ingestSequence").asLong());
            ContractSchemas.assertValid("accepted-usage-event.v1.schema.json", JSON.writeValueAsString(first));

            JsonNode second = forwarded.get(1);
            assertEquals("evt-2", second.get("eventId").asText());
            assertEquals(2L, second.get("ingestSequence").asLong());
            assertTrue(second.get("revenue").isNull());
            assertTrue(second.get("region").isNull());
            ContractSchemas.assertValid("accepted-usage-event.v1.schema.json", JSON.writeValueAsString(second));

            await().atMost(WAIT).until(() -> !rejected.values(partner).isEmpty());
            List<JsonNode> rejections = rejected.values(partner);
            assertEquals(1, rejections.size(), rejections::toString);
            JsonNode rejection = rejections.get(0);
            assertEquals("MALFORMED_JSON", rejection.get("reason").asText());
            assertEquals(partner, rejection.get("partnerId").asText());
            assertEquals("utf8", rejection.get("rawEncoding").asText());
            assertEquals("{\"specversion\":\"1.0\", oops", rejection.get("raw").asText());
            assertEquals(26L, rejection.get("size").asLong());
            assertEquals(Hashes.sha256Hex("{\"specversion\":\"1.0\", oops".getBytes()),
                    rejection.get("sha256").asText());
            ContractSchemas.assertValid("usage-rejection.v1.schema.json", JSON.writeValueAsString(rejection));
        }
    }
}
