package com.revshare.ledger.application;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import com.revshare.ledger.persistence.Sql;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** Process-wide meters that are not owned by one component. */
@ApplicationScoped
public class LedgerMetrics {
    @Inject
    MeterRegistry metrics;

    void register(@Observes StartupEvent event) {
        FunctionCounter.builder("revshare_ledger_sql_statements", Sql.ROUND_TRIPS, java.util.concurrent.atomic.AtomicLong::get)
                .description("SQL statements (round trips) executed by the ledger's stores").register(metrics);
    }
}
