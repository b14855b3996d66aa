package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.SINGLE;
import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.ContractSchemas;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.domain.RejectionReason;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;

/**
 * Every reason code of SPEC §2.2 over both ways in: on Kafka the record lands on revshare.usage.rejected
 * with that reason; over HTTP the 202 answer names it for the event's index (MALFORMED_JSON over HTTP
 * is the 400 of a body that is not JSON). Every rejection record also matches the contract schema.
 */
@QuarkusTest
class ReasonCodesTest {
    static String partner;
    static String other;
    static KafkaTestSupport.Tail rejected;
    static KafkaTestSupport.Tail accepted;

    @Inject
    PartnerRegistry registry;

    @BeforeAll
    static void tails() {
        rejected = new KafkaTestSupport.Tail("revshare.usage.rejected");
        accepted = new KafkaTestSupport.Tail("revshare.usage.accepted");
    }

    @AfterAll
    static void close() {
        rejected.close();
        accepted.close();
    }

    private void partners() {
        if (partner == null) {
            partner = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("rc"));
            other = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("rc-other"));
        }
    }

    @ParameterizedTest(name = "kafka {0}")
    @EnumSource(RejectionReason.class)
    void overKafkaTheRecordIsRejectedWithItsReason(RejectionReason reason) throws Exception {
        partners();
        String id = "kafka-" + reason;
        String unregistered = KafkaTestSupport.uniquePartnerId("nobody");
        if (reason == RejectionReason.DUPLICATE_CONFLICT) {
            KafkaTestSupport.send("revshare.usage.raw", partner, Events.valid(partner, id));
        }
        String body = ReasonCases.body(reason, partner, id, other, unregistered);
        String key = reason == RejectionReason.UNKNOWN_PARTNER ? unregistered : partner;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        KafkaTestSupport.send("revshare.usage.raw", key, bytes);

        String sha = Hashes.sha256Hex(bytes);
        await().atMost(WAIT).until(() -> find(sha).isPresent());
        JsonNode r = find(sha).orElseThrow();
        assertEquals(reason.name(), r.get("reason").asText(), r::toString);
        assertEquals(bytes.length, r.get("size").asInt());
        if (ReasonCases.field(reason) != null) {
            assertTrue(r.get("detail").asText().contains(ReasonCases.field(reason)), r::toString);
        }
        if (reason != RejectionReason.MALFORMED_JSON && reason != RejectionReason.PAYLOAD_TOO_LARGE) {
            assertEquals(id, r.get("eventId").asText());
        }
        ContractSchemas.assertValid("usage-rejection.v1.schema.json", KafkaTestSupport.JSON.writeValueAsString(r));
        if (reason == RejectionReason.DUPLICATE_CONFLICT) {
            // the first stays: forwarded once, with its own content
            await().atMost(WAIT).until(() -> accepted.values(partner).stream()
                    .anyMatch(a -> a.get("eventId").asText().equals(id)));
            List<JsonNode> forwarded = accepted.values(partner).stream()
                    .filter(a -> a.get("eventId").asText().equals(id)).toList();
            assertEquals(1, forwarded.size());
            assertEquals(125000L, forwarded.get(0).get("quantity").asLong());
        }
    }

    @ParameterizedTest(name = "http {0}")
    @EnumSource(value = RejectionReason.class, names = "MALFORMED_JSON", mode = EnumSource.Mode.EXCLUDE)
    void overHttpTheAnswerNamesTheReasonForTheEventsIndex(RejectionReason reason) {
        partners();
        String id = "http-" + reason;
        String unregistered = KafkaTestSupport.uniquePartnerId("nobody");
        String caller = reason == RejectionReason.UNKNOWN_PARTNER ? unregistered : partner;
        if (reason == RejectionReason.DUPLICATE_CONFLICT) {
            IngestTestSupport.post(partner, SINGLE, Events.valid(partner, id)).statusCode(202).body("accepted", is(1));
        }
        String body = ReasonCases.body(reason, partner, id, other, unregistered);
        // as a single event, and as the second element of a batch after a valid event
        ValidatableResponse single = IngestTestSupport.post(caller, SINGLE, body).statusCode(202)
                .body("accepted", is(0)).body("duplicates", is(0)).body("rejected", hasSize(1))
                .body("rejected[0].index", is(0)).body("rejected[0].reason", is(reason.name()));
        String batch = "[" + Events.minimal(caller, id + "-ok", 1) + "," + body + "]";
        ValidatableResponse batched = IngestTestSupport.post(caller, BATCH, batch).statusCode(202)
                .body("rejected.find { it.index == 1 }.reason", is(reason.name()));
        if (reason != RejectionReason.UNKNOWN_PARTNER) {
            batched.body("accepted", is(1)).body("rejected", hasSize(1));
        }
        if (reason != RejectionReason.PAYLOAD_TOO_LARGE) {
            single.body("rejected[0].id", is(id));
        }
        if (ReasonCases.field(reason) != null) {
            single.body("rejected[0].detail", containsString(ReasonCases.field(reason)));
        }
        // and the rejection is also on the rejected topic, as SPEC §2.5 says of every rejected record
        String sha = Hashes.sha256Hex(body.getBytes(StandardCharsets.UTF_8));
        await().atMost(WAIT).until(() -> find(sha).isPresent());
    }

    @Test
    void overHttpABodyThatIsNotJsonIs400ProblemDetails() {
        partners();
        IngestTestSupport.post(partner, SINGLE, "{\"specversion\":\"1.0\",").statusCode(400)
                .contentType(startsWith("application/problem+json")).body("status", is(400))
                .body("title", is("Bad Request")).body("detail", containsString("not JSON"));
    }

    private static Optional<JsonNode> find(String sha) {
        return rejected.values(r -> true).stream().filter(n -> n.get("sha256").asText().equals(sha)).findFirst();
    }
}
