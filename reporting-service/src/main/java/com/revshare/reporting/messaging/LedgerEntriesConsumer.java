package com.revshare.reporting.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.revshare.platform.PollLoop;
import com.revshare.reporting.application.ApplyResult;
import com.revshare.reporting.application.DeliveredRecord;
import com.revshare.reporting.application.EntryApplier;
import com.revshare.reporting.application.HeldRecordMetrics;
import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.config.TopicsConfig;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The live consumer of revshare.ledger.entries (group revshare-reporting): one poll = one
 * database transaction ({@link EntryApplier}), offsets committed after it commits. The loop never
 * dies on a bad record (it is kept as invalid) or a failure (the batch is rewound and retried
 * with back-off, counted in {@code revshare_reporting_consumer_errors_total}).
 */
@ApplicationScoped
public class LedgerEntriesConsumer {
    private static final Logger LOG = Logger.getLogger(LedgerEntriesConsumer.class);

    private final KafkaClients clients;
    private final EntryApplier applier;
    private final TopicsConfig topics;
    private final ReportingConfig.Consumer config;
    private final PollLoop loop = new PollLoop("reporting-ledger-entries");
    private final AtomicLong lastBatchAt = new AtomicLong();
    private final Counter applied;
    private final Counter redelivered;
    private final Counter conflicting;
    private final Counter invalid;
    private final Counter gapsSeen;
    private final Counter errors;
    private final Timer batchTimer;
    private final HeldRecordMetrics heldMetrics;
    /** Partners whose released entries are not all applied yet (poll thread only). */
    private Set<String> releasePending = new LinkedHashSet<>();

    public LedgerEntriesConsumer(KafkaClients clients, EntryApplier applier, TopicsConfig topics,
            ReportingConfig config, MeterRegistry registry, HeldRecordMetrics heldMetrics) {
        this.heldMetrics = heldMetrics;
        this.clients = clients;
        this.applier = applier;
        this.topics = topics;
        this.config = config.consumer();
        this.applied = registry.counter("revshare.reporting.entries.applied");
        this.redelivered = registry.counter("revshare.reporting.entries.redelivered");
        this.conflicting = registry.counter("revshare.reporting.entries.conflicting");
        this.invalid = registry.counter("revshare.reporting.records.invalid");
        this.gapsSeen = registry.counter("revshare.reporting.gap.batches");
        this.errors = registry.counter("revshare.reporting.consumer.errors");
        this.batchTimer = registry.timer("revshare.reporting.batch");
    }

