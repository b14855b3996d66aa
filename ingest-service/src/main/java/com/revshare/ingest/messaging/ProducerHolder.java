package com.revshare.ingest.messaging;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * A producer created on first use and replaced after a failure. A Kafka producer can end in a state it
 * never leaves (a fatal idempotence error, a failed creation while the broker's address did not resolve),
 * so a loop that keeps using the same instance would fail forever; whoever sees a send fail discards it
 * and the next use builds a fresh one. Thread-safe.
 */
final class ProducerHolder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProducerHolder.class);

    private final Supplier<KafkaProducer<String, byte[]>> factory;
    private KafkaProducer<String, byte[]> current;

    ProducerHolder(Supplier<KafkaProducer<String, byte[]>> factory) {
        this.factory = factory;
    }

    /** The current producer, created now if there is none (creation may throw; the next call tries again). */
    synchronized KafkaProducer<String, byte[]> get() {
        if (current == null) {
            current = factory.get();
        }
        return current;
    }

    /** Closes and forgets {@code failed} if it is still the current producer. */
    void discard(KafkaProducer<String, byte[]> failed) {
        synchronized (this) {
            if (failed == null || current != failed) {
                return;
            }
            current = null;
        }
        closeQuietly(failed, Duration.ZERO);
    }

    @Override
    public void close() {
        KafkaProducer<String, byte[]> p;
        synchronized (this) {
            p = current;
            current = null;
        }
        if (p != null) {
            closeQuietly(p, Duration.ofSeconds(5));
        }
    }

    private static void closeQuietly(KafkaProducer<String, byte[]> p, Duration timeout) {
        try {
            p.close(timeout);
        } catch (RuntimeException e) {
            LOG.debugf("closing a producer failed: %s", e.toString());
        }
    }
}
