package com.revshare.reporting.archfixture.sqlinapplication.application;

import java.sql.Connection;
import java.sql.SQLException;

/** Violation fixture: a use case that runs SQL itself instead of calling a port. */
public class RebuildService {
    public void switchGeneration(Connection connection, String schema) throws SQLException {
        try (var statement = connection.createStatement()) {
            statement.execute("alter schema " + schema + " rename to live");
        }
    }
}
