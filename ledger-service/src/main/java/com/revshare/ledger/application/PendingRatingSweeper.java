package com.revshare.ledger.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import com.revshare.ledger.config.LedgerConfig;

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
    LedgerService ledger;
    @Inject
    LedgerConfig config;
    @Inject
    MeterRegistry metrics;

    private final Object wakeup = new Object();
    private volatile boolean running;
    private Thread thread;

    void start(@Observes StartupEvent event) {
        if (!config.rating().sweepEnabled()) {
            return;
        }
        running = true;
        thread = new Thread(this::loop, "ledger-pending-rating-sweeper");
        thread.setDaemon(true);
        thread.start();
    }

    void stop(@Observes ShutdownEvent event) {
        running = false;
        synchronized (wakeup) {
            wakeup.notifyAll();
        }
        if (thread != null) {
            try {
                thread.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void loop() {
        while (running) {
            try {
                int completed = ledger.completeAllPending();
                if (completed > 0) {
                    LOG.infof("completed %d pending rating request(s)", completed);
                }
            } catch (Exception e) {
                metrics.counter("revshare_ledger_pending_rating_errors_total").increment();
                LOG.warnf("completing pending rating failed (%s); retrying in %d ms", e.toString(),
                        config.rating().sweepIntervalMs());
            }
            synchronized (wakeup) {
                try {
                    if (running) {
                        wakeup.wait(config.rating().sweepIntervalMs());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
