package com.revshare.ingest.messaging;

import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ingest.application.IncomingRecord;
import com.revshare.ingest.application.IngestMetrics;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.config.TopicsConfig;
import com.revshare.ingest.application.IntakeStorage;
import com.revshare.platform.PollLoop;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Follows the compacted revshare.partners topic from its beginning with assign() (no consumer group:
 * every instance reads everything), keeping the latest record per key in the {@link PartnerRegistry}.
 * The registry counts as loaded once the reader has reached the end offsets it saw when it started
 * (SPEC §2.4); it then keeps following, so a newly registered partner is known within one poll.
 */
@ApplicationScoped
public class PartnerTopicReader {
    private static final Logger LOG = Logger.getLogger(PartnerTopicReader.class);

    private final KafkaClients clients;
    private final PartnerRegistry registry;
    private final ObjectMapper json;
    private final IngestMetrics metrics;
    private final IntakeStorage intakeStore;
    private final String topic;
    private final IngestConfig limits;
    private final PartnerTopics partnerTopics;
    private final PollLoop loop = new PollLoop("ingest-partner-registry");

    public PartnerTopicReader(KafkaClients clients, PartnerRegistry registry, ObjectMapper json, IngestMetrics metrics,
            IntakeStorage intakeStore, IngestConfig config, TopicsConfig topics, PartnerTopics partnerTopics) {
        this.intakeStore = intakeStore;
        this.partnerTopics = partnerTopics;
        this.clients = clients;
        this.registry = registry;
        this.json = json;
        this.metrics = metrics;
        this.topic = topics.partners();
        this.limits = config;
    }

    void start(@Observes StartupEvent event) {
        loop.start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    private void run() {
        Backoff backoff = new Backoff(limits.retryBackoffInitialMs(), limits.retryBackoffMaxMs(), loop);
        while (loop.running()) {
            try (KafkaConsumer<byte[], byte[]> c = clients.consumer("revshare-ingest-partners", null, 10_000)) {
                loop.attach(c);
                follow(c);
            } catch (WakeupException e) {
                // shutdown
            } catch (Throwable e) {
                // the reader must never die (a partner registered later would stay unknown)
                if (loop.running()) {
                    metrics.loopError("partners");
                    LOG.warnf("partner registry reader failed, restarting from the beginning: %s", e.toString());
                    backoff.pause();
                }
            } finally {
                loop.attach(null);
            }
        }
    }

    private void follow(KafkaConsumer<byte[], byte[]> c) {
        List<PartitionInfo> infos = c.partitionsFor(topic, Duration.ofMillis(limits.publishTimeoutMs()));
        if (infos == null || infos.isEmpty()) {
            throw new IllegalStateException("topic " + topic + " has no partitions (does it exist?)");
        }
        List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
        c.assign(partitions);
        c.seekToBeginning(partitions);
        Map<TopicPartition, Long> startupEnd = c.endOffsets(partitions);
        LOG.infof("reading %s from the beginning up to %s", topic, startupEnd);
        Duration pollTimeout = Duration.ofMillis(limits.partnerPollTimeoutMs());
        while (loop.running()) {
            for (ConsumerRecord<byte[], byte[]> record : c.poll(pollTimeout)) {
                apply(record);
            }
            if (!registry.isLoaded() && caughtUp(c, startupEnd)) {
                registry.markLoaded();
                LOG.infof("partner registry loaded: %d partners", registry.size());
            }
        }
    }

    private static boolean caughtUp(KafkaConsumer<byte[], byte[]> c, Map<TopicPartition, Long> end) {
        for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
            if (c.position(e.getKey()) < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    private void apply(ConsumerRecord<byte[], byte[]> record) {
        String key = record.key() == null ? null : new String(record.key(), java.nio.charset.StandardCharsets.UTF_8);
        if (record.value() == null) {
            if (key != null) {
                registry.remove(key);
            }
            return;
        }
        try {
            PartnerRegistry.Partner p = json.readValue(record.value(), PartnerRegistry.Partner.class);
            if (p.partnerId() == null || (key != null && !key.equals(p.partnerId()))) {
                throw new IllegalArgumentException("partnerId " + p.partnerId() + " does not match key " + key);
            }
            registry.put(p);
            if (p.active()) {
                partnerTopics.ensure(p.partnerId()); // SPEC §2.4: its own raw topic within 5 s of registration
            }
        } catch (Exception e) {
            // never silently dropped: kept in the database (once per position), counted and logged; if it cannot
            // be kept, this throws and the reader starts again from the beginning after a back-off
            String error = e.getClass().getSimpleName() + ": " + e.getMessage();
            try {
                intakeStore.keepUnreadablePartnerRecord(
                        new IncomingRecord.SourcePosition(record.topic(), record.partition(), record.offset()),
                        record.key(), record.value(), error);
            } catch (SQLException sql) {
                throw new IllegalStateException("unreadable partner record at " + record.topic() + "-"
                        + record.partition() + "@" + record.offset() + " could not be kept", sql);
            }
            metrics.unreadablePartnerRecord();
            LOG.errorf("unreadable partner record at %s-%d@%d kept in ingest_unreadable_partner_record "
                    + "(the registry keeps this partner's previous record): %s", record.topic(), record.partition(),
                    record.offset(), error);
        }
    }
}
