package com.revshare.benchmark;

import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces generated usage events to a topic as a partner would (keyed by partner id,
 * idempotent, acks=all, lz4), either as fast as the producer goes or paced to a fixed offered
 * rate. A paced event's latency counts from its scheduled time, so a producer that falls
 * behind does not hide the delay (no coordinated omission).
 */
final class RawProducer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    RawProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, "67108864");
        this.producer = new KafkaProducer<>(props);
    }

    /**
     * Sends {@code count} records from the generator to {@code topic}, at {@code ratePerSecond}
     * (0 = as fast as possible), telling the tracker (may be null) about each.
     */
    void produce(String topic, FeedGenerator generator, char phase, long count, double ratePerSecond,
            PhaseTracker tracker) {
        long start = System.nanoTime();
        double intervalNanos = ratePerSecond > 0 ? 1e9 / ratePerSecond : 0;
        for (long i = 0; i < count; i++) {
            FeedGenerator.Event e = generator.next(phase);
            long at;
            if (intervalNanos > 0) {
                long scheduled = start + (long) (i * intervalNanos);
                long wait;
                while ((wait = scheduled - System.nanoTime()) > 0) {
                    LockSupport.parkNanos(wait);
                }
                at = scheduled;
            } else {
                at = System.nanoTime();
            }
            if (tracker != null) {
                tracker.sent(e.partner(), at, e.duplicate());
            }
            producer.send(new ProducerRecord<>(topic, e.key(), e.value()), (metadata, exception) -> {
                if (exception != null) {
                    failure.compareAndSet(null, exception);
                }
            });
            if ((i & 0xFFF) == 0) {
                check();
            }
        }
        producer.flush();
        check();
    }

    private void check() {
        Exception e = failure.get();
        if (e != null) {
            throw new IllegalStateException("producing to Kafka failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
