package com.revshare.ledger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.revshare.infra.Topics;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * SPEC §2.7 v2 pipeline completeness through real Kafka and PostgreSQL: the balance's ingestSequence is
 * the largest n such that the partner's accepted events 1 … n are all stored; a hole is never skipped:
 * the watermark stops before it and revshare_ledger_ingest_gap{partner} counts the missing events until
 * they arrive.
 */
@QuarkusTest
class IngestCompletenessTest {
    @io.quarkus.test.common.http.TestHTTPResource(value = "/", management = true)
    java.net.URL management;


    private static JsonPath balance(String partner) {
        return given().header("Authorization", Fixtures.finance()).get("/api/v1/partners/" + partner + "/balance")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void produce(String partner, List<String> values) {
        List<String[]> records = new ArrayList<>();
        for (String v : values) {
            records.add(new String[] {partner, v});
        }
        KafkaTestClient.produce(Topics.USAGE_ACCEPTED, records);
    }

    private static String ev(String partner, long ingestSequence) {
        return Fixtures.accepted(partner, "seq-" + ingestSequence, "2026-11-06T00:00:0" + ingestSequence + "Z",
                "llama-3.1-70b-instruct", "output_tokens", 1000, null, null, ingestSequence);
    }

    private String gaugeLine(String partner) {
        String metrics = given().get(Management.url(management, "/q/metrics")).then().statusCode(200).extract().asString();
        return metrics.lines().filter(l -> l.startsWith("revshare_ledger_ingest_gap{")
                && l.contains("partner=\"" + partner + "\"")).findFirst().orElse("");
    }

    @Test
    void aHoleStopsTheWatermarkAndShowsAsAGapUntilTheMissingEventArrives() {
        String p = "gap-partner";
        Fixtures.partner(p, "USD");
        Fixtures.agreement(p, """
                {"effectiveFrom":"2026-01-01T00:00:00Z","currency":"USD",
                 "rules":[{"id":"u","model":"*","metric":"*","type":"PER_UNIT","unitPrice":"2","unitSize":1000}]}""");
        assertThat(balance(p).getLong("ingestSequence"), is(0L));

        produce(p, List.of(ev(p, 1), ev(p, 2), ev(p, 4), ev(p, 5)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getInt("lastSequence") == 4);
        assertThat(balance(p).getLong("ingestSequence"), is(2L));
        assertThat(gaugeLine(p), containsString("} 1.0"));

        // a re-delivery of events already seen changes nothing
        produce(p, List.of(ev(p, 5), ev(p, 1)));
        produce(p, List.of(ev(p, 3)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getLong("ingestSequence") == 5);
        assertThat(balance(p).getInt("lastSequence"), is(5));
        assertThat(gaugeLine(p), containsString("} 0.0"));

        // an UNPROCESSABLE event counts as stored: the watermark passes it
        produce(p, List.of(ev(p, 6).replace("2026-11-06T00:00:06Z", "0000-06-01T00:00:00Z"), ev(p, 7)));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> balance(p).getLong("ingestSequence") == 7);
        assertThat(balance(p).getInt("unratedCount"), is(1));
    }
}
