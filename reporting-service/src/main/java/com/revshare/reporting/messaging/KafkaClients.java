package com.revshare.reporting.messaging;

import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * Builds plain Kafka consumers from the application's {@code kafka.*} configuration (bootstrap
 * servers, and in production its security settings), so every client of the service talks to the
 * same cluster the Kafka health check watches.
 */
@ApplicationScoped
public class KafkaClients {
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafkaConfig;

    /** A consumer with String keys and raw byte values; {@code groupId} null = no group (assign only). */
    public KafkaConsumer<String, byte[]> consumer(String clientId, String groupId, Map<String, Object> overrides) {
        Properties props = new Properties();
        kafkaConfig.forEach((k, v) -> {
            if (ConsumerConfig.configNames().contains(k)) {
                props.put(k, v);
            }
        });
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId);
        if (groupId != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        } else {
            props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        }
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.putAll(overrides);
        return new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