    void start(@Observes StartupEvent event) {
        loop.start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    /** True while the poll loop runs. */
    public boolean isRunning() {
        return loop.alive();
    }

    private void run() {
        long backoff = config.backoffInitialMs();
        while (loop.running()) {
            try (KafkaConsumer<String, byte[]> c = clients.consumer("revshare-reporting-entries",
                    config.groupId(), Map.of(
                            ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords(),
                            ConsumerConfig.FETCH_MIN_BYTES_CONFIG, config.fetchMinBytes(),
                            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, config.fetchMaxWaitMs(),
                            ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, config.sessionTimeoutMs(),
                            ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, config.heartbeatIntervalMs()))) {
                loop.attach(c);
                c.subscribe(List.of(topics.ledgerEntries()), new ConsumerRebalanceListener() {
                    @Override
                    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                        // nothing to flush: each batch commits its offsets right after its transaction
                        LOG.infof("ledger entries partitions revoked: %s", partitions);
                    }

                    @Override
                    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                        LOG.infof("ledger entries partitions assigned: %s", partitions);
                    }
                });
                // a release a stopped process left unfinished goes on without waiting for new records
                releasePending = new LinkedHashSet<>(applier.pendingReleases(null));
                while (loop.running()) {
                    if (releaseOnce() && pollOnce(c)) {
                        backoff = config.backoffInitialMs();
                    } else {
                        backoff = pause(backoff);
                    }
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (Throwable e) {
                // the broker away for long, or anything unforeseen (an Error included): a new
                // consumer resumes from the committed offsets; what was applied is skipped by the cursors
                errors.increment();
                LOG.warnf("ledger entries consumer failed (%s); recreating it in %d ms", PartnersConsumer.causes(e),
                        backoff);
                LOG.debug("ledger entries consumer failure", e);
                backoff = pause(backoff);
            } finally {
                loop.attach(null);
            }
        }
    }

    /**
     * One transaction of the entries released by a filled gap that earlier transactions did not
     * finish (their number per transaction is bounded); false when it failed.
     */
    private boolean releaseOnce() {
        if (releasePending.isEmpty()) {
            return true;
        }
        try {
            long start = System.nanoTime();
            ApplyResult result = applier.release(releasePending, null);
            batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            record(result);
            releasePending = new LinkedHashSet<>(result.releasePending());
            return true;
        } catch (WakeupException e) {
            throw e;
        } catch (Throwable e) {
            errors.increment();
            LOG.warnf("releasing the entries waiting for %s failed (%s); retried with back-off", releasePending,
                    PartnersConsumer.causes(e));
            LOG.debug("release failure", e);
            return false;
        }
    }

    /** One poll, applied and committed; false when it failed and was rewound. */
    private boolean pollOnce(KafkaConsumer<String, byte[]> c) {
        // while a release goes on, do not wait for records: they do not have to arrive
        ConsumerRecords<String, byte[]> records = c.poll(
                releasePending.isEmpty() ? Duration.ofMillis(config.pollTimeoutMs()) : Duration.ZERO);
        if (records.isEmpty()) {
            return true;
        }
        List<DeliveredRecord> batch = new ArrayList<>(records.count());
        Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
        Map<TopicPartition, Long> first = new HashMap<>();
        for (ConsumerRecord<String, byte[]> r : records) {
            batch.add(new DeliveredRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            first.putIfAbsent(tp, r.offset());
            next.put(tp, new OffsetAndMetadata(r.offset() + 1));
        }
        try {
            long start = System.nanoTime();
            ApplyResult result = applier.applyToActive(batch);
            batchTimer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            record(result);
            releasePending.addAll(result.releasePending());
        } catch (WakeupException e) {
            throw e;
        } catch (Throwable e) {
            errors.increment();
            LOG.warnf("applying a batch of %d ledger entries failed (%s); rewound, retried with back-off",
                    batch.size(), PartnersConsumer.causes(e));
            LOG.debug("batch failure", e);
            rewind(c, first);
            return false;
        }
        // only partitions this consumer still owns (the classic protocol revokes only inside poll,
        // but a consumer that overran max.poll.interval.ms has lost them already): a new owner starts
        // from the committed offset and the cursors skip what this batch applied
        next.keySet().retainAll(c.assignment());
        if (next.isEmpty()) {
            return true;
        }
        try {
            c.commitSync(next);
        } catch (WakeupException e) {
            throw e;
        } catch (Throwable e) {
            // the batch is in the database; a re-delivery is skipped by the per-partner cursors
            errors.increment();
            LOG.warnf("offset commit failed after a committed batch (re-delivery will be skipped): %s",
                    e.getMessage());
        }
        return true;
    }

    private void record(ApplyResult result) {
        applied.increment(result.applied());
        redelivered.increment(result.redelivered());
        conflicting.increment(result.conflicting());
        invalid.increment(result.invalid());
        if (result.invalid() > 0 || result.conflicting() > 0) {
            heldMetrics.refresh();
        }
        lastBatchAt.set(System.currentTimeMillis());
        if (!result.gaps().isEmpty()) {
            gapsSeen.increment();
            for (ApplyResult.Gap gap : result.gaps()) {
                LOG.warnf("gap in ledger entries of partner %s: sequence %d missing, %d later entries wait for it",
                        gap.partnerId(), gap.expected(), gap.waitingCount());
            }
        }
    }

    private static void rewind(KafkaConsumer<String, byte[]> c, Map<TopicPartition, Long> first) {
        first.forEach((tp, offset) -> {
            try {
                c.seek(tp, offset);
            } catch (IllegalStateException e) {
                // partition revoked meanwhile: its new owner starts from the committed offset
            }
        });
    }

    private long pause(long backoff) {
        loop.pause(backoff);
        return Math.min(backoff * 2, config.backoffMaxMs());
    }
}
