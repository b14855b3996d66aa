package com.revshare.ingest.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.revshare.ingest.application.Channel;
import com.revshare.ingest.application.IncomingRecord;
import com.revshare.ingest.application.IncomingRecord.SourcePartition;
import com.revshare.ingest.application.IncomingRecord.SourcePosition;
import com.revshare.ingest.application.IngestMetrics;
import com.revshare.ingest.application.PartnerRegistry;
import com.revshare.ingest.application.UsageIntake;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.PartnerClaim;
import com.revshare.ingest.application.IntakeStorage;
import com.revshare.platform.PollLoop;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Consumes revshare.usage.raw and every partner's own raw topic revshare.usage.raw.&lt;partnerId&gt; (a pattern
 * subscription that sees a new partner topic within {@code partnerTopicDiscoveryMs}) in group revshare-ingest,
 * one batch per poll: the whole poll goes through
 * {@link UsageIntake} (one database transaction, rejections acknowledged by the broker) and only then
 * are its offsets committed, once (the batch's transaction stores them first, so a rebalance in the middle of a
 * batch neither loses nor doubles a record). A failed batch is rewound and retried after a back-off; the loop
 * never dies on a bad record or a transient error. Starts consuming only once the partner registry is
 * loaded, so no event is rejected as UNKNOWN_PARTNER for a partner the registry has not read yet.
 */
@ApplicationScoped
public class UsageRawConsumer {
    private static final Logger LOG = Logger.getLogger(UsageRawConsumer.class);

    private final KafkaClients clients;
    private final UsageIntake intake;
    private final PartnerRegistry registry;
    private final IngestMetrics metrics;
    private final IntakeStorage intakeStore;
    private final IngestConfig limits;
    private final PartnerTopics partnerTopics;
    private final List<PollLoop> loops = new ArrayList<>();

    public UsageRawConsumer(KafkaClients clients, UsageIntake intake, PartnerRegistry registry, IngestMetrics metrics,
            IntakeStorage intakeStore, IngestConfig config, PartnerTopics partnerTopics) {
        this.intakeStore = intakeStore;
        this.partnerTopics = partnerTopics;
        this.clients = clients;
        this.intake = intake;
        this.registry = registry;
        this.metrics = metrics;
        this.limits = config;
    }

    void start(@Observes StartupEvent event) {
        for (int i = 0; i < limits.consumerThreads(); i++) {
            PollLoop loop = new PollLoop("ingest-usage-consumer-" + i);
            loops.add(loop);
            loop.start(() -> run(loop));
        }
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        for (PollLoop loop : loops) {
            loop.stop();
        }
    }

