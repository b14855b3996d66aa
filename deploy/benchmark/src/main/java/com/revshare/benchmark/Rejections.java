package com.revshare.benchmark;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.revshare.infra.Topics;

/** Reads revshare.usage.rejected (without a consumer group) to say why records were rejected. */
final class Rejections {
    private Rejections() {
    }

    /** Counts by reason plus the first few details, e.g. "{INVALID_FIELD=3} first: [...]". */
    static String summary(String bootstrap, int examples) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        Map<String, Integer> byReason = new TreeMap<>();
        StringBuilder first = new StringBuilder();
        int shown = 0;
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props)) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.USAGE_REJECTED).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (System.nanoTime() < deadline && partitions.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(500))) {
                    try {
                        JsonNode n = Api.JSON.readTree(r.value());
                        byReason.merge(n.path("reason").asText("?"), 1, Integer::sum);
                        if (shown++ < examples) {
                            first.append(first.length() == 0 ? "" : "; ").append(n.path("reason").asText()).append(' ')
                                    .append(n.path("eventId").asText()).append(": ").append(n.path("detail").asText());
                        }
                    } catch (Exception e) {
                        byReason.merge("unreadable", 1, Integer::sum);
                    }
                }
            }
        } catch (RuntimeException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
        return byReason + (first.length() > 0 ? " first: [" + first + "]" : "");
    }
}
