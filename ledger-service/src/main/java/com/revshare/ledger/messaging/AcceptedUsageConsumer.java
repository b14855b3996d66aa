package com.revshare.ledger.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.LedgerService;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.ledger.domain.UsageEvent;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The revshare.usage.accepted poll loop: one database transaction per poll (the batch is rated
 * and stored, duplicates dropped by the unique key), then a synchronous offset commit. A crash
 * between the two re-delivers the batch, which the unique key makes harmless. A bad record is
 * counted and skipped; a failing batch is retried with back-off; the loop never dies.
 */
@ApplicationScoped
public class AcceptedUsageConsumer {
    private static final Logger LOG = Logger.getLogger(AcceptedUsageConsumer.class);

    @Inject
    KafkaSettings settings;
    @Inject
    LedgerConfig config;
    @Inject
    com.revshare.ledger.config.TopicsConfig topics;
    @Inject
    LedgerService ledger;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry metrics;

    private volatile boolean running;
    private KafkaConsumer<String, String> consumer;
    private Thread thread;
    private Counter badRecords;
    private Counter failures;
    private Timer batchTimer;

    void start(@Observes StartupEvent event) {
        if (!config.consumer().enabled()) {
            return;
        }
        badRecords = metrics.counter("revshare_ledger_bad_records_total");
        failures = metrics.counter("revshare_ledger_batch_failures_total");
        batchTimer = metrics.timer("revshare_ledger_batch_seconds");
        consumer = new KafkaConsumer<>(settings.consumer());
        running = true;
        thread = new Thread(this::loop, "ledger-usage-consumer");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        if (consumer != null) {
            consumer.wakeup();
        }
        if (thread != null) {
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** True while the poll loop runs, or when it is disabled by configuration. */
    public boolean alive() {
        return !config.consumer().enabled() || (thread != null && thread.isAlive()) || !running;
    }

    private void loop() {
        try {
            consumer.subscribe(List.of(topics.usageAccepted()));
            while (running) {
                ConsumerRecords<String, String> records;
                try {
                    records = consumer.poll(Duration.ofMillis(config.consumer().pollTimeoutMs()));
                } catch (WakeupException e) {
                    break;
                } catch (Exception e) {
                    failures.increment();
                    LOG.warnf("poll failed (%s)", e.toString());
                    pause(config.consumer().retryBackoffMs());
                    continue;
                }
                if (records.isEmpty()) {
                    continue;
                }
                List<UsageEvent> events = parse(records);
                if (!storeWithRetry(events)) {
                    break; // shutting down: the batch will be re-delivered
                }
                try {
                    consumer.commitSync();
                } catch (WakeupException e) {
                    break;
                } catch (Exception e) {
                    // e.g. a rebalance: the batch will be re-delivered and dropped as duplicates
                    failures.increment();
                    LOG.warnf("offset commit failed (%s); records will be re-delivered", e.toString());
                }
            }
        } finally {
            try {
                consumer.close(Duration.ofSeconds(5));
            } catch (Exception e) {
                LOG.debug("consumer close", e);
            }
        }
    }

    private List<UsageEvent> parse(ConsumerRecords<String, String> records) {
        List<UsageEvent> events = new ArrayList<>(records.count());
        for (ConsumerRecord<String, String> r : records) {
            try {
                UsageEvent e = AcceptedUsageJson.parse(json, r.value());
                events.add(e);
            } catch (RuntimeException e) {
                badRecords.increment();
                LOG.errorf("skipping unreadable record %s-%d@%d: %s", r.topic(), r.partition(), r.offset(),
                        e.getMessage());
            }
        }
        return events;
    }

    /**
     * Stores the batch, retrying with back-off. When it keeps failing while the database answers,
     * one event must be at fault: the events are then stored one by one, and an event that fails
     * alone that often is logged and counted as poison instead of blocking its partition forever.
     */
    private boolean storeWithRetry(List<UsageEvent> events) {
        long backoffMs = config.consumer().retryBackoffMs();
        int attempts = 0;
        while (running) {
            try {
                batchTimer.record(() -> ledger.recordUsage(events));
                return true;
            } catch (RuntimeException e) {
                failures.increment();
                attempts++;
                if (attempts >= config.consumer().batchAttemptsLimit() && ledger.databaseAnswers()) {
                    if (events.size() > 1) {
                        LOG.warnf("a batch of %d events keeps failing (%s); storing them one by one", events.size(),
                                e.toString());
                        for (UsageEvent event : events) {
                            if (!storeWithRetry(List.of(event))) {
                                return false;
                            }
                        }
                        return true;
                    }
                    metrics.counter("revshare_ledger_poison_events_total").increment();
                    LOG.errorf(e, "skipping poison event %s/%s after %d attempts: %s", events.get(0).partnerId(),
                            events.get(0).eventId(), attempts, events.get(0));
                    return true;
                }
                LOG.warnf(e, "storing a batch of %d events failed; retrying in %d ms", events.size(), backoffMs);
                pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, config.consumer().retryBackoffMaxMs());
            }
        }
        return false;
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
