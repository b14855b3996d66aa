package com.revshare.reporting.persistence;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import com.revshare.reporting.config.ReportingConfig;

import io.agroal.api.AgroalPoolInterceptor;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Session settings of every connection of the API read pool (datasource {@code reads}, issue
 * 12.4): a {@code statement_timeout} so no report query runs unbounded, an
 * {@code idle_in_transaction_session_timeout} so no snapshot stays open unbounded, and
 * read-only transactions by default, so this pool cannot write even by mistake. The projection's
 * pool (the default datasource) is not affected.
 */
@ApplicationScoped
@DataSource(ReportQueries.READS)
public class ReadPoolSession implements AgroalPoolInterceptor {
    private final ReportingConfig.Reads config;

    public ReadPoolSession(ReportingConfig config) {
        this.config = config.reads();
    }

    @Override
    public void onConnectionCreate(Connection connection) {
        try (Statement s = connection.createStatement()) {
            s.execute("set statement_timeout = " + config.statementTimeoutMs());
            s.execute("set idle_in_transaction_session_timeout = " + config.idleInTransactionTimeoutMs());
            s.execute("set default_transaction_read_only = on");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot set up a read connection", e);
        }
    }
}
