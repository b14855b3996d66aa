package com.revshare.ledger.messaging;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.AcceptedRecord;
import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.application.ParkedEvents;
import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.application.UnprocessableEvents;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.platform.PollLoop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The revshare.usage.accepted poll loop: one database transaction per poll (the batch is rated and
 * stored, duplicates dropped by the unique key), then an asynchronous commit of the offsets of the
 * partitions this instance still owns. A crash, a rebalance or a failed commit between the two
 * re-delivers the batch, which the unique key makes harmless: nothing is lost and nothing doubled.
 * <p>
 * There is no skip path (SPEC §2.1, §3.6 v2). An event that cannot be read as a bookable event is
 * parked as UNPROCESSABLE with its cause; a batch that keeps failing while the database answers has its
 * failing event isolated by bisection (the rest is still stored in batches, not one by one) and parked
 * as UNPROCESSABLE; a record that names no partner and event id is kept as an unreadable record (row,
 * metric, ERROR log) and its partition moves on. A failure while the database does not answer is an
 * outage: the batch is retried with back-off until it is stored. The loop never dies.
 */
@ApplicationScoped
public class AcceptedUsageConsumer {
    private static final Logger LOG = Logger.getLogger(AcceptedUsageConsumer.class);
    private static final int VALUE_PREFIX_CHARS = 1000;

    @Inject
    KafkaSettings settings;
    @Inject
    LedgerConfig config;
    @Inject
    com.revshare.ledger.config.TopicsConfig topics;
    @Inject
    LedgerService ledger;
    @Inject
    ParkedEvents unprocessableStore;
    @Inject
    Transactions tx;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry metrics;

    private final Set<TopicPartition> owned = ConcurrentHashMap.newKeySet();
    private final PollLoop loop = new PollLoop("ledger-usage-consumer");
    private KafkaConsumer<String, String> consumer;
    private Counter unreadable;
    private Counter isolated;
    private Counter failures;
    private Counter commitFailures;
    private Timer batchTimer;

