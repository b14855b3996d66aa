package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.BATCH;
import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;

/**
 * Issue 10, no skip path: a valid record that makes its batch's transaction fail (here: the database refuses
 * it through a trigger) is isolated by bisection and rejected with a reason; the rest of its batch is
 * accepted, the partition is not stalled and nothing is retried forever.
 */
@QuarkusTest
class PoisonRecordTest {
    @Inject
    PartnerRegistry registry;
    @Inject
    AgroalDataSource dataSource;
    @Inject
    MeterRegistry meters;

    @BeforeEach
    void poisonIdsThatStartWithPoison() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("""
                    create or replace function test_poison() returns trigger language plpgsql as $$
                    begin
                      if new.event_id like 'poison-%' then
                        raise exception 'test poison %', new.event_id using errcode = '22023';
                      end if;
                      return new;
                    end $$""");
            s.execute("drop trigger if exists test_poison on usage_event");
            s.execute("create trigger test_poison before insert on usage_event for each row execute function test_poison()");
        }
    }

    @AfterEach
    void removePoison() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("drop trigger if exists test_poison on usage_event");
            s.execute("drop function if exists test_poison()");
        }
    }

    @Test
    void aKafkaRecordTheDatabaseRefusesIsIsolatedAndRejectedWhileTheRestOfItsBatchIsAccepted() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("poison"));
        double unstorableBefore = IngestTestSupport.count(meters, "revshare.ingest.events.unstorable");
        try (var accepted = new KafkaTestSupport.Tail("revshare.usage.accepted");
                var rejected = new KafkaTestSupport.Tail("revshare.usage.rejected")) {
            // given 30 records on one partition, the 17th of which the database refuses
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String id = i == 16 ? "poison-1" : "good-" + i;
                ids.add(id);
                KafkaTestSupport.send("revshare.usage.raw", p, Events.minimal(p, id, i));
            }
            // then the 29 others are accepted in order, gaplessly numbered
            await().atMost(WAIT).until(() -> accepted.values(p).size() >= 29);
            List<JsonNode> forwarded = accepted.values(p);
            assertEquals(29, forwarded.size());
            assertEquals(ids.stream().filter(id -> !id.startsWith("poison")).toList(),
                    forwarded.stream().map(n -> n.get("eventId").asText()).toList());
            for (int i = 0; i < forwarded.size(); i++) {
                assertEquals(i + 1, forwarded.get(i).get("ingestSequence").asLong());
            }
            // and the refused one is rejected with a reason on the rejected topic and in the partner's list
            await().atMost(WAIT).until(() -> !rejected.values(p).isEmpty());
            JsonNode rejection = rejected.values(p).get(0);
            assertEquals("INVALID_FIELD", rejection.get("reason").asText());
            assertEquals("poison-1", rejection.get("eventId").asText());
            assertTrue(rejection.get("detail").asText().contains("could not be stored"), rejection.toString());
            JsonPath listed = given().auth().oauth2(TestTokens.partner(p)).when()
                    .get("/api/v1/partners/" + p + "/rejections").then().statusCode(200).extract().jsonPath();
            assertEquals(List.of("poison-1"), listed.getList("rejections.eventId", String.class));
            JsonPath intake = given().auth().oauth2(TestTokens.partner(p)).when()
                    .get("/api/v1/partners/" + p + "/intake").then().statusCode(200).extract().jsonPath();
            assertEquals(29, intake.getInt("accepted"));
            assertEquals(1, intake.getInt("rejected"));
            assertTrue(IngestTestSupport.count(meters, "revshare.ingest.events.unstorable") >= unstorableBefore + 1);
        }
    }

    @Test
    void anHttpEventTheDatabaseRefusesIsRejectedInTheAnswerAndTheOthersAreAccepted() {
        String p = IngestTestSupport.registerPartner(registry, KafkaTestSupport.uniquePartnerId("poisonh"));
        String body = "[" + Events.minimal(p, "a", 1) + "," + Events.minimal(p, "poison-2", 2) + ","
                + Events.minimal(p, "b", 3) + "]";
        IngestTestSupport.post(p, BATCH, body).statusCode(202).body("accepted", org.hamcrest.Matchers.is(2))
                .body("rejected[0].index", org.hamcrest.Matchers.is(1))
                .body("rejected[0].id", org.hamcrest.Matchers.is("poison-2"))
                .body("rejected[0].reason", org.hamcrest.Matchers.is("INVALID_FIELD"));
    }
}
