package com.revshare.ledger.messaging;

import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.revshare.ledger.config.LedgerConfig;

import io.smallrye.common.annotation.Identifier;

/**
 * Client properties for the ledger's plain Kafka producers and consumer: {@code bootstrap.servers} and
 * the cluster's security settings ({@code security.protocol}, {@code sasl.*}, {@code ssl.*}, configured
 * as {@code kafka.*} properties like in the other services) for every client, plus each role's own.
 */
@ApplicationScoped
public class KafkaSettings {
    @Inject
    @Identifier("default-kafka-broker")
    Map<String, Object> kafka;

    @Inject
    LedgerConfig config;

    /** The connection and security settings every client takes. */
    Map<String, Object> common() {
        Map<String, Object> p = new HashMap<>();
        kafka.forEach((key, value) -> {
            if (key.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG)
                    || key.equals(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG) || key.startsWith("sasl.")
                    || key.startsWith("ssl.")) {
                p.put(key, value);
            }
        });
        return p;
    }

    /**
     * An idempotent producer that waits for all in-sync replicas, compressing with
     * {@code revshare.ledger.producer.compression} ({@code none} by default: the records stay inside the
     * cluster's network, and the CPU of compressing them matters more there than their bytes).
     */
    public Map<String, Object> producer(String clientId) {
        Map<String, Object> p = common();
        p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.producer().compression());
        p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
        return p;
    }

    /**
     * The revshare.usage.accepted consumer: manual commits after the database commit, and a short session
     * timeout so that the partitions of a dead instance move to a live one within seconds.
     */
    public Map<String, Object> consumer() {
        Map<String, Object> p = common();
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.consumer().groupId());
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "revshare-ledger-usage");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.consumer().maxPollRecords());
        p.put(ConsumerConfig.FETCH_MIN_BYTES_CONFIG, config.consumer().fetchMinBytes());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, config.consumer().fetchMaxWaitMs());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) config.consumer().sessionTimeoutMs());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                (int) Math.max(100, config.consumer().sessionTimeoutMs() / 5));
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
        return p;
    }
}
