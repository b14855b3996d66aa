package com.revshare.ledger.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.revshare.ledger.config.LedgerConfig;
import com.revshare.platform.PollLoop;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Completes pending rating requests that their command could not finish (a crash between the
 * command's commit and its chunked rating, or a failed chunk): once shortly after startup, then
 * every {@code rating.sweep-interval-ms}. Never dies on an error: logs, counts and tries again.
 */
@ApplicationScoped
public class PendingRatingSweeper {
    private static final Logger LOG = Logger.getLogger(PendingRatingSweeper.class);

    @Inject
    PendingRating pending;
    @Inject
    LedgerConfig config;
    @Inject
    MeterRegistry metrics;

    private final PollLoop loop = new PollLoop("ledger-pending-rating-sweeper");

    void start(@Observes StartupEvent event) {
        if (config.rating().sweepEnabled()) {
            loop.start(this::run);
        }
    }

    void stop(@Observes ShutdownEvent event) {
        try {
            loop.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        do {
            try {
                int completed = pending.completeAllPending();
                if (completed > 0) {
                    LOG.infof("completed %d pending rating request(s)", completed);
                }
            } catch (Exception e) {
                metrics.counter("revshare_ledger_pending_rating_errors_total").increment();
                LOG.warnf("completing pending rating failed (%s); retrying in %d ms", e.toString(),
                        config.rating().sweepIntervalMs());
            }
        } while (loop.pause(config.rating().sweepIntervalMs()));
    }
}
