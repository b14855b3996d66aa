package com.revshare.ingest.messaging;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ingest.application.RejectionSink;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.config.TopicsConfig;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Publishes rejection records on revshare.usage.rejected and waits for the broker's acknowledgement. */
@ApplicationScoped
public class RejectionPublisher implements RejectionSink {
    private final ObjectMapper json;
    private final String topic;
    private final long publishTimeoutMs;
    private final ProducerHolder producer;

    public RejectionPublisher(KafkaClients clients, ObjectMapper json, IngestConfig config, TopicsConfig topics) {
        this.producer = new ProducerHolder(() -> clients.producer("revshare-ingest-rejections"));
        this.json = json;
        this.topic = topics.usageRejected();
        this.publishTimeoutMs = config.publishTimeoutMs();
    }

    /** Throws when the broker did not acknowledge every record in time; the caller retries the whole batch. */
    @Override
    public void publish(List<RejectedRecord> rejections) {
        KafkaProducer<String, byte[]> p = null;
        List<Future<RecordMetadata>> sent = new ArrayList<>(rejections.size());
        try {
            p = producer.get();
            for (RejectedRecord r : rejections) {
                RejectionMessage message = RejectionMessage.of(r.rejection(), r.raw(), r.receivedAt());
                sent.add(p.send(new ProducerRecord<>(topic, message.partnerId(), json.writeValueAsBytes(message))));
            }
            p.flush();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(publishTimeoutMs);
            for (Future<RecordMetadata> f : sent) {
                f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            producer.discard(p);
            throw new IllegalStateException("interrupted while publishing rejections", e);
        } catch (Exception e) {
            // the retry gets a fresh producer: this one may be in a state it never leaves
            producer.discard(p);
            throw new IllegalStateException("rejections not acknowledged by the broker", e);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        producer.close();
    }
}
