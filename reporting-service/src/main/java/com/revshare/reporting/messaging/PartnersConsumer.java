package com.revshare.reporting.messaging;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.platform.PollLoop;
import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.config.TopicsConfig;
import com.revshare.reporting.domain.PartnerIds;
import com.revshare.reporting.application.HeldRecordMetrics;
import com.revshare.reporting.application.HeldRecordRepository;
import com.revshare.reporting.application.HeldRecordRepository.NewHeldRecord;
import com.revshare.reporting.application.HeldRecordText;
import com.revshare.reporting.application.PartnerRepository;

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
 * answered 404 by a freshly started instance. A record it cannot store (or a tombstone) is held
 * ({@link HeldRecordRepository}), never skipped; a database outage is waited out with back-off.
 */
@ApplicationScoped
public class PartnersConsumer {
    private static final Logger LOG = Logger.getLogger(PartnersConsumer.class);

    private final KafkaClients clients;
    private final PartnerRepository store;
    private final ObjectMapper json;
    private final TopicsConfig topics;
    private final ReportingConfig.Partners config;
    private final PollLoop loop = new PollLoop("reporting-partners");
    private final AtomicBoolean loaded = new AtomicBoolean();
    private final Counter invalid;
    private final Counter errors;
    private final HeldRecordRepository heldRecords;
    private final HeldRecordMetrics metrics;

    /** Bytes of a held partner record kept (a partner record is small). */
    private static final int RAW_LIMIT_BYTES = 65536;

    public PartnersConsumer(KafkaClients clients, PartnerRepository store, HeldRecordRepository heldRecords,
            HeldRecordMetrics metrics, ObjectMapper json, TopicsConfig topics, ReportingConfig config,
            MeterRegistry registry) {
        this.heldRecords = heldRecords;
        this.metrics = metrics;
        this.clients = clients;
        this.store = store;
        this.json = json;
        this.topics = topics;
        this.config = config.partners();
        this.invalid = registry.counter("revshare.reporting.partners.invalid");
        this.errors = registry.counter("revshare.reporting.partners.errors");
    }

