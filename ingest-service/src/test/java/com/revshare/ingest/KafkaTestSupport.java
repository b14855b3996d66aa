package com.revshare.ingest;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.Infrastructure;

/**
 * Test-side Kafka: produce to the real broker the service reads, and read what it wrote. A {@link Tail}
 * remembers the end offsets of a topic when created, so a test reads only what appeared after it began.
 */
final class KafkaTestSupport {
    static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<byte[], byte[]> producer;

    private KafkaTestSupport() {
    }

    static synchronized KafkaProducer<byte[], byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
            producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    /** Sends and waits for the acknowledgement; a null key or value is sent as null. */
    static void send(String topic, String key, byte[] value) {
        try {
            producer().send(new ProducerRecord<>(topic, key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void send(String topic, String key, String value) {
        send(topic, key, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** Registers a partner the way the ledger does: a record on the compacted partners topic. */
    static void publishPartner(String partnerId, String currency) {
        send("revshare.partners", partnerId, "{\"partnerId\":\"" + partnerId + "\",\"name\":\"Test " + partnerId
                + "\",\"currency\":\"" + currency + "\",\"status\":\"ACTIVE\"}");
    }

    static String uniquePartnerId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** A reader of one topic from the end offsets it saw when created. */
    static final class Tail implements AutoCloseable {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final List<ConsumerRecord<byte[], byte[]>> seen = new ArrayList<>();

        Tail(String topic) {
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
            consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(i -> new TopicPartition(topic, i.partition())).toList();
            consumer.assign(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            end.forEach(consumer::seek);
        }

        /** Everything that appeared since creation (polls once more for new records). */
        synchronized List<ConsumerRecord<byte[], byte[]>> records() {
            for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                seen.add(r);
            }
            return List.copyOf(seen);
        }

        /** Values (parsed JSON) of the records whose key is {@code key}. */
        List<JsonNode> values(String key) {
            return values(r -> key.equals(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8)));
        }

        List<JsonNode> values(Predicate<ConsumerRecord<byte[], byte[]>> filter) {
            List<JsonNode> out = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> r : records()) {
                if (filter.test(r)) {
                    try {
                        out.add(JSON.readTree(r.value()));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }
            return out;
        }

        /** Raw values as strings, by key. */
        Map<String, List<String>> rawByKey() {
            Map<String, List<String>> out = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : records()) {
                String k = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
                out.computeIfAbsent(k, x -> new ArrayList<>()).add(new String(r.value(), StandardCharsets.UTF_8));
            }
            return out;
        }

        @Override
        public void close() {
            consumer.close();
        }
    }
}
