package com.revshare.ingest.application;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.sql.SQLException;
import java.util.concurrent.ExecutionException;

import org.junit.jupiter.api.Test;

/**
 * Issue 10: which failures of a batch are the infrastructure's (thrown, the batch retried as a whole) and which
 * are pinned on a record (bisected, the record rejected). Getting this wrong either stalls a partition forever
 * (a record's fault taken for an outage) or rejects good events during an outage.
 */
class FailureClassificationTest {

    @Test
    void anUnreachableOrShutDownDatabaseAndABrokerThatDoesNotAnswerAreTransient() {
        // given failures of the infrastructure, wrapped as the stores and the publisher wrap them
        for (String state : new String[] {"08006", "08001", "57P01", "53300", "40001", "40P01", "58030"}) {
            assertTrue(BatchFailures.transientFailure(new IllegalStateException(new SQLException("x", state))), state);
        }
        assertTrue(BatchFailures.transientFailure(new SQLException("Sorry, acquisition timeout!")), "pool: no SQLState");
        assertTrue(BatchFailures.transientFailure(new IllegalStateException("rejections not acknowledged by the broker",
                new ExecutionException(new org.apache.kafka.common.errors.TimeoutException("expired")))));
        assertTrue(BatchFailures.transientFailure(new IllegalStateException(new java.util.concurrent.TimeoutException())));
    }

    @Test
    void aRecordsDataErrorsErrorsAndUncheckedExceptionsAreNot() {
        // given what a record can make handling throw
        for (String state : new String[] {"22023", "22001", "23505", "P0001", "54000"}) {
            assertFalse(BatchFailures.transientFailure(new IllegalStateException(new SQLException("x", state))), state);
        }
        assertFalse(BatchFailures.transientFailure(new StackOverflowError()));
        assertFalse(BatchFailures.transientFailure(new ArithmeticException("Rounding necessary")));
        assertFalse(BatchFailures.transientFailure(new IllegalArgumentException()));
        assertFalse(BatchFailures.transientFailure(new OutOfMemoryError("Java heap space")));
        // a rejection whose content cannot be serialised (wrapped like the publisher wraps it)
        assertFalse(BatchFailures.transientFailure(new IllegalStateException("rejections not acknowledged by the broker",
                new com.fasterxml.jackson.core.JsonGenerationException("Broken surrogate pair",
                        (com.fasterxml.jackson.core.JsonGenerator) null))));
        assertFalse(BatchFailures.transientFailure(new IllegalStateException(new ExecutionException(
                new org.apache.kafka.common.errors.RecordTooLargeException("too large")))));
    }
}
