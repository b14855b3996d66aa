package com.revshare.ingest.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import com.revshare.ingest.config.IngestConfig;

import com.revshare.platform.PollLoop;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Purges stored rejections older than {@code revshare.ingest.rejection-retention} (default 90 days; SPEC §2.7
 * asks for at least 30), in bounded transactions, every {@code rejection-purge-interval}. Safe on several
 * instances (a delete of rows already deleted deletes nothing). The intake counts are not touched: they count
 * since the partner's first record.
 */
@ApplicationScoped
public class RejectionRetention {
    private static final Logger LOG = Logger.getLogger(RejectionRetention.class);

    private final IntakeStorage store;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final Duration retention;
    private final Duration interval;
    private final int batchLimit;
    private final PollLoop loop = new PollLoop("ingest-rejection-retention");

    public RejectionRetention(IntakeStorage store, IngestMetrics metrics, Clock clock, IngestConfig config) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.retention = config.rejectionRetention();
        this.interval = config.rejectionPurgeInterval();
        this.batchLimit = config.rejectionPurgeBatchLimit();
    }

    void start(@Observes StartupEvent event) {
        loop.start(this::run);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        loop.stop();
    }

    private void run() {
        do {
            try {
                purge(loop::running);
            } catch (RuntimeException e) {
                metrics.loopError("rejection-purge");
                LOG.warnf("purging expired rejections failed, next try in %s: %s", interval, e.toString());
            }
        } while (loop.pause(interval.toMillis()));
    }

    /** Deletes every rejection received before now minus the retention; returns how many. */
    public long purgeOnce() {
        return purge(() -> true);
    }

    /** Purges batch after batch while {@code goOn} (a stop ends a long purge between two batches). */
    private long purge(BooleanSupplier goOn) {
        Instant cutoff = clock.instant().minus(retention);
        long total = 0;
        int deleted;
        do {
            deleted = QuarkusTransaction.requiringNew().call(() -> store.purgeRejections(cutoff, batchLimit));
            total += deleted;
        } while (deleted >= batchLimit && goOn.getAsBoolean());
        if (total > 0) {
            LOG.infof("purged %d rejections received before %s", total, cutoff);
        }
        return total;
    }
}
