package com.revshare.ingest.application;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.jboss.logging.Logger;

import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.domain.ControlStatus;
import com.revshare.ingest.domain.Reconciliation;
import com.revshare.platform.PollLoop;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The gauge {@code revshare_ingest_controls{partner,status}}: how many of a partner's controls are MATCHED,
 * SHORT, OVER or MISMATCH, so an alert can fire while a control is SHORT. A batch that accepts a partner's
 * usage events or controls marks the partner; marked partners are recomputed every
 * {@code controlsGaugeRefreshMs} (default 1 s) and every partner with controls every
 * {@code controlsGaugeFullRefreshMs} (default 30 s, which also catches batches of other instances). So a status
 * change shows within about 1 s on the instance that accepted the batch and within 30 s on every instance.
 */
@ApplicationScoped
public class ControlMonitor {
    private static final Logger LOG = Logger.getLogger(ControlMonitor.class);

    private final PartnerControls controls;
    private final MeterRegistry registry;
    private final IngestConfig config;
    private final Set<String> marked = ConcurrentHashMap.newKeySet();
    private final Map<String, Map<ControlStatus, AtomicLong>> gauges = new ConcurrentHashMap<>();
    private final PollLoop loop = new PollLoop("ingest-controls-gauge");

    public ControlMonitor(PartnerControls controls, MeterRegistry registry, IngestConfig config) {
        this.controls = controls;
        this.registry = registry;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        loop.start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    /** Every partner at once and then every full-refresh period; marked partners every refresh period. */
    private void run() {
        long fullRefreshNanos = TimeUnit.MILLISECONDS.toNanos(config.controlsGaugeFullRefreshMs());
        long nextFull = System.nanoTime();
        do {
            if (System.nanoTime() - nextFull >= 0) {
                refreshAll();
                nextFull = System.nanoTime() + fullRefreshNanos;
            }
            refreshMarked();
        } while (loop.pause(config.controlsGaugeRefreshMs()));
    }

    /** The partners' controls may have changed status (called after a batch commits). */
    public void changed(Set<String> partnerIds) {
        marked.addAll(partnerIds);
    }

    private void refreshMarked() {
        for (String partner : List.copyOf(marked)) {
            marked.remove(partner);
            if (!refresh(partner)) {
                marked.add(partner);
            }
        }
    }

    private void refreshAll() {
        try {
            for (String partner : controls.partnersWithControls()) {
                refresh(partner);
            }
        } catch (Throwable e) {
            LOG.debugf("controls gauge refresh failed, retried on the next tick: %s", e.toString());
        }
    }

    /** Recomputes one partner's status counts now; false when it failed (it is then retried). */
    public boolean refresh(String partnerId) {
        try {
            Map<ControlStatus, Long> counts = new EnumMap<>(ControlStatus.class);
            for (Reconciliation r : controls.controls(partnerId, null, null, Integer.MAX_VALUE)) {
                counts.merge(r.status(), 1L, Long::sum);
            }
            if (counts.isEmpty() && !gauges.containsKey(partnerId)) {
                return true;
            }
            Map<ControlStatus, AtomicLong> series = gauges.computeIfAbsent(partnerId, this::register);
            for (ControlStatus status : ControlStatus.values()) {
                series.get(status).set(counts.getOrDefault(status, 0L));
            }
            return true;
        } catch (Throwable e) {
            LOG.debugf("controls gauge of %s not refreshed: %s", partnerId, e.toString());
            return false;
        }
    }

    private Map<ControlStatus, AtomicLong> register(String partnerId) {
        Map<ControlStatus, AtomicLong> series = new EnumMap<>(ControlStatus.class);
        for (ControlStatus status : ControlStatus.values()) {
            AtomicLong value = new AtomicLong();
            Gauge.builder("revshare.ingest.controls", value, AtomicLong::get)
                    .description("controls of the partner by status (SPEC §2.6); alert while SHORT > 0")
                    .tags("partner", partnerId, "status", status.name()).register(registry);
            series.put(status, value);
        }
        return series;
    }
}
