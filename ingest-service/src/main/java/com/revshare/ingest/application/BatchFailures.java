package com.revshare.ingest.application;

import java.sql.SQLException;

/**
 * Whose fault a batch's failure is: the infrastructure's (thrown, the caller retries the batch) or a record's
 * (the batch is bisected down to that record, which is rejected). One place for the rule every intake path uses.
 */
final class BatchFailures {
    private BatchFailures() {
    }

    /**
     * Whether a failure is the infrastructure's rather than a record's: the database unreachable, out of
     * resources, shut down or rolling back for concurrency (SQLState classes 08, 53, 57, 58, 40), a pool
     * without a connection (no SQLState), or the broker not acknowledging. Anywhere in the cause chain, a
     * Jackson exception or a Kafka record-too-large, serialization or invalid-record exception makes it the record's.
     */
    static boolean transientFailure(Throwable e) {
        for (Throwable t = e; t != null && t.getCause() != t; t = t.getCause()) {
            String name = t.getClass().getName();
            if (name.startsWith("com.fasterxml.") || name.endsWith(".RecordTooLargeException")
                    || name.endsWith(".SerializationException") || name.endsWith(".InvalidRecordException")) {
                return false; // what a record's content causes (it cannot be written or is too large): its fault
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state == null || state.startsWith("08") || state.startsWith("53") || state.startsWith("57")
                        || state.startsWith("58") || state.startsWith("40")) {
                    return true;
                }
            }
            String name = t.getClass().getName();
            if (name.startsWith("org.apache.kafka.") || t instanceof java.util.concurrent.TimeoutException
                    || t instanceof java.util.concurrent.ExecutionException || t instanceof java.io.IOException
                    || t instanceof InterruptedException) {
                return true;
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return false;
    }

    /**
     * The database error when a failure was caused by the data of the batch (data exception 22xxx, integrity
     * violation 23xxx, a raised exception P0xxx, a program limit 54xxx), else null (a transient failure).
     */
    static SQLException recordCaused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23") || state.startsWith("P0")
                        || state.startsWith("54"))) {
                    return sql;
                }
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    static RuntimeException rethrow(Throwable e) {
        if (e instanceof RuntimeException r) {
            return r;
        }
        if (e instanceof Error err) {
            throw err;
        }
        return new IllegalStateException(e);
    }

    static String describe(Throwable e) {
        SQLException sql = recordCaused(e);
        if (sql != null) {
            return "SQLState " + sql.getSQLState();
        }
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == e ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + root.getClass().getSimpleName();
    }

    static String abbreviate(String s) {
        if (s == null) {
            return "";
        }
        String oneLine = s.replaceAll("\\s+", " ");
        return oneLine.length() > 200 ? oneLine.substring(0, 200) + "..." : oneLine;
    }
}
