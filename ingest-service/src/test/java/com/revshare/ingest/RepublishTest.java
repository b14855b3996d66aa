package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;

/** Healing a gap (SPEC §2.7): an admin re-publishes a partner's accepted events from an ingest sequence. */
@QuarkusTest
class RepublishTest {
    @Inject
    PartnerRegistry registry;

    @Test
    void anAdminRepublishesThePartnersEventsFromTheGivenSequenceWithTheirOriginalNumbers() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("heal"));
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted")) {
            // given three accepted and published events
            IngestTestSupport.post(p, BATCH, "[" + Events.minimal(p, "e1", 1) + "," + Events.minimal(p, "e2", 2) + ","
                    + Events.minimal(p, "e3", 3) + "]").statusCode(202).body("accepted", is(3));
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 3);
            List<JsonNode> first = accepted.values(p);

            // when an admin asks for a republish from sequence 2
            given().auth().oauth2(TestTokens.admin()).when()
                    .post("/api/v1/admin/partners/" + p + "/republish?fromSequence=2").then().statusCode(202)
                    .body("partnerId", is(p)).body("fromSequence", is(2)).body("toSequence", is(3))
                    .body("events", is(2)).body("publishedSequenceBefore", is(3));

            // then events 2 and 3 are published again, identical, and nothing else
            await().atMost(WAIT).until(() -> accepted.values(p).size() == 5);
            List<JsonNode> all = accepted.values(p);
            assertEquals(first.subList(1, 3), all.subList(3, 5));
            assertEquals(List.of(1L, 2L, 3L, 2L, 3L), all.stream().map(n -> n.get("ingestSequence").asLong()).toList());
        }
    }

    @Test
    void onlyAnAdminMayRepublishAndTheParametersAreChecked() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("healx"));
        IngestTestSupport.post(p, BATCH, "[" + Events.minimal(p, "e1", 1) + "]").statusCode(202);
        String url = "/api/v1/admin/partners/" + p + "/republish?fromSequence=1";
        given().auth().oauth2(TestTokens.partner(p)).when().post(url).then().statusCode(403);
        given().auth().oauth2(TestTokens.finance()).when().post(url).then().statusCode(403);
        given().when().post(url).then().statusCode(401);
        for (String bad : new String[] {"0", "-1", "x", ""}) {
            given().auth().oauth2(TestTokens.admin()).when()
                    .post("/api/v1/admin/partners/" + p + "/republish?fromSequence=" + bad).then().statusCode(400)
                    .contentType("application/problem+json").body("detail", containsString("fromSequence"));
        }
        given().auth().oauth2(TestTokens.admin()).when()
                .post("/api/v1/admin/partners/nobody-at-all/republish?fromSequence=1").then().statusCode(404)
                .contentType("application/problem+json");
        // a sequence past the last one re-publishes nothing
        given().auth().oauth2(TestTokens.admin()).when()
                .post("/api/v1/admin/partners/" + p + "/republish?fromSequence=9").then().statusCode(202)
                .body("events", is(0)).body("toSequence", is(1));
    }
}
