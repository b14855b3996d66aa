package com.revshare.ingest;

import static com.revshare.ingest.IngestTestSupport.WAIT;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.TestTokens;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * SPEC §2.4 v2: a partner registered on revshare.partners gets its own raw topic, created by ingest within 5 s
 * and consumed within 5 s of its creation (measured: registration to acceptance of an event sent on it within
 * 10 s); on it the partner is the topic's: another partnerid, or another key, is PARTNER_MISMATCH counted as
 * the topic's partner's rejection.
 */
@QuarkusTest
class PartnerTopicTest {
    private static Admin admin;

    @BeforeAll
    static void admin() {
        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
        admin = Admin.create(p);
    }

    @AfterAll
    static void close() {
        admin.close();
    }

    private static boolean exists(String topic) throws Exception {
        return admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic);
    }

    private static JsonPath intake(String partnerId) {
        return given().auth().oauth2(TestTokens.finance()).when().get("/api/v1/partners/" + partnerId + "/intake")
                .then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aNewPartnersTopicIsCreatedWithin5sAndItsEventsAcceptedWithin10sOfRegistration() throws Exception {
        // given a partner the system has never seen
        String p = KafkaTestSupport.uniquePartnerId("ptopic");
        String topic = "revshare.usage.raw." + p;
        assertTrue(!exists(topic));

        // when it is registered the way the ledger does it, on revshare.partners
        long registered = System.nanoTime();
        KafkaTestSupport.publishPartner(p, "USD");

        // then its topic exists within 5 s, with the shared raw topic's retention (7 days)
        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(50)).until(() -> exists(topic));
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        assertEquals("604800000", admin.describeConfigs(List.of(resource)).all().get(10, TimeUnit.SECONDS)
                .get(resource).get("retention.ms").value());
        TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                .get(topic);
        assertEquals(1, description.partitions().size());

        // and an event the partner sends on it (no key) is accepted within 10 s of the registration
        KafkaTestSupport.send(topic, null, Events.minimal(p, "pt-1", 3));
        Duration left = Duration.ofSeconds(10).minusNanos(System.nanoTime() - registered);
        await().atMost(left).pollInterval(Duration.ofMillis(100)).until(() -> intake(p).getInt("accepted") == 1);
    }

    @Test
    void onItsOwnTopicThePartnerIsTheTopicsAndAnythingElseIsAMismatchCountedAsItsRejection() throws Exception {
        // given two registered partners
        String a = KafkaTestSupport.uniquePartnerId("pta");
        String b = KafkaTestSupport.uniquePartnerId("ptb");
        KafkaTestSupport.publishPartner(a, "USD");
        KafkaTestSupport.publishPartner(b, "USD");
        String topicA = "revshare.usage.raw." + a;
        await().atMost(WAIT).until(() -> exists(topicA) && exists("revshare.usage.raw." + b));

        // when A's topic carries an event for B, an event for A keyed B, an event for A keyed A and a control of A
        KafkaTestSupport.send(topicA, null, Events.minimal(b, "as-b", 1));
        KafkaTestSupport.send(topicA, b, Events.minimal(a, "keyed-b", 1));
        KafkaTestSupport.send(topicA, a, Events.minimal(a, "own", 1));
        KafkaTestSupport.send(topicA, null, Controls.control(a, "ctl", "2026-11-02T00:00:00Z", "2026-11-02T01:00:00Z",
                1, "{\"requests\":1}", "{}"));

        // then only A's own event and control are accepted
        await().atMost(WAIT).until(() -> intake(a).getInt("controls") == 1 && intake(a).getInt("rejected") == 2);
        JsonPath countsA = intake(a);
        assertEquals(1, countsA.getInt("accepted"));
        assertEquals(0, intake(b).getInt("accepted"));
        // and both mismatches are A's rejections (its claim), listed for A, none for B
        assertEquals(0, intake(b).getInt("rejected"));
        JsonPath listed = given().auth().oauth2(TestTokens.partner(a)).when()
                .get("/api/v1/partners/" + a + "/rejections").then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("PARTNER_MISMATCH", "PARTNER_MISMATCH"), listed.getList("rejections.reason"));
        assertEquals(List.of("as-b", "keyed-b"), listed.getList("rejections.eventId"));
        assertEquals(List.of("kafka", "kafka"), listed.getList("rejections.channel"));
        assertTrue(listed.getString("rejections[1].detail").contains("record key"), listed.prettify());
        // and the shared topic still works for trusted producers
        KafkaTestSupport.send("revshare.usage.raw", b, Events.minimal(b, "shared-1", 1));
        await().atMost(WAIT).until(() -> intake(b).getInt("accepted") == 1);
        assertEquals(Map.of(), Map.of());
    }
}
