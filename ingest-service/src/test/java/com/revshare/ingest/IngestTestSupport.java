package com.revshare.ingest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;

import com.revshare.infra.TestTokens;
import com.revshare.ingest.application.PartnerRegistry;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.restassured.response.ValidatableResponse;

/** HTTP, registry and metric helpers shared by the integration tests. */
final class IngestTestSupport {
    static final Duration WAIT = Duration.ofSeconds(30);
    static final String SINGLE = "application/cloudevents+json";
    static final String BATCH = "application/cloudevents-batch+json";

    private IngestTestSupport() {
    }

    /** Publishes the partner on the partners topic and waits until ingest knows it. */
    static String registerPartner(PartnerRegistry registry, String partnerId) {
        KafkaTestSupport.publishPartner(partnerId, "USD");
        await().atMost(WAIT).until(() -> registry.isRegistered(partnerId));
        return partnerId;
    }

    static ValidatableResponse post(String partnerId, String contentType, byte[] body) {
        return given().auth().oauth2(TestTokens.partner(partnerId)).contentType(contentType).body(body)
                .when().post("/api/v1/usage-events").then();
    }

    static ValidatableResponse post(String partnerId, String contentType, String body) {
        return post(partnerId, contentType, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Sum of a counter over all its series matching the given tags. */
    static double count(MeterRegistry registry, String name, String... tags) {
        return registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum();
    }

    static String futureTime() {
        return Instant.now().plusSeconds(3600).toString();
    }
}
