package com.revshare.ledger.application;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.revshare.ledger.application.ParkedEvents;
import com.revshare.ledger.domain.InvalidFieldException;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/**
 * Operator views: the records of revshare.usage.accepted that named no partner and event id and were kept
 * in {@code unreadable_record} (paged read API, and the gauge {@code revshare_ledger_unreadable_records_kept}:
 * how many are kept, re-read from the database at most every {@link #GAUGE_REFRESH_MS} so that every
 * instance shows the shared figure).
 */
@ApplicationScoped
public class Operations {
    private static final Logger LOG = Logger.getLogger(Operations.class);
    static final long GAUGE_REFRESH_MS = 15_000;
    /** Records per page of the unreadable-records API, at most, and by default. */

    @Inject
    Transactions tx;
    @Inject
    ParkedEvents store;
    @Inject
    MeterRegistry metrics;

    private final AtomicLong kept = new AtomicLong();
    private volatile long refreshedAt;

    void start(@Observes StartupEvent event) {
        Gauge.builder("revshare_ledger_unreadable_records_kept", this, Operations::keptNow)
                .description("records of revshare.usage.accepted kept as unreadable (no partner and event id)")
                .register(metrics);
    }

    private double keptNow() {
        long now = System.currentTimeMillis();
        if (now - refreshedAt >= GAUGE_REFRESH_MS) {
            refreshedAt = now;
            try {
                kept.set(tx.inNew(store::unreadableCount));
            } catch (RuntimeException e) {
                LOG.debugf("unreadable record count not refreshed: %s", e.toString());
            }
        }
        return kept.get();
    }

    /** A page of kept unreadable records and the cursor of the next page (null at the end). */
    public record Page(List<UnreadableRecord> records, String nextCursor) {
    }

    /** A kept unreadable record as the API shows it. */
    public record UnreadableRecord(long id, String topic, int partition, long offset, String key, int sizeBytes,
            String sha256, String valuePrefix, String detail, Instant receivedAt) {
    }

    private static List<UnreadableRecord> records(List<ParkedEvents.UnreadableRow> rows) {
        return rows.stream().map(r -> new UnreadableRecord(r.id(), r.topic(), r.partition(), r.offset(), r.key(),
                r.sizeBytes(), r.sha256(), r.valuePrefix(), r.detail(), r.receivedAt())).toList();
    }

    public Page unreadable(String cursor, String limit) {
        long after = 0;
        if (cursor != null) {
            try {
                after = Long.parseLong(cursor);
            } catch (NumberFormatException e) {
                throw new InvalidFieldException("cursor", "cursor must be a nextCursor of this API");
            }
        }
        int size = PageSize.of(limit);
        long from = after;
        int pageSize = size;
        List<ParkedEvents.UnreadableRow> rows = tx.inNew(c -> store.unreadable(c, from, pageSize + 1));
        if (rows.size() <= pageSize) {
            return new Page(records(rows), null);
        }
        return new Page(records(rows.subList(0, pageSize)), Long.toString(rows.get(pageSize - 1).id()));
    }
}