    private void run(PollLoop loop) {
        try {
            while (loop.running() && !registry.awaitLoaded(1000)) {
                LOG.debug("waiting for the partner registry before consuming usage");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        Backoff backoff = new Backoff(limits.retryBackoffInitialMs(), limits.retryBackoffMaxMs(), loop);
        while (loop.running()) {
            try (KafkaConsumer<byte[], byte[]> c = clients.consumer(Thread.currentThread().getName(), limits.groupId(),
                    limits.pollRecordsLimit(), Map.of(
                            // a new partner topic is seen by the pattern within this (SPEC §2.4: consumed within 5 s)
                            ConsumerConfig.METADATA_MAX_AGE_CONFIG, (int) limits.partnerTopicDiscoveryMs(),
                            // a new topic adds partitions without stopping the others (incremental rebalance)
                            ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                            CooperativeStickyAssignor.class.getName(),
                            // fuller polls at moderate rates, each waiting at most consumerFetchMaxWaitMs
                            ConsumerConfig.FETCH_MIN_BYTES_CONFIG, limits.consumerFetchMinBytes(),
                            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, limits.consumerFetchMaxWaitMs()))) {
                loop.attach(c);
                try {
                    c.subscribe(partnerTopics.subscription(), new SeekToStoredOffsets(c));
                    consume(c, loop, backoff);
                } finally {
                    loop.attach(null);
                }
            } catch (WakeupException e) {
                // shutdown
            } catch (Throwable e) {
                // the consumer must never die: even an Error closes this consumer and starts a fresh one
                if (loop.running()) {
                    metrics.loopError("usage-consumer");
                    LOG.warnf("usage consumer failed, reconnecting: %s", e.toString());
                    backoff.pause();
                }
            }
        }
    }

    private void consume(KafkaConsumer<byte[], byte[]> c, PollLoop loop, Backoff backoff) {
        Duration pollTimeout = Duration.ofMillis(limits.pollTimeoutMs());
        while (loop.running()) {
            ConsumerRecords<byte[], byte[]> records = c.poll(pollTimeout);
            if (records.isEmpty()) {
                continue;
            }
            try {
                intake.process(toIncoming(records));
                backoff.reset();
            } catch (WakeupException e) {
                throw e;
            } catch (Throwable e) {
                // only what the intake could not pin on one record gets here (database or broker failing):
                // retried as a whole; a record that throws anything is isolated and rejected by the intake
                if (!loop.running()) {
                    return;
                }
                metrics.loopError("usage-batch");
                LOG.warnf("usage batch of %d records failed, retrying it: %s", records.count(), e.toString());
                rewind(c, records);
                backoff.pause();
                continue;
            }
            commitOwned(c, records);
        }
    }

    /**
     * Commits the batch's offsets to Kafka for the partitions this consumer still owns. The database already
     * holds them (stored with the data), so a commit that fails because the group is rebalancing loses and
     * doubles nothing: the next owner skips what was processed. Kafka's committed offset only saves re-reading.
     */
    private void commitOwned(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = nextOffsets(records);
        offsets.keySet().retainAll(c.assignment());
        if (offsets.isEmpty()) {
            return;
        }
        try {
            c.commitSync(offsets);
        } catch (CommitFailedException | RebalanceInProgressException e) {
            metrics.loopError("offset-commit");
            LOG.infof("offset commit skipped during a rebalance (the offsets are stored with the data): %s",
                    e.toString());
        }
    }

    /** After an assignment, starts each partition at the offset the database says is next (when ahead). */
    private final class SeekToStoredOffsets implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;

        SeekToStoredOffsets(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            // nothing to flush: a batch commits its offsets with its data
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            if (partitions.isEmpty()) {
                return;
            }
            try {
                Map<SourcePartition, Long> stored = intakeStore.readOffsets(limits.groupId(),
                        partitions.stream().map(tp -> new SourcePartition(tp.topic(), tp.partition())).toList());
                for (TopicPartition tp : partitions) {
                    Long next = stored.get(new SourcePartition(tp.topic(), tp.partition()));
                    if (next != null && next > consumer.position(tp)) {
                        consumer.seek(tp, next);
                    }
                }
            } catch (Exception e) {
                // only an optimisation: records below the stored offset are left out by the batch anyway
                LOG.debugf("could not seek to the stored offsets: %s", e.toString());
            }
        }
    }

    private List<IncomingRecord> toIncoming(ConsumerRecords<byte[], byte[]> records) {
        List<IncomingRecord> incoming = new ArrayList<>(records.count());
        for (ConsumerRecord<byte[], byte[]> r : records) {
            String key = r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8);
            Instant submitted = r.timestamp() >= 0 ? Instant.ofEpochMilli(r.timestamp()) : Instant.now();
            // on a partner's own topic the partner is the topic's (SPEC §2.4); on the shared topic the key claims
            PartnerClaim claim = partnerTopics.partnerOf(r.topic()).map(p -> PartnerClaim.topic(p, key))
                    .orElseGet(() -> PartnerClaim.recordKey(key));
            incoming.add(new IncomingRecord(r.value(), claim, submitted, Channel.KAFKA,
                    new SourcePosition(r.topic(), r.partition(), r.offset())));
        }
        return incoming;
    }

    private static Map<TopicPartition, OffsetAndMetadata> nextOffsets(ConsumerRecords<byte[], byte[]> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            List<ConsumerRecord<byte[], byte[]>> list = records.records(tp);
            offsets.put(tp, new OffsetAndMetadata(list.get(list.size() - 1).offset() + 1));
        }
        return offsets;
    }

    /** Puts the consumer back at the first record of the failed batch, for the partitions it still owns. */
    private static void rewind(KafkaConsumer<byte[], byte[]> c, ConsumerRecords<byte[], byte[]> records) {
        for (TopicPartition tp : records.partitions()) {
            if (c.assignment().contains(tp)) {
                c.seek(tp, records.records(tp).get(0).offset());
            }
        }
    }
}
