package com.revshare.ledger.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.EntryJson;
import com.revshare.ledger.application.Jsons;
import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.persistence.LedgerStore;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The transactional outbox's relay: the entries table is the outbox. It publishes each partner's
 * committed entries past its published watermark, in sequence order, to revshare.ledger.entries
 * (key partnerId), waits for every ack, then advances the watermark. Per-partner sequences commit
 * in order (they are allocated under the partner's row lock), so "sequence > watermark" never
 * skips a late-committing transaction. A crash between send and watermark re-publishes; consumers
 * dedupe by sequence. Woken after each commit, and scans periodically anyway.
 */
@ApplicationScoped
public class OutboxRelay {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    KafkaSettings settings;
    @Inject
    LedgerConfig config;
    @Inject
    com.revshare.ledger.config.TopicsConfig topics;
    @Inject
    LedgerStore store;
    @Inject
    Transactions tx;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry metrics;

    private final Semaphore wakeups = new Semaphore(0);
    private KafkaProducer<String, String> producer;
    private volatile boolean running;
    private Thread thread;
    private Counter published;
    private Counter errors;

    void start(@Observes StartupEvent event) {
        if (!config.relay().enabled()) {
            return;
        }
        published = metrics.counter("revshare_ledger_relay_published_total");
        errors = metrics.counter("revshare_ledger_relay_errors_total");
        producer = new KafkaProducer<>(settings.producer("revshare-ledger-relay"));
        running = true;
        thread = new Thread(this::loop, "ledger-outbox-relay");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        wakeups.release();
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (producer != null) {
            producer.close(java.time.Duration.ofSeconds(5));
        }
    }

    /** True while the relay thread runs, or when it is disabled by configuration. */
    public boolean alive() {
        return !config.relay().enabled() || (thread != null && thread.isAlive()) || !running;
    }

    /** Asks the relay to scan now (called after a commit that appended entries). */
    public void wake() {
        wakeups.release();
    }

    private void loop() {
        long backoffMs = 100;
        while (running) {
            try {
                wakeups.tryAcquire(config.relay().scanIntervalMs(), TimeUnit.MILLISECONDS);
                wakeups.drainPermits();
                while (running && relayOnce() >= config.relay().batchSizeLimit()) {
                    // a full batch: more may be waiting
                }
                backoffMs = 100;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                errors.increment();
                LOG.warnf("relay failed (%s); retrying in %d ms", e.toString(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException ie) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** Publishes one batch of unpublished entries; returns how many. */
    int relayOnce() throws Exception {
        List<LedgerEntry> entries = tx.inNew(c -> store.unpublished(c, config.relay().batchSizeLimit()));
        if (entries.isEmpty()) {
            return 0;
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
        Map<String, Long> last = new LinkedHashMap<>();
        for (LedgerEntry e : entries) {
            acks.add(producer.send(new ProducerRecord<>(topics.ledgerEntries(), e.partnerId(),
                    Jsons.write(json, EntryJson.toJson(e)))));
            last.put(e.partnerId(), e.sequence());
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(config.relay().sendTimeoutMs(), TimeUnit.MILLISECONDS);
        }
        tx.inNew(c -> {
            store.advanceWatermarks(c, last);
            return null;
        });
        published.increment(entries.size());
        return entries.size();
    }
}
