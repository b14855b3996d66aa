package com.revshare.ledger.messaging;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import com.revshare.ledger.application.EntryJson;
import com.revshare.ledger.application.OutboxRows;
import com.revshare.ledger.application.OutboxSignal;
import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.platform.PollLoop;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The transactional outbox's relay: the entries table is the outbox. Each cycle is one transaction
 * that takes the advisory lock of every partner with a backlog that no other relay holds (so with N
 * ledger instances each partner has one publisher at a time), reads those partners' committed entries
 * past their published watermark, round robin between partners, publishes them in sequence order to
 * revshare.ledger.entries (key partnerId), waits for every ack, advances the watermarks and commits,
 * which releases the locks. Per-partner sequences commit in order (they are allocated under the
 * partner's row lock), so "sequence > watermark" never skips a late-committing transaction. A failure
 * between the acks and the commit re-publishes those entries (consumers dedupe by sequence); such
 * re-publications are counted in {@code revshare_ledger_relay_republished_total}. A producer that
 * failed is replaced. The application's {@link OutboxSignal}: woken ({@link PollLoop#wake()}) by each
 * commit that appended entries, and scans every {@code relay.scan-interval-ms} anyway.
 */
@ApplicationScoped
public class OutboxRelay implements OutboxSignal {
    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    @Inject
    KafkaSettings settings;
    @Inject
    LedgerConfig config;
    @Inject
    com.revshare.ledger.config.TopicsConfig topics;
    @Inject
    OutboxRows store;
    @Inject
    Transactions tx;
    @Inject
    MeterRegistry metrics;

    private final PollLoop loop = new PollLoop("ledger-outbox-relay");
    /** Per partner, the highest sequence this relay has had acknowledged (to recognise a re-publication). */
    private final Map<String, Long> acknowledged = new ConcurrentHashMap<>();
    private ProducerHolder producers;
    private Counter published;
    private Counter republished;
    private Counter errors;

    void start(@Observes StartupEvent event) {
        if (!config.relay().enabled()) {
            return;
        }
        open("revshare-ledger-relay");
        loop.start(this::run);
    }

    /** Creates the meters and the producer holder (a test may open a second relay over the same database). */
    void open(String clientId) {
        published = metrics.counter("revshare_ledger_relay_published_total");
        republished = metrics.counter("revshare_ledger_relay_republished_total");
        errors = metrics.counter("revshare_ledger_relay_errors_total");
        producers = new ProducerHolder(() -> new KafkaProducer<>(settings.producer(clientId)));
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        close();
    }

    void close() {
        if (producers != null) {
            producers.close();
        }
    }

    /** True while the relay thread runs, or when it is disabled by configuration. */
    public boolean alive() {
        return !config.relay().enabled() || loop.alive();
    }

    /** Asks the relay to scan now (a commit appended entries); a wake during a cycle ends the next pause. */
    @Override
    public void committed() {
        loop.wake();
    }

    private void run() {
        long backoffMs = 100;
        while (loop.pause(config.relay().scanIntervalMs())) {
            try {
                while (loop.running() && relayOnce() == Cycle.MORE) {
                    // a limit was reached: more may be waiting
                }
                backoffMs = 100;
            } catch (Exception e) {
                LOG.warnf("relay failed (%s); retrying in %d ms", e.toString(), backoffMs);
                loop.pause(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** What one cycle found. */
    enum Cycle {
        IDLE, DONE, MORE
    }

    /** Publishes one round of the backlog of the partners this relay could lock. */
    Cycle relayOnce() {
        KafkaProducer<String, String> producer = null;
        try {
            producer = producers.get();
            KafkaProducer<String, String> p = producer;
            return tx.inNew(c -> {
                List<String> partners = store.lockBacklogPartners(c);
                if (partners.isEmpty()) {
                    return Cycle.IDLE;
                }
                int perPartner = config.relay().batchSizeLimit();
                int total = config.relay().cycleRowsLimit();
                List<LedgerEntry> entries = store.unpublished(c, partners, perPartner, total);
                if (entries.isEmpty()) {
                    return Cycle.IDLE;
                }
                Map<String, Long> last = new LinkedHashMap<>();
                Map<String, Integer> counts = new LinkedHashMap<>();
                send(p, entries, last, counts);
                store.advanceWatermarks(c, last);
                return entries.size() >= total || counts.values().stream().anyMatch(n -> n >= perPartner)
                        ? Cycle.MORE : Cycle.DONE;
            });
        } catch (RuntimeException e) {
            errors.increment();
            producers.discard(producer); // a producer in a fatal state is replaced by the next cycle
            throw e;
        }
    }

    private void send(KafkaProducer<String, String> producer, List<LedgerEntry> entries, Map<String, Long> last,
            Map<String, Integer> counts) {
        List<Future<RecordMetadata>> acks = new ArrayList<>(entries.size());
        int again = 0;
        for (LedgerEntry e : entries) {
            if (e.sequence() <= acknowledged.getOrDefault(e.partnerId(), 0L)) {
                again++;
            }
            acks.add(producer.send(new ProducerRecord<>(topics.ledgerEntries(), e.partnerId(), EntryJson.text(e))));
            last.put(e.partnerId(), e.sequence());
            counts.merge(e.partnerId(), 1, Integer::sum);
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.relay().sendTimeoutMs());
        try {
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the broker's acks", e);
        } catch (Exception e) {
            throw new IllegalStateException("publishing ledger entries failed: " + e, e);
        }
        last.forEach((partner, seq) -> acknowledged.merge(partner, seq, Math::max));
        published.increment(entries.size());
        if (again > 0) {
            republished.increment(again);
            LOG.warnf("re-published %d ledger entries whose watermark had not been advanced", again);
        }
    }
}
