package com.revshare.ingest.messaging;

import java.util.HashMap;
import java.util.Map;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Builds the service's plain Kafka clients from every {@code kafka.*} property (so SASL/TLS settings of
 * a production cluster apply to all of them) plus the settings each role needs.
 */
@ApplicationScoped
public class KafkaClients {
    private final Map<String, Object> common;

    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> common) {
        this.common = Map.copyOf(common);
    }

    /** A consumer of raw bytes; without a group id when {@code groupId} is null (assign() only). */
    public KafkaConsumer<byte[], byte[]> consumer(String clientId, String groupId, int maxPollRecords) {
        return consumer(clientId, groupId, maxPollRecords, Map.of());
    }

    /** As {@link #consumer(String, String, int)}, with settings of its own on top (e.g. metadata.max.age.ms). */
    public KafkaConsumer<byte[], byte[]> consumer(String clientId, String groupId, int maxPollRecords,
            Map<String, Object> overrides) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        } else {
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putIfAbsent(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10000);
        props.putIfAbsent(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, 1000);
        props.putAll(overrides);
        return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    /** An admin client (topic creation) with the same connection and security settings. */
    public Admin admin(String clientId) {
        Map<String, Object> props = new HashMap<>();
        common.forEach((k, v) -> {
            if (AdminClientConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, clientId);
        return Admin.create(props);
    }

    /** An idempotent producer with {@code acks=all}: string keys (partner ids), byte values, LZ4 unless configured. */
    public KafkaProducer<String, byte[]> producer(String clientId) {
        return producer(clientId, null);
    }

    /**
     * As {@link #producer(String)}, with {@code compression.type} set to {@code compressionType} (over any
     * {@code kafka.compression.type}); null keeps the common setting, else LZ4.
     */
    public KafkaProducer<String, byte[]> producer(String clientId, String compressionType) {
        Map<String, Object> props = new HashMap<>(common);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
        props.putIfAbsent(ProducerConfig.BATCH_SIZE_CONFIG, 262144);
        if (compressionType != null) {
            props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compressionType);
        } else {
            props.putIfAbsent(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        }
        return new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    }
}
