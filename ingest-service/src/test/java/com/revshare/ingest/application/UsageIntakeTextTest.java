package com.revshare.ingest.application;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

/** What a stored rejection keeps of a hostile id, and which database failures count as the record's fault. */
class UsageIntakeTextTest {

    @Test
    void textPostgresCannotStoreIsReplacedAndEverythingElseKept() {
        String astral = new String(Character.toChars(0x1D400));
        assertEquals("a\uFFFDb", IntakeBatch.storable("a\u0000b"));
        assertEquals("x\uFFFD" + astral + "\uFFFD", IntakeBatch.storable("x\uD800" + astral + "\uDC00"));
        assertEquals(astral + "ok\u0007", IntakeBatch.storable(astral + "ok\u0007"));
        assertNull(IntakeBatch.storable(null));
    }

    @Test
    void onlyDataConstraintRaisedAndLimitErrorsAreTheRecordsFault() {
        for (String state : new String[] {"22021", "23505", "P0001", "54000"}) {
            SQLException e = new SQLException("x", state);
            assertEquals(e, BatchFailures.recordCaused(new RuntimeException(new IllegalStateException(e))));
        }
        for (String state : new String[] {"08006", "40001", "57P01", "53300"}) {
            assertNull(BatchFailures.recordCaused(new RuntimeException(new SQLException("x", state))));
        }
        assertNull(BatchFailures.recordCaused(new IllegalStateException("broker down")));
    }
}
