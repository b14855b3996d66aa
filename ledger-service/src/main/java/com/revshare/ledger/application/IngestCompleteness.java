package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.revshare.ledger.application.IngestWatermarks.Watermark;
import com.revshare.ledger.application.IngestWatermarks;
import com.revshare.ledger.config.LedgerConfig;
import com.revshare.platform.PollLoop;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Pipeline completeness (SPEC §2.7 v2): ingest numbers each partner's accepted events 1, 2, 3 … and
 * the ledger keeps, per partner, the largest n such that events 1 … n are all stored (booked, parked
 * or written off). A gap (a sequence not seen while later ones are) is never skipped: the watermark
 * stops before it, the gauge {@code revshare_ledger_ingest_gap{partner}} shows how many events are
 * missing, and when they arrive (ingest re-publishes them) the watermark moves on. Advanced once per
 * batch in the batch's transaction.
 */
@ApplicationScoped
public class IngestCompleteness {
    private static final Logger LOG = Logger.getLogger(IngestCompleteness.class);

    @Inject
    IngestWatermarks store;
    @Inject
    Transactions tx;
    @Inject
    MeterRegistry metrics;
    @Inject
    LedgerConfig config;

    private final Map<String, AtomicLong> gaps = new ConcurrentHashMap<>();
    private final PollLoop refresher = new PollLoop("ledger-ingest-gap-refresh");

    void start(@Observes StartupEvent event) {
        // other instances move watermarks too: the gauge is re-read from the store now and then
        refresher.start(() -> {
            do {
                refresh();
            } while (refresher.pause(config.consumer().gapRefreshIntervalMs()));
        });
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            refresher.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void refresh() {
        try {
            publish(tx.inNew(store::all));
        } catch (RuntimeException e) {
            LOG.debugf("ingest gap refresh failed: %s", e.toString());
        }
    }

    /** Sets the gauges from watermark rows read or written by a committed transaction. */
    public void publish(Iterable<Watermark> rows) {
        for (Watermark w : rows) {
            gaps.computeIfAbsent(w.partnerId(), p -> {
                AtomicLong value = new AtomicLong();
                Gauge.builder("revshare_ledger_ingest_gap", value, AtomicLong::get).tag("partner", p)
                        .description("accepted events of the partner the ledger has not seen below the largest "
                                + "ingest sequence it has seen (SPEC §2.7)")
                        .register(metrics);
                return value;
            }).set(w.gap());
        }
    }

    /**
     * Advances the watermarks of the partners whose events this transaction stored, given each stored
     * event's ingest sequence (events without one take no part). Returns the rows written.
     */
    public List<Watermark> advance(Connection c, Map<String, List<Long>> stored) throws SQLException {
        Map<String, TreeSet<Long>> byPartner = new TreeMap<>();
        stored.forEach((partner, seqs) -> seqs.stream().filter(s -> s != null && s > 0)
                .forEach(s -> byPartner.computeIfAbsent(partner, k -> new TreeSet<>()).add(s)));
        if (byPartner.isEmpty()) {
            return List.of();
        }
        Map<String, Watermark> rows = new HashMap<>(store.lock(c, byPartner.keySet()));
        Set<String> missing = new HashSet<>(byPartner.keySet());
        missing.removeAll(rows.keySet());
        if (!missing.isEmpty()) {
            store.createMissing(c, missing);
            rows.putAll(store.lock(c, missing));
        }
        List<Watermark> written = new ArrayList<>();
        for (var e : byPartner.entrySet()) {
            Watermark before = rows.get(e.getKey());
            long w = before.ingestSequence();
            TreeSet<Long> seen = new TreeSet<>(e.getValue().tailSet(w, false));
            if (seen.isEmpty()) {
                continue; // re-stored below the watermark (a retry): nothing moves
            }
            boolean hadAhead = before.aheadCount() > 0;
            if (hadAhead) {
                seen.addAll(store.ahead(c, e.getKey(), w));
            }
            while (seen.contains(w + 1)) {
                w++;
            }
            long maxSeen = Math.max(before.maxSeen(), seen.last());
            List<Long> ahead = new ArrayList<>(seen.tailSet(w, false));
            if (hadAhead || !ahead.isEmpty()) {
                store.moveAhead(c, e.getKey(), w, ahead);
            }
            written.add(new Watermark(e.getKey(), w, maxSeen, ahead.size()));
        }
        store.upsert(c, written);
        return written;
    }

    /** The partner's watermark for the balance. */
    public long ingestSequence(Connection c, String partnerId) throws SQLException {
        return store.read(c, partnerId).ingestSequence();
    }
}
