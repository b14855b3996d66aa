package com.revshare.ledger.messaging;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.application.Jsons;
import com.revshare.ledger.application.OutboxRows;
import com.revshare.ledger.application.Partner;
import com.revshare.ledger.application.PartnerChanges;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.platform.PollLoop;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes partner records (docs/events/partner.v1.schema.json) on the compacted topic, keyed by
 * partner id, after the registry's commit and waiting for the broker's ack. On startup, and after
 * any failed send, every partner is re-published in the background until it succeeds: compaction
 * makes repetition harmless, so a lost send heals itself. Safe with several instances: each send
 * holds the partner's advisory lock and reads the partner's row under it, so the record published
 * last is always the latest committed one (never an older snapshot overtaking a newer one); a
 * producer that failed is replaced.
 */
@ApplicationScoped
public class PartnerPublisher implements PartnerChanges {
    private static final Logger LOG = Logger.getLogger(PartnerPublisher.class);

    @Inject
    KafkaSettings settings;
    @Inject
    LedgerConfig config;
    @Inject
    com.revshare.ledger.config.TopicsConfig topics;
    @Inject
    Partners store;
    @Inject
    Transactions tx;
    @Inject
    ObjectMapper json;
    @Inject
    MeterRegistry metrics;

    @Inject
    OutboxRows outbox;

    /** The first back-off after a failed re-publication; it doubles up to {@link #BACKOFF_MAX_MS}. */
    private static final long BACKOFF_INITIAL_MS = 500;
    private static final long BACKOFF_MAX_MS = 30_000;
    /**
     * How long the idle loop sleeps between looks at {@link #republishNeeded}. A request wakes it at once
     * ({@link PollLoop#wake()} is never lost), so this bound only keeps the wait finite; it decides nothing.
     */
    private static final long IDLE_WAIT_MS = 3_600_000;

    private ProducerHolder producers;
    private final PollLoop loop = new PollLoop("ledger-partner-republisher");
    private final AtomicBoolean republishNeeded = new AtomicBoolean(true);

    void start(@Observes StartupEvent event) {
        producers = new ProducerHolder(() -> new KafkaProducer<>(settings.producer("revshare-ledger-partners")));
        loop.start(this::republishLoop);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        try {
            loop.stop();
        } finally {
            if (producers != null) {
                producers.close();
            }
        }
    }

    /** The record's JSON value. */
    public String value(Partner p) {
        Map<String, Object> value = new java.util.LinkedHashMap<>();
        value.put("partnerId", p.partnerId());
        value.put("name", p.name());
        value.put("currency", p.currency());
        value.put("status", "ACTIVE");
        value.put("paymentTermsDays", p.paymentTermsDays()); // SPEC §3.8: reporting ages receivables with it
        return Jsons.write(json, value);
    }

    /**
     * Sends the partner's current row and waits for the ack; on failure schedules a full re-publication
     * (never fails the caller).
     */
    @Override
    public void published(String partnerId) {
        try {
            send(partnerId);
        } catch (Exception e) {
            LOG.warnf("partner %s not yet published (%s); will re-publish", partnerId, e.toString());
            metrics.counter("revshare_ledger_partner_publish_errors_total").increment();
            requestRepublish();
        }
    }

    /**
     * Sends the partner's current row under its publication lock and waits for the ack (nothing for a
     * partner without a row).
     */
    private void send(String partnerId) throws Exception {
        KafkaProducer<String, String> producer = producers.get();
        try {
            tx.inNew(c -> {
                outbox.lockPartnerPublication(c, partnerId);
                Partner current = store.partner(c, partnerId).orElse(null);
                if (current == null) {
                    return null;
                }
                try {
                    producer.send(new ProducerRecord<>(topics.partners(), current.partnerId(), value(current)))
                            .get(config.partners().publishTimeoutMs(), TimeUnit.MILLISECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                } catch (Exception e) {
                    throw new IllegalStateException("publishing partner " + current.partnerId() + " failed: " + e, e);
                }
                return null;
            });
        } catch (RuntimeException e) {
            producers.discard(producer);
            throw e;
        }
    }

    private void requestRepublish() {
        republishNeeded.set(true);
        loop.wake();
    }

    private void republishLoop() {
        long backoffMs = BACKOFF_INITIAL_MS;
        while (loop.running()) {
            if (!republishNeeded.getAndSet(false)) {
                loop.pause(IDLE_WAIT_MS);
                continue;
            }
            try {
                List<Partner> partners = tx.inNew(store::partners);
                for (Partner p : partners) {
                    send(p.partnerId());
                }
                LOG.debugf("re-published %d partners", partners.size());
                backoffMs = BACKOFF_INITIAL_MS;
            } catch (Exception e) {
                LOG.warnf("partner re-publication failed (%s); retrying in %d ms", e.toString(), backoffMs);
                metrics.counter("revshare_ledger_partner_publish_errors_total").increment();
                republishNeeded.set(true);
                if (!backOff(backoffMs)) {
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, BACKOFF_MAX_MS);
            }
        }
    }

    /**
     * Waits the whole back-off: a request that comes meanwhile (another failed publish) does not cut it
     * short, only a stop does. False when stopping.
     */
    private boolean backOff(long ms) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(ms);
        for (long left = ms; left > 0; left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) {
            if (!loop.pause(left)) {
                return false;
            }
        }
        return true;
    }
}
