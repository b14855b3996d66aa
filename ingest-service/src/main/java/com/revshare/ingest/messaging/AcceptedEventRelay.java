package com.revshare.ingest.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ingest.application.IngestMetrics;
import com.revshare.ingest.application.OutboxRow;
import com.revshare.ingest.application.OutboxSignal;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.config.TopicsConfig;
import com.revshare.ingest.application.UsageEventStorage;
import com.revshare.platform.PollLoop;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The outbox relay: publishes each partner's committed usage_event rows to revshare.usage.accepted in
 * ingest-sequence order past the partner's published watermark, waits for the broker's acknowledgement
 * and only then advances the watermark. What is forwarded is driven by what is stored, so a crash
 * between the database commit and the publish loses nothing: the rows are published after restart
 * (a re-publication is harmless, consumers dedupe by partner and ingestSequence). A transaction-scoped
 * advisory lock keeps one relay active across instances. Runs on a {@link PollLoop} that the commit which
 * produced rows wakes through the {@link OutboxSignal} port; without a wake it looks again after
 * {@code relayIdleMs}.
 */
@ApplicationScoped
public class AcceptedEventRelay implements OutboxSignal {
    private static final Logger LOG = Logger.getLogger(AcceptedEventRelay.class);

    private final KafkaClients clients;
    private final UsageEventStorage store;
    private final ObjectMapper json;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final IngestConfig limits;
    private final String topic;
    private final PollLoop loop = new PollLoop("ingest-outbox-relay");

    public AcceptedEventRelay(KafkaClients clients, UsageEventStorage store, ObjectMapper json, IngestMetrics metrics,
            Clock clock, IngestConfig config, TopicsConfig topics) {
        this.clients = clients;
        this.store = store;
        this.json = json;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = config;
        this.topic = topics.usageAccepted();
    }

    void start(@Observes StartupEvent event) {
        startRelay();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopRelay();
    }

    /** Starts the relay thread (at startup; a test may run a second relay, as a second instance would). */
    public void startRelay() {
        loop.start(this::run);
    }

    /** Stops the relay thread and waits for it. */
    public void stopRelay() throws InterruptedException {
        loop.stop();
    }

    @Override
    public void committed() {
        loop.wake();
    }

    private void run() {
        Backoff backoff = new Backoff(limits.retryBackoffInitialMs(), limits.retryBackoffMaxMs(), loop);
        try (ProducerHolder producers = new ProducerHolder(() -> clients.producer("revshare-ingest-relay"))) {
            while (loop.running()) {
                KafkaProducer<String, byte[]> producer = null;
                try {
                    producer = producers.get();
                    KafkaProducer<String, byte[]> p = producer;
                    boolean more = QuarkusTransaction.requiringNew().call(() -> cycle(p));
                    backoff.reset();
                    if (!more) {
                        loop.pause(limits.relayIdleMs());
                    }
                } catch (Throwable e) {
                    // the relay must never die: whatever failed (database, broker, even an Error) is counted,
                    // logged and retried after a back-off, with a fresh producer in case this one is broken
                    if (loop.running()) {
                        metrics.loopError("relay");
                        LOG.warnf("outbox relay cycle failed, retrying: %s", e.toString());
                        producers.discard(producer);
                        backoff.pause();
                    }
                }
            }
        }
    }

    /** Publishes one round of pending rows; true when a limit was reached, so more may be waiting. */
    private boolean cycle(KafkaProducer<String, byte[]> producer) throws Exception {
        if (!store.tryRelayLock()) {
            return false;
        }
        List<OutboxRow> rows = store.pendingOutbox(limits.relayBatchSizeLimit(), limits.relayCycleRowsLimit());
        if (rows.isEmpty()) {
            return false;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
        Map<String, Long> last = new HashMap<>();
        Map<String, Integer> perPartner = new HashMap<>();
        for (OutboxRow row : rows) {
            byte[] value = json.writeValueAsBytes(AcceptedUsageEventMessage.of(row));
            sent.add(producer.send(new ProducerRecord<>(topic, row.partnerId(), value)));
            last.merge(row.partnerId(), row.ingestSequence(), Math::max);
            perPartner.merge(row.partnerId(), 1, Integer::sum);
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.publishTimeoutMs());
        for (Future<RecordMetadata> f : sent) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        store.advanceWatermarks(last);
        Instant acknowledged = clock.instant();
        for (OutboxRow row : rows) {
            metrics.published(row.partnerId(), Duration.between(row.submittedAt(), acknowledged));
        }
        return rows.size() >= limits.relayCycleRowsLimit()
                || perPartner.values().stream().anyMatch(n -> n >= limits.relayBatchSizeLimit());
    }
}
