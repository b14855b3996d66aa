package com.revshare.ledger.messaging;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.jboss.logging.Logger;

/**
 * A producer created on first use and replaced after a failure. A Kafka producer can end in a state it
 * never leaves (a fatal idempotence error, a failed creation while the broker's address did not
 * resolve), so whoever sees a send fail discards it and the next use builds a fresh one. Thread-safe.
 */
final class ProducerHolder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ProducerHolder.class);

    private final Supplier<KafkaProducer<String, String>> factory;
    private KafkaProducer<String, String> current;

    ProducerHolder(Supplier<KafkaProducer<String, String>> factory) {
        this.factory = factory;
    }

    /** The current producer, created now if there is none (creation may throw; the next call tries again). */
    synchronized KafkaProducer<String, String> get() {
        if (current == null) {
            current = factory.get();
        }
        return current;
    }

    /** Closes and forgets {@code failed} if it is still the current producer. */
    void discard(KafkaProducer<String, String> failed) {
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
        KafkaProducer<String, String> p;
        synchronized (this) {
            p = current;
            current = null;
        }
        if (p != null) {
            closeQuietly(p, Duration.ofSeconds(5));
        }
    }

    private static void closeQuietly(KafkaProducer<String, String> p, Duration timeout) {
        try {
            p.close(timeout);
        } catch (RuntimeException e) {
            LOG.debugf("closing a producer failed: %s", e.toString());
        }
    }
}
