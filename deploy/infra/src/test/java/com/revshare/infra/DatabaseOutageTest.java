package com.revshare.infra;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

import org.junit.jupiter.api.Test;

/**
 * An outage takes exactly one database away — an open session is ended, a new one refused — leaves
 * the server's other databases alone, and ends when closed.
 */
class DatabaseOutageTest {
    private final Infrastructure infra = Infrastructure.shared();

    private int selectOne(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); var rs = s.executeQuery("select 1")) {
            rs.next();
            return rs.getInt(1);
        }
    }

    private Connection connect(String url) throws SQLException {
        return DriverManager.getConnection(url, infra.pgUser(), infra.pgPassword());
    }

    @Test
    void givenAnOpenSession_whenTheOutageBegins_thenItIsEndedNewOnesAreRefusedAndOthersWorkUntilItEnds()
            throws Exception {
        String target = infra.createDatabase("outage_target");
        String bystander = infra.createDatabase("outage_bystander");
        try (Connection open = connect(target)) {
            assertEquals(1, selectOne(open));
            try (DatabaseOutage outage = infra.databaseOutage("outage_target")) {
                assertThrows(SQLException.class, () -> selectOne(open));
                SQLException refused = assertThrows(SQLException.class, () -> connect(target).close());
                assertEquals("55000", refused.getSQLState(), refused.getMessage()); // not currently accepting connections
                try (Connection other = connect(bystander)) {
                    assertEquals(1, selectOne(other));
                }
            }
        }
        try (Connection again = connect(target)) {
            assertEquals(1, selectOne(again));
        }
    }

    @Test
    void theServersOwnDatabaseCannotBeTakenAway() {
        assertThrows(IllegalArgumentException.class, () -> infra.databaseOutage("postgres"));
    }
}
