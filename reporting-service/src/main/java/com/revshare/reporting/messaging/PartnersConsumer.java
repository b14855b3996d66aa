package com.revshare.reporting.messaging;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.config.TopicsConfig;
import com.revshare.reporting.domain.PartnerIds;
import com.revshare.reporting.persistence.PartnerStore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Reads the compacted topic revshare.partners from its beginning on every start (it is small and
 * holds the latest record per partner) and keeps the registry table current. Without a consumer
 * group: every instance reads all of it. {@link #isLoaded()} turns true once the topic has been
 * read to the end offsets seen at start; readiness waits for it, so a known partner is never
 * answered 404 by a freshly started instance.
 */
@ApplicationScoped
public class PartnersConsumer {
    private static final Logger LOG = Logger.getLogger(PartnersConsumer.class);

    private final KafkaClients clients;
    private final PartnerStore store;
    private final ObjectMapper json;
    private final TopicsConfig topics;
    private final ReportingConfig.Partners config;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean loaded = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private final Counter invalid;
    private final Counter errors;
    private volatile KafkaConsumer<String, byte[]> consumer;
    private Thread thread;

    public PartnersConsumer(KafkaClients clients, PartnerStore store, ObjectMapper json, TopicsConfig topics,
            ReportingConfig config, MeterRegistry registry) {
        this.clients = clients;
        this.store = store;
        this.json = json;
        this.topics = topics;
        this.config = config.partners();
        this.invalid = registry.counter("revshare.reporting.partners.invalid");
        this.errors = registry.counter("revshare.reporting.partners.errors");
    }

    void start(@Observes StartupEvent event) {
        running.set(true);
        thread = new Thread(this::run, "reporting-partners");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        running.set(false);
        stopping.countDown();
        KafkaConsumer<String, byte[]> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        if (thread != null) {
            thread.join(TimeUnit.SECONDS.toMillis(15));
        }
    }

    public boolean isLoaded() {
        return loaded.get();
    }

    private void run() {
        while (running.get()) {
            try (KafkaConsumer<String, byte[]> c = clients.consumer("revshare-reporting-partners", null,
                    Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords()))) {
                consumer = c;
                List<TopicPartition> partitions = c.partitionsFor(topics.partners()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                while (running.get()) {
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(config.pollTimeoutMs()));
                    Map<String, PartnerMessage> latest = new LinkedHashMap<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        PartnerMessage m = parse(r);
                        if (m != null) {
                            latest.put(m.partnerId(), m);
                        }
                    }
                    store.upsert(latest.values());
                    if (!loaded.get() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        loaded.set(true);
                        LOG.infof("partner registry loaded from %s", topics.partners());
                    }
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (Exception e) {
                errors.increment();
                LOG.error("partner registry consumer failed; restarting it", e);
                try {
                    stopping.await(1, TimeUnit.SECONDS);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            } finally {
                consumer = null;
            }
        }
    }

    private PartnerMessage parse(ConsumerRecord<String, byte[]> r) {
        if (r.value() == null) {
            // a tombstone: the ledger never deletes partners; keep the last known record
            return null;
        }
        try {
            PartnerMessage m = json.readValue(r.value(), PartnerMessage.class);
            if (m == null || !PartnerIds.isValid(m.partnerId()) || m.name() == null || m.currency() == null
                    || !m.currency().matches("[A-Z]{3}") || m.name().indexOf('\0') >= 0
                    || (m.status() != null && m.status().indexOf('\0') >= 0)) {
                // (U+0000 cannot be stored in a text column: such a record would fail its batch forever)
                throw new IllegalArgumentException("missing or invalid field");
            }
            return new PartnerMessage(m.partnerId(), m.name(), m.currency(), m.status() == null ? "ACTIVE" : m.status());
        } catch (Exception e) {
            invalid.increment();
            LOG.errorf("unreadable partner record at %s-%d@%d skipped: %s", r.topic(), r.partition(), r.offset(),
                    e.getMessage());
            return null;
        }
    }
}
