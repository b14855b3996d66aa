package com.revshare.ledger.application;

import java.sql.Connection;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Runs work in a new JTA transaction on one pooled connection; SQL errors become unchecked. */
@ApplicationScoped
public class Transactions {
    @Inject
    AgroalDataSource dataSource;

    /** Work on a connection that may throw SQLException. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    /** An SQL failure, unchecked; the transaction has been rolled back. */
    public static class DataAccessException extends RuntimeException {
        public DataAccessException(SQLException cause) {
            super(cause.getMessage(), cause);
        }
    }

    public <T> T inNew(SqlWork<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            } catch (SQLException e) {
                throw new DataAccessException(e);
            }
        });
    }
}
