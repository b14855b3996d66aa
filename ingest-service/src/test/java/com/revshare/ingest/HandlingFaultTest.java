package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Issue 10, no stall on any Throwable: a record whose handling throws anything — an Error while it is
 * validated, an unchecked exception, or a failure inside its batch's transaction that is not the database's —
 * is isolated (alone, or by bisecting its batch) and rejected with a reason; the records around it are
 * accepted and the partition goes on. Faults are injected by {@link FaultyValidator}.
 */
@QuarkusTest
class HandlingFaultTest {
    @Inject
    PartnerRegistry registry;

    private static JsonPath rejections(String partnerId) {
        return given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/" + partnerId + "/rejections")
                .then().statusCode(200).extract().jsonPath();
    }

    private static JsonPath intake(String partnerId) {
        return given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/" + partnerId + "/intake")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void overKafkaRecordsThatThrowAreRejectedAndTheRecordsAroundThemAccepted() {
        // given a partner and, on one partition, good records around three that make handling throw
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("fault"));
        KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "ok-1", 1));
        KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "fault-error-1", 1));
        KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "fault-runtime-1", 1));
        KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "fault-store-1", 1));
        KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "ok-2", 1));

        // then the good ones are accepted and each faulty one is rejected with a reason, once
        await().atMost(WAIT).until(() -> intake(p).getInt("accepted") == 2 && intake(p).getInt("rejected") == 3);
        JsonPath listed = rejections(p);
        // (a record whose validation threw names no id: nothing of it was read)
        assertEquals(java.util.Arrays.asList(null, null, "fault-store-1"), listed.getList("rejections.eventId"));
        assertEquals(List.of("INVALID_FIELD", "INVALID_FIELD", "INVALID_FIELD"), listed.getList("rejections.reason"));
        assertTrue(listed.getString("rejections[0].detail").contains("StackOverflowError"), listed.prettify());
        assertTrue(listed.getString("rejections[1].detail").contains("IllegalStateException"), listed.prettify());
        assertTrue(listed.getString("rejections[2].detail").contains("ArithmeticException"), listed.prettify());

        // and the partition goes on: a later record is accepted too
        KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, "ok-3", 1));
        await().atMost(WAIT).until(() -> intake(p).getInt("accepted") == 3);
        assertEquals(3, intake(p).getInt("rejected"));
    }

    @Test
    void overHttpAFaultyEventIsRejectedInTheAnswerAndTheRestOfTheBatchAccepted() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("faulthttp"));
        String body = "[" + Events.minimal(p, "a", 1) + "," + Events.minimal(p, "fault-error-2", 1) + ","
                + Events.minimal(p, "b", 1) + "," + Events.minimal(p, "fault-store-2", 1) + ","
                + Events.minimal(p, "c", 1) + "]";
        JsonPath answer = IngestTestSupport.post(p, BATCH, body).statusCode(202).extract().jsonPath();
        assertEquals(3, answer.getInt("accepted"), answer.prettify());
        assertEquals(List.of(1, 3), answer.getList("rejected.index"));
        assertEquals(List.of("INVALID_FIELD", "INVALID_FIELD"), answer.getList("rejected.reason"));
        assertEquals("fault-store-2", answer.getString("rejected[1].id"));
        assertEquals(3, intake(p).getInt("lastIngestSequence"));
    }
}
