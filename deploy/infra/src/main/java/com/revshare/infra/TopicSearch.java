package com.revshare.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Finds the first JSON record of a topic that matches, reading every partition from its beginning
 * without a consumer group (nothing committed, no rebalance): what a test does to find, say, the
 * rejection of one event on revshare.usage.rejected.
 */
public final class TopicSearch {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TopicSearch() {
    }

    /**
     * The first record of {@code topic} whose value, read as JSON, matches {@code match}, looking
     * until {@code timeout} has passed; empty when none did. {@code clientProperties} are the
     * bootstrap servers and, on a secured broker, the credentials.
     */
    public static Optional<JsonNode> first(Map<String, ?> clientProperties, String topic, Predicate<JsonNode> match,
            Duration timeout) {
        Map<String, Object> props = new HashMap<>(clientProperties);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Instant deadline = Instant.now().plus(timeout);
            while (Instant.now().isBefore(deadline)) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    JsonNode node = r.value() == null ? null : JSON.readTree(r.value());
                    if (node != null && match.test(node)) {
                        return Optional.of(node);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a record of " + topic + " is not JSON", e);
        }
        return Optional.empty();
    }

    /** {@link #first} on a broker without credentials at {@code bootstrapServers}. */
    public static Optional<JsonNode> first(String bootstrapServers, String topic, Predicate<JsonNode> match,
            Duration timeout) {
        return first(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), topic, match, timeout);
    }
}