    void start(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            return;
        }
        unreadable = metrics.counter("revshare_ledger_unreadable_records_total");
        isolated = metrics.counter("revshare_ledger_isolated_events_total");
        failures = metrics.counter("revshare_ledger_batch_failures_total");
        commitFailures = metrics.counter("revshare_ledger_offset_commit_failures_total");
        batchTimer = metrics.timer("revshare_ledger_batch_seconds");
        consumer = new KafkaConsumer<>(settings.consumer());
        loop.attach(consumer);
        loop.start(this::loop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    /** True while the poll loop runs, or when it is disabled by configuration (or stopping). */
    public boolean alive() {
        return !config.consumer().enabled() || !loop.running() || loop.alive();
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topics.usageAccepted()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    owned.removeAll(partitions);
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    owned.addAll(partitions);
                }

                @Override
                public void onPartitionsLost(Collection<TopicPartition> partitions) {
                    owned.removeAll(partitions);
                }
            });
            while (loop.running()) {
                ConsumerRecords<String, String> records;
                try {
                    records = consumer.poll(Duration.ofMillis(config.consumer().pollTimeoutMs()));
                } catch (WakeupException e) {
                    break;
                } catch (Exception e) {
                    failures.increment();
                    LOG.warnf("poll failed (%s)", e.toString());
                    loop.pause(config.consumer().retryBackoffMs());
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                if (!store(records)) {
                    break; // shutting down: the batch will be re-delivered
                }
                commit(records);
            }
        } catch (WakeupException e) {
            LOG.debug("consumer woken up to stop");
        } finally {
            loop.attach(null);
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (Exception e) {
                LOG.debug("consumer close", e);
            }
        }
    }

    /**
     * Commits the batch's offsets of the partitions still owned, asynchronously: the loop goes on to the
     * next poll instead of waiting a coordinator round trip per batch (issue 14: per-batch costs made the
     * latency at moderate rates). Commits complete in order; a failed one only means re-delivery, which the
     * unique key makes harmless, and a later commit covers it. Closing the consumer waits for those in flight.
     */
    private void commit(ConsumerRecords<String, String> records) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (TopicPartition tp : records.partitions()) {
            if (owned.contains(tp)) {
                List<ConsumerRecord<String, String>> part = records.records(tp);
                offsets.put(tp, new OffsetAndMetadata(part.get(part.size() - 1).offset() + 1));
            }
        }
        if (offsets.isEmpty()) {
            return;
        }
        consumer.commitAsync(offsets, (committed, e) -> {
            if (e == null) {
                return;
            }
            commitFailures.increment();
            if (e instanceof CommitFailedException || e instanceof RebalanceInProgressException) {
                // the group moved on (e.g. this instance was too slow): the new owner re-reads the batch, and
                // the unique key drops it as duplicates
                LOG.infof("offset commit refused by a rebalance (%s); the batch will be re-delivered", e.toString());
            } else {
                LOG.warnf("offset commit failed (%s); records will be re-delivered", e.toString());
            }
        });
    }

    /** Stores every record of the poll durably; false only when stopping. */
    private boolean store(ConsumerRecords<String, String> records) {
        List<AcceptedRecord.Usable> usable = new ArrayList<>(records.count());
        List<AcceptedRecord.Unprocessable> unusable = new ArrayList<>();
        List<ParkedEvents.Unreadable> unreadableRecords = new ArrayList<>();
        for (ConsumerRecord<String, String> r : records) {
            AcceptedRecord read = AcceptedUsageJson.read(json, r.value());
            if (read instanceof AcceptedRecord.Usable u) {
                usable.add(u);
            } else if (read instanceof AcceptedRecord.Unprocessable p) {
                LOG.warnf("parking event %s/%s (%s-%d@%d) as UNPROCESSABLE: %s", p.partnerId(), p.eventId(),
                        r.topic(), r.partition(), r.offset(), p.detail());
                unusable.add(p);
            } else {
                AcceptedRecord.Unreadable u = (AcceptedRecord.Unreadable) read;
                LOG.errorf("unreadable record %s-%d@%d kept in unreadable_record: %s", r.topic(), r.partition(),
                        r.offset(), u.detail());
                unreadableRecords.add(trace(r, u.detail()));
            }
        }
        if (!unreadableRecords.isEmpty()) {
            if (!retrying("keeping unreadable records", () -> tx.inNew(c -> {
                for (ParkedEvents.Unreadable u : unreadableRecords) {
                    unprocessableStore.recordUnreadable(c, u, java.time.Instant.now());
                }
                return null;
            }))) {
                return false;
            }
            unreadable.increment(unreadableRecords.size());
        }
        return storeWithRetry(usable, unusable);
    }

    /**
     * Stores the batch, retrying with back-off while the database does not answer (an outage: nothing
     * may move on). When it keeps failing while the database answers, an event must be at fault: it is
     * isolated by bisection.
     */
    private boolean storeWithRetry(List<AcceptedRecord.Usable> usable, List<AcceptedRecord.Unprocessable> unusable) {
        long backoffMs = config.consumer().retryBackoffMs();
        int attempts = 0;
        while (loop.running()) {
            try {
                batchTimer.record(() -> ledger.recordBatch(usable, unusable));
                return true;
            } catch (RuntimeException e) {
                failures.increment();
                attempts++;
                if (attempts >= config.consumer().batchAttemptsLimit() && ledger.databaseAnswers()) {
                    LOG.warnf("a batch of %d events keeps failing (%s); isolating the failing event", usable.size(),
                            e.toString());
                    if (!unusable.isEmpty() && !park(unusable)) {
                        return false;
                    }
                    return isolate(usable, e);
                }
                LOG.warnf(e, "storing a batch of %d events failed; retrying in %d ms", usable.size(), backoffMs);
                loop.pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, config.consumer().retryBackoffMaxMs());
            }
        }
        return false;
    }

    /**
     * Bisects a failing batch: each half is tried once as a batch; a half that fails while the database
     * answers is bisected again, down to the single event, which is parked as UNPROCESSABLE after
     * {@code single-attempts-limit} attempts. A failure while the database does not answer goes back to
     * the retrying path.
     */
    private boolean isolate(List<AcceptedRecord.Usable> usable, RuntimeException failure) {
        if (usable.isEmpty()) {
            return true;
        }
        if (usable.size() == 1) {
            AcceptedRecord.Usable only = usable.get(0);
            RuntimeException last = failure;
            for (int attempt = 1; attempt < config.consumer().singleAttemptsLimit() && loop.running(); attempt++) {
                try {
                    ledger.recordBatch(usable, List.of());
                    return true;
                } catch (RuntimeException e) {
                    last = e;
                }
            }
            if (!ledger.databaseAnswers()) {
                return storeWithRetry(usable, List.of());
            }
            isolated.increment();
            String cause = UnprocessableEvents.causeOf(last);
            LOG.errorf(last, "event %s/%s cannot be processed; parking it as UNPROCESSABLE: %s",
                    only.event().partnerId(), only.event().eventId(), cause);
            return park(List.of(unprocessable(only, cause)));
        }
        int middle = usable.size() / 2;
        for (List<AcceptedRecord.Usable> half : List.of(usable.subList(0, middle),
                usable.subList(middle, usable.size()))) {
            if (!loop.running()) {
                return false;
            }
            try {
                ledger.recordBatch(half, List.of());
            } catch (RuntimeException e) {
                failures.increment();
                boolean stored = ledger.databaseAnswers() ? isolate(half, e) : storeWithRetry(half, List.of());
                if (!stored) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Parks events as UNPROCESSABLE, retrying until it is durable (without the raw record as a last resort). */
    private boolean park(List<AcceptedRecord.Unprocessable> events) {
        int[] attempts = {0};
        return retrying("parking UNPROCESSABLE events", () -> {
            List<AcceptedRecord.Unprocessable> rows = attempts[0]++ < config.consumer().batchAttemptsLimit() ? events
                    : events.stream().map(e -> new AcceptedRecord.Unprocessable(e.partnerId(), e.eventId(),
                            e.ingestSequence(), null, null, e.detail())).toList();
            ledger.recordBatch(List.of(), rows);
        });
    }

    private static AcceptedRecord.Unprocessable unprocessable(AcceptedRecord.Usable u, String cause) {
        return new AcceptedRecord.Unprocessable(u.event().partnerId(), u.event().eventId(), u.ingestSequence(),
                u.event().time(), u.raw(), cause);
    }

    /** Runs {@code work} until it succeeds, with back-off; false only when stopping. */
    private boolean retrying(String what, Runnable work) {
        long backoffMs = config.consumer().retryBackoffMs();
        while (loop.running()) {
            try {
                work.run();
                return true;
            } catch (RuntimeException e) {
                failures.increment();
                LOG.errorf(e, "%s failed; retrying in %d ms", what, backoffMs);
                loop.pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, config.consumer().retryBackoffMaxMs());
            }
        }
        return false;
    }

    private static ParkedEvents.Unreadable trace(ConsumerRecord<String, String> r, String detail) {
        String value = r.value() == null ? "" : r.value();
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        String sha256;
        try {
            sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        String prefix = value.length() <= VALUE_PREFIX_CHARS ? value
                : value.substring(0, value.offsetByCodePoints(0, Math.min(VALUE_PREFIX_CHARS,
                        value.codePointCount(0, VALUE_PREFIX_CHARS))));
        String key = r.key() == null || r.key().length() <= 200 ? r.key() : r.key().substring(0, 200);
        return new ParkedEvents.Unreadable(r.topic(), r.partition(), r.offset(), key,
                Math.max(0, r.serializedValueSize()), sha256, prefix, detail);
    }
}
