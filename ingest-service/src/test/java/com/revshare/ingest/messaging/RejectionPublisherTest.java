package com.revshare.ingest.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.infra.Infrastructure;
import com.revshare.ingest.application.Outcome;
import com.revshare.ingest.application.RejectionSink;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.config.TopicsConfig;
import com.revshare.ingest.domain.RejectionReason;

/**
 * A producer that failed is not used again: the next publish (the pipeline's retry of the batch) gets a
 * fresh one. Before, the first producer was kept for the life of the service, so a producer stuck in a
 * fatal state would have failed every later batch and stalled the consumer for good.
 */
class RejectionPublisherTest {
    private static final String TOPIC = "revshare.usage.rejected";

    @Test
    void afterAFailedPublishTheRetryUsesAFreshProducerAndSucceeds() throws Exception {
        AtomicInteger created = new AtomicInteger();
        KafkaClients broken = new KafkaClients(Map.of("bootstrap.servers", "127.0.0.1:1", "max.block.ms", 300,
                "request.timeout.ms", 300, "delivery.timeout.ms", 700));
        KafkaClients working = new KafkaClients(Map.of("bootstrap.servers", Infrastructure.shared().kafkaBootstrap()));
        KafkaClients clients = new KafkaClients(Map.of()) {
            @Override
            public KafkaProducer<String, byte[]> producer(String clientId) {
                return created.getAndIncrement() == 0 ? broken.producer(clientId) : working.producer(clientId);
            }
        };
        RejectionPublisher publisher = new RejectionPublisher(clients, new ObjectMapper(), config(2_000), topics());
        String eventId = "publisher-" + UUID.randomUUID();
        List<RejectionSink.RejectedRecord> batch = List.of(new RejectionSink.RejectedRecord(
                new Outcome.Rejected(RejectionReason.MALFORMED_JSON, "not valid JSON", null, eventId),
                "{oops".getBytes(StandardCharsets.UTF_8), Instant.now()));
        try (KafkaConsumer<byte[], byte[]> tail = tail()) {
            assertThrows(IllegalStateException.class, () -> publisher.publish(batch));
            publisher.publish(batch);
            assertEquals(2, created.get(), "a second producer replaced the failed one");
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<byte[], byte[]> r : tail.poll(Duration.ofMillis(200))) {
                    if (new String(r.value(), StandardCharsets.UTF_8).contains(eventId)) {
                        return true;
                    }
                }
                return false;
            });
        } finally {
            publisher.stop(null);
        }
    }

    private static KafkaConsumer<byte[], byte[]> tail() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, Infrastructure.shared().kafkaBootstrap());
        KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = c.partitionsFor(TOPIC).stream()
                .map(i -> new TopicPartition(TOPIC, i.partition())).toList();
        c.assign(partitions);
        c.endOffsets(partitions).forEach(c::seek);
        return c;
    }

    private static IngestConfig config(long publishTimeoutMs) {
        Map<String, Object> values = new HashMap<>();
        values.put("publishTimeoutMs", publishTimeoutMs);
        return (IngestConfig) Proxy.newProxyInstance(IngestConfig.class.getClassLoader(),
                new Class<?>[] {IngestConfig.class}, (proxy, method, args) -> {
                    if (!values.containsKey(method.getName())) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return values.get(method.getName());
                });
    }

    private static TopicsConfig topics() {
        return (TopicsConfig) Proxy.newProxyInstance(TopicsConfig.class.getClassLoader(),
                new Class<?>[] {TopicsConfig.class}, (proxy, method, args) -> {
                    if (method.getName().equals("usageRejected")) {
                        return TOPIC;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }
}
