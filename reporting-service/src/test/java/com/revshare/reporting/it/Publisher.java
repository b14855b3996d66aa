package com.revshare.reporting.it;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringSerializer;

import com.revshare.infra.Infrastructure;
import com.revshare.infra.TestTokens;
import com.revshare.infra.Topics;

import io.restassured.path.json.JsonPath;

/** Publishes what the ledger would (partners, entries) and waits for reporting to apply it. */
public final class Publisher {
    private static KafkaProducer<String, String> producer;

    private Publisher() {
    }

    public static synchronized KafkaProducer<String, String> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
            p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
            producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
        }
        return producer;
    }

    public static void partner(String partnerId, String currency) {
        send(Topics.PARTNERS, partnerId, EntryFixtures.partner(partnerId, "Partner " + partnerId, currency));
    }

    public static void entries(Collection<EntryFixtures.Entry> entries) {
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        for (EntryFixtures.Entry e : entries) {
            sent.add(producer().send(new ProducerRecord<>(Topics.LEDGER_ENTRIES, e.partnerId(), e.json())));
        }
        producer().flush();
        for (Future<RecordMetadata> f : sent) {
            try {
                f.get();
            } catch (Exception ex) {
                throw new IllegalStateException(ex);
            }
        }
    }

    public static void entries(EntryFixtures.Entry... entries) {
        entries(List.of(entries));
    }

    public static void raw(String topic, String key, String value) {
        send(topic, key, value);
    }

    private static void send(String topic, String key, String value) {
        try {
            producer().send(new ProducerRecord<>(topic, key, value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sequence reporting has applied for the partner (0 if none), from /freshness. */
    public static long appliedSequence(String partnerId) {
        JsonPath body = given().auth().oauth2(TestTokens.finance()).get("/api/v1/reports/freshness")
                .then().statusCode(200).extract().jsonPath();
        List<Object> seqs = body.getList("findAll { it.partnerId == '" + partnerId + "' }.sequence");
        return seqs.isEmpty() ? 0 : ((Number) seqs.get(0)).longValue();
    }

    public static void awaitApplied(String partnerId, long sequence) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> appliedSequence(partnerId) >= sequence);
    }

    /** Waits until the partner registry shows the partner (a statement of zeros instead of 404). */
    public static void awaitPartner(String partnerId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> given().auth().oauth2(TestTokens.finance())
                        .get("/api/v1/reports/partners/" + partnerId + "/statements/2000-01").statusCode() == 200);
    }
}
