package com.revshare.reporting.application;

import java.util.List;
import java.util.Map;
import org.jboss.logging.Logger;

import com.revshare.platform.PollLoop;
import com.revshare.reporting.config.ReportingConfig;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gauge {@code revshare_reporting_held_records{partner}}: records reporting holds because it
 * cannot apply them (status HELD: neither resolved by a later readable copy nor acknowledged by an
 * operator), per partner; {@value #UNKNOWN_PARTNER} for records whose partner cannot be read. It
 * is refreshed from the database every {@code revshare.reporting.held.refresh-interval-ms} and
 * right after a consumer holds a record, so every instance shows the same figure. Alert on any
 * value above 0: the figures of that partner stop before the held record (gap rules).
 */
@ApplicationScoped
public class HeldRecordMetrics {
    /** Tag value of records whose partner is not known (no partner id starts with an underscore). */
    public static final String UNKNOWN_PARTNER = "_unknown";

    private static final Logger LOG = Logger.getLogger(HeldRecordMetrics.class);

    private final HeldRecordRepository store;
    private final long refreshIntervalMs;
    private volatile MultiGauge gauge;
    private volatile Map<String, Long> counts = Map.of();
    private volatile boolean known;
    private final PollLoop refresher = new PollLoop("reporting-held-records-metrics");

    public HeldRecordMetrics(HeldRecordRepository store, ReportingConfig config) {
        this.store = store;
        this.refreshIntervalMs = config.held().refreshIntervalMs();
    }

    void start(@Observes StartupEvent event, MeterRegistry registry) {
        gauge = MultiGauge.builder("revshare.reporting.held.records")
                .description("Records reporting holds because it cannot apply them, per partner").register(registry);
        refresher.start(() -> {
            do {
                refresh();
            } while (refresher.pause(refreshIntervalMs));
        });
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        refresher.stop();
    }

    /** Reads the counts again (never throws: with the database away the last figures stay). */
    public void refresh() {
        try {
            Map<String, Long> now = store.heldCounts();
            counts = Map.copyOf(now);
            known = true;
            MultiGauge g = gauge;
            if (g != null) {
                List<MultiGauge.Row<?>> rows = now.entrySet().stream()
                        .<MultiGauge.Row<?>>map(e -> MultiGauge.Row.of(
                                Tags.of("partner", e.getKey().isEmpty() ? UNKNOWN_PARTNER : e.getKey()), e.getValue()))
                        .toList();
                g.register(rows, true);
            }
        } catch (Throwable e) {
            LOG.debugf("held record gauge not refreshed: %s", e.getMessage());
        }
    }

    /** Held records per partner ("" = unknown partner) as of the last refresh. */
    public Map<String, Long> counts() {
        return counts;
    }

    /** Total held records as of the last refresh, or -1 before the first one succeeded. */
    public long total() {
        return known ? counts.values().stream().mapToLong(Long::longValue).sum() : -1;
    }
}
