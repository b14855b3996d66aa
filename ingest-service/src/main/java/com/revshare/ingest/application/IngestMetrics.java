package com.revshare.ingest.application;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.revshare.ingest.domain.RejectionReason;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Ingest's Micrometer meters. The partner tag is the partner id only for registered partners and
 * {@code unknown} otherwise, so arbitrary input cannot blow up the number of time series. Created at
 * startup, with the series that do not depend on a partner registered at zero, so a scrape shows them
 * (and alerts on their rate work) before the first record arrives.
 */
@Startup
@ApplicationScoped
public class IngestMetrics {
    static final String UNKNOWN = "unknown";
    /** The background loops that report failed iterations through {@link #loopError}. */
    public static final List<String> LOOPS = List.of("usage-consumer", "usage-batch", "relay", "partners",
            "partners-record", "offset-commit", "rejection-purge", "partner-topics");

    private final MeterRegistry registry;
    private final PartnerRegistry partners;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private static final Duration[] FORWARD_LAG_BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(150), Duration.ofMillis(250),
        Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(10)};

    public IngestMetrics(MeterRegistry registry, PartnerRegistry partners) {
        this.registry = registry;
        this.partners = partners;
        Gauge.builder("revshare.ingest.partners.known", partners, PartnerRegistry::size)
                .description("partners in the in-memory registry").register(registry);
        for (Channel channel : Channel.values()) {
            recordsRead(channel, 0);
        }
        LOOPS.forEach(loop -> loopCounter(loop));
        unstorableCounter();
        unreadablePartnerRecordCounter();
    }

    /** An event passed validation but the database refused it; it was isolated and rejected. */
    public void unstorable() {
        unstorableCounter().increment();
    }

    /** A record made its validation throw; it was rejected alone (issue 10: nothing stalls a partition). */
    public void unprocessable() {
        counter("revshare.ingest.records.unprocessable", "records whose validation threw (an Error included), "
                + "rejected alone").increment();
    }

    /** A new control event (SPEC §2.6) was stored. */
    public void controlAccepted(Channel channel, String partnerId) {
        counter("revshare.ingest.controls.accepted", "control events stored for the first time", "channel",
                channel.tag(), "partner", partnerTag(partnerId)).increment();
    }

    /** A record of the partners topic could not be read; it is kept in ingest_unreadable_partner_record. */
    public void unreadablePartnerRecord() {
        unreadablePartnerRecordCounter().increment();
    }

    private Counter unstorableCounter() {
        return counter("revshare.ingest.events.unstorable", "valid events the database refused, isolated from their "
                + "batch by bisection and rejected");
    }

    private Counter unreadablePartnerRecordCounter() {
        return counter("revshare.ingest.partner.records.unreadable", "partner records that could not be read, kept "
                + "in ingest_unreadable_partner_record (counted each time a reader meets one)");
    }

    public void recordsRead(Channel channel, int count) {
        counter("revshare.ingest.records.read", "records handed over by a transport", "channel", channel.tag())
                .increment(count);
    }

    public void accepted(Channel channel, String partnerId) {
        counter("revshare.ingest.events.accepted", "events stored for the first time", "channel", channel.tag(),
                "partner", partnerTag(partnerId)).increment();
    }

    public void duplicate(Channel channel, String partnerId) {
        counter("revshare.ingest.events.duplicates", "records with an already accepted id and the same content",
                "channel", channel.tag(), "partner", partnerTag(partnerId)).increment();
    }

    public void rejected(Channel channel, String partnerId, RejectionReason reason) {
        counter("revshare.ingest.events.rejected", "records rejected, by reason", "channel", channel.tag(),
                "partner", partnerTag(partnerId), "reason", reason.name()).increment();
    }

    public void published(String partnerId, Duration endToEndLag) {
        counter("revshare.ingest.events.published", "accepted events published on the accepted topic",
                "partner", partnerTag(partnerId)).increment();
        timers.computeIfAbsent(partnerTag(partnerId), tag -> Timer.builder("revshare.ingest.forward.lag")
                .description("from the record's submission (Kafka timestamp or HTTP receipt) to its acknowledged "
                        + "publication on the accepted topic")
                .tag("partner", tag)
                // buckets (le) at the latency budget's marks: ingest's share of the end-to-end p50/p99 is readable
                .serviceLevelObjectives(FORWARD_LAG_BUCKETS)
                .register(registry)).record(endToEndLag.isNegative() ? Duration.ZERO : endToEndLag);
    }

    /** A loop (consumer, relay, registry) failed an iteration and will retry. */
    public void loopError(String loop) {
        loopCounter(loop).increment();
    }

    private Counter loopCounter(String loop) {
        return counter("revshare.ingest.loop.errors", "failed iterations of a background loop (retried)", "loop", loop);
    }

    private String partnerTag(String partnerId) {
        return partnerId != null && partners.isRegistered(partnerId) ? partnerId : UNKNOWN;
    }

    private Counter counter(String name, String description, String... tags) {
        String key = name + String.join("|", tags);
        return counters.computeIfAbsent(key,
                k -> Counter.builder(name).description(description).tags(tags).register(registry));
    }
}
