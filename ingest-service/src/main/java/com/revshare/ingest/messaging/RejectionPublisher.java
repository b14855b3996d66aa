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
    private final KafkaClients clients;
    private final ObjectMapper json;
    private final String topic;
    private final long publishTimeoutMs;
    private volatile KafkaProducer<String, byte[]> producer;

    public RejectionPublisher(KafkaClients clients, ObjectMapper json, IngestConfig config, TopicsConfig topics) {
        this.clients = clients;
        this.json = json;
        this.topic = topics.usageRejected();
        this.publishTimeoutMs = config.publishTimeoutMs();
    }

    @Override
    public void publish(List<RejectedRecord> rejections) {
        KafkaProducer<String, byte[]> p = producer();
        List<Future<RecordMetadata>> sent = new ArrayList<>(rejections.size());
        try {
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
            throw new IllegalStateException("interrupted while publishing rejections", e);
        } catch (Exception e) {
            throw new IllegalStateException("rejections not acknowledged by the broker", e);
        }
    }

    private KafkaProducer<String, byte[]> producer() {
        KafkaProducer<String, byte[]> p = producer;
        if (p == null) {
            synchronized (this) {
                if (producer == null) {
                    producer = clients.producer("revshare-ingest-rejections");
                }
                p = producer;
            }
        }
        return p;
    }

    void stop(@Observes ShutdownEvent event) {
        KafkaProducer<String, byte[]> p = producer;
        if (p != null) {
            p.close(java.time.Duration.ofSeconds(5));
        }
    }
}