    void start(@Observes StartupEvent event) {
        loop.start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    public boolean isLoaded() {
        return loaded.get();
    }

    private void run() {
        while (loop.running()) {
            try (KafkaConsumer<String, byte[]> c = clients.consumer("revshare-reporting-partners", null,
                    Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords()))) {
                loop.attach(c);
                List<TopicPartition> partitions = c.partitionsFor(topics.partners()).stream()
                        .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
                c.assign(partitions);
                c.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = c.endOffsets(partitions);
                while (loop.running()) {
                    ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(config.pollTimeoutMs()));
                    Map<String, PartnerMessage> latest = new LinkedHashMap<>();
                    List<NewHeldRecord> held = new ArrayList<>();
                    for (ConsumerRecord<String, byte[]> r : records) {
                        PartnerMessage m = parse(r, held);
                        if (m != null) {
                            latest.put(m.partnerId(), m);
                        }
                    }
                    store(latest, held);
                    if (!loaded.get() && end.entrySet().stream().allMatch(e -> c.position(e.getKey()) >= e.getValue())) {
                        loaded.set(true);
                        LOG.infof("partner registry loaded from %s", topics.partners());
                    }
                }
            } catch (WakeupException e) {
                // shutting down
            } catch (Throwable e) {
                // the broker unreachable for long, or anything unforeseen (an Error included): start
                // over from the beginning of the compacted topic; the upserts are idempotent
                errors.increment();
                LOG.warnf("partner registry consumer failed (%s); recreating it in %d ms", causes(e),
                        config.backoffMaxMs());
                LOG.debug("partner registry consumer failure", e);
                if (!pause(config.backoffMaxMs())) {
                    return;
                }
            } finally {
                loop.attach(null);
            }
        }
    }

    /**
     * Stores a poll's partners and held records, retrying with back-off until it succeeds (e.g.
     * PostgreSQL restarting: the pool validates connections on borrow, so a retry gets a fresh one)
     * without re-reading the topic; the consumer has no group, so waiting costs no rebalance.
     */
    private void store(Map<String, PartnerMessage> latest, List<NewHeldRecord> held) {
        long backoff = config.backoffInitialMs();
        while (true) {
            try {
                int added = heldRecords.hold(held);
                if (added > 0) {
                    metrics.refresh();
                }
                store.upsert(latest.values().stream().map(m -> new PartnerRepository.Partner(m.partnerId(), m.name(),
                        m.currency(), m.status(), m.paymentTermsDays())).toList());
                return;
            } catch (RuntimeException e) {
                errors.increment();
                LOG.warnf("storing %d partner records failed (%s); retrying in %d ms", latest.size() + held.size(),
                        causes(e), backoff);
                LOG.debug("partner registry store failure", e);
                if (!pause(backoff)) {
                    throw new WakeupException();
                }
                backoff = Math.min(backoff * 2, config.backoffMaxMs());
            }
        }
    }

    /** Waits {@code ms} unless stopping; false when stopping. */
    private boolean pause(long ms) {
        return loop.pause(ms);
    }

    /** The messages of an exception and its causes, for one log line. */
    static String causes(Throwable e) {
        StringBuilder out = new StringBuilder();
        for (Throwable t = e; t != null && out.length() < 1000; t = t.getCause() == t ? null : t.getCause()) {
            if (out.length() > 0) {
                out.append(" <- ");
            }
            out.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
        }
        return out.toString();
    }

    /** The partner in {@code r}, or null: then it is added to {@code held} (never dropped). */
    private PartnerMessage parse(ConsumerRecord<String, byte[]> r, List<NewHeldRecord> held) {
        if (r.value() == null) {
            // the ledger never deletes partners: keep the last known record, and hold the tombstone
            // so that it is seen
            held.add(new NewHeldRecord(HeldRecordRepository.PARTNER_TOMBSTONE, r.topic(), r.partition(), r.offset(),
                    storable(r.key()), PartnerIds.isValid(r.key()) ? r.key() : null, null,
                    "tombstone: reporting keeps the partner's last record", null, null));
            invalid.increment();
            LOG.errorf("held partner tombstone at %s-%d@%d (key %s); see GET /api/v1/operations/held-records",
                    r.topic(), r.partition(), r.offset(), storable(r.key()));
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
            if (m.paymentTermsDays() != null && (m.paymentTermsDays() < 0
                    || m.paymentTermsDays() > PartnerMessage.MAX_PAYMENT_TERMS_DAYS)) {
                throw new IllegalArgumentException("paymentTermsDays outside 0 … 365");
            }
            return new PartnerMessage(m.partnerId(), m.name(), m.currency(), m.status() == null ? "ACTIVE" : m.status(),
                    m.paymentTermsDays() == null ? PartnerMessage.DEFAULT_PAYMENT_TERMS_DAYS : m.paymentTermsDays());
        } catch (Exception e) {
            invalid.increment();
            String key = storable(r.key());
            String partnerId = PartnerIds.isValid(key) ? key : null;
            String error = storable(e.getMessage() == null ? e.getClass().getSimpleName() : firstLine(e.getMessage()));
            held.add(new NewHeldRecord(HeldRecordRepository.UNREADABLE_PARTNER, r.topic(), r.partition(), r.offset(), key,
                    partnerId, null, error, rawText(r.value()), r.value().length));
            LOG.errorf("held unreadable partner record at %s-%d@%d (key %s): %s; see "
                    + "GET /api/v1/operations/held-records", r.topic(), r.partition(), r.offset(), key, error);
            return null;
        }
    }

    private static String firstLine(String message) {
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static String storable(String text) {
        return HeldRecordText.storable(text);
    }

    private static String rawText(byte[] value) {
        return HeldRecordText.rawText(value, RAW_LIMIT_BYTES);
    }
}
