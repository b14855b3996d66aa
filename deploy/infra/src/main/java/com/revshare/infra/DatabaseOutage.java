package com.revshare.infra;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * One service's database made unreachable for a while, for tests of what a service does without
 * it (its readiness DOWN, then UP again): the real server refuses every new connection to that
 * database ({@code ALTER DATABASE … ALLOW_CONNECTIONS false}, which binds superusers too) and ends
 * every session already open on it, so a pooled connection fails as after a crash. Other databases
 * on the same server are untouched, so the tests of other services sharing the server are not
 * disturbed, and nothing of the service is replaced or mocked. {@link #close()} lets connections in
 * again; the service must find its way back by itself.
 */
public final class DatabaseOutage implements AutoCloseable {
    private final String adminUrl;
    private final String user;
    private final String password;
    private final String database;
    private boolean ended;

    private DatabaseOutage(String adminUrl, String user, String password, String database) {
        this.adminUrl = adminUrl;
        this.user = user;
        this.password = password;
        this.database = database;
    }

    /**
     * Starts an outage of {@code database} on the server of {@code serverUrl} ({@code
     * jdbc:postgresql://host:port}), as a user allowed to alter it and end its sessions.
     */
    static DatabaseOutage begin(String serverUrl, String user, String password, String database) {
        if (!database.matches("[a-z_][a-z0-9_]{0,62}") || "postgres".equals(database)) {
            throw new IllegalArgumentException("not a service database: " + database);
        }
        DatabaseOutage outage = new DatabaseOutage(serverUrl + "/postgres", user, password, database);
        outage.execute("alter database " + database + " allow_connections false");
        outage.execute("select pg_terminate_backend(pid) from pg_stat_activity where datname = '" + database
                + "' and pid <> pg_backend_pid()");
        return outage;
    }

    /** Lets connections to the database in again (idempotent). */
    @Override
    public synchronized void close() {
        if (!ended) {
            execute("alter database " + database + " allow_connections true");
            ended = true;
        }
    }

    private void execute(String sql) {
        try (Connection c = DriverManager.getConnection(adminUrl, user, password);
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot run '" + sql + "' on " + adminUrl, e);
        }
    }
}
