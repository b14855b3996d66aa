package com.revshare.ledger.persistence;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;

/** The process-wide count of SQL round trips ({@link Sql#ROUND_TRIPS}) as a meter. */
@ApplicationScoped
public class SqlMetrics {
    @Inject
    MeterRegistry metrics;

    void register(@Observes StartupEvent event) {
        FunctionCounter.builder("revshare_ledger_sql_statements", Sql.ROUND_TRIPS, java.util.concurrent.atomic.AtomicLong::get)
                .description("SQL statements (round trips) executed by the ledger's stores").register(metrics);
    }
}
