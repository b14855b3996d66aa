package com.revshare.reporting.application;

import java.util.List;

import org.jboss.logging.Logger;


import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Gauges read from the active read model at scrape time: partners with entries waiting behind a
 * missing sequence ({@code revshare_reporting_gap_partners}) and how many entries wait
 * ({@code revshare_reporting_entries_waiting}). A non-zero value means the ledger published a
 * sequence reporting never received: figures of that partner stop at the gap until it arrives.
 */
@ApplicationScoped
public class ReadModelMetrics {
    private static final Logger LOG = Logger.getLogger(ReadModelMetrics.class);

    private final ReportReads queries;

    public ReadModelMetrics(ReportReads queries) {
        this.queries = queries;
    }

    void register(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("revshare.reporting.gap.partners", this, m -> m.gaps().size()).register(registry);
        Gauge.builder("revshare.reporting.entries.waiting", this,
                m -> m.gaps().stream().mapToLong(ReportReads.GapRow::waitingCount).sum()).register(registry);
    }

    private List<ReportReads.GapRow> gaps() {
        try {
            return queries.gaps();
        } catch (RuntimeException e) {
            LOG.debug("gap gauge unavailable", e);
            return List.of();
        }
    }
}
