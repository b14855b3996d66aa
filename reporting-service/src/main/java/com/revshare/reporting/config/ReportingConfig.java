package com.revshare.reporting.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every limit and tuning knob of the reporting service, with its default. */
@ConfigMapping(prefix = "revshare.reporting")
public interface ReportingConfig {
    Consumer consumer();

    Partners partners();

    Api api();

    Rebuild rebuild();

    Held held();

    /** The live consumer of revshare.ledger.entries. */
    interface Consumer {
        @WithDefault("revshare-reporting")
        String groupId();

        /** Upper bound of records per poll = per database transaction. */
        @WithDefault("5000")
        int maxPollRecords();

        @WithDefault("500")
        long pollTimeoutMs();

        /**
         * {@code fetch.min.bytes}: the broker holds a fetch until this much is there (or
         * {@link #fetchMaxWaitMs()} passed), so at moderate rates a poll, and with it a transaction
         * and an offset commit, carries tens of milliseconds of entries instead of a handful
         * (issue 14: per-batch costs dominated at 5,000 events/s). Backlogged, polls are full anyway.
         */
        @WithDefault("65536")
        int fetchMinBytes();

        /** {@code fetch.max.wait.ms}: the most a fetch waits for {@link #fetchMinBytes()}; reporting's share of the latency. */
        @WithDefault("50")
        int fetchMaxWaitMs();

        /** Short, so a crashed instance's partitions move to another within seconds (issue 10). */
        @WithDefault("10000")
        int sessionTimeoutMs();

        @WithDefault("3000")
        int heartbeatIntervalMs();

        /** First back-off after a failed batch; doubles up to backoffMaxMs. */
        @WithDefault("200")
        long backoffInitialMs();

        @WithDefault("10000")
        long backoffMaxMs();

        /** Batches at least this large are parsed on all cores (parsing is pure). */
        @WithDefault("512")
        int parallelParseThresholdRecords();

        /**
         * When a missing sequence arrives, the entries waiting behind it are read back and applied
         * this many at a time (each chunk its own round of the batch's transaction), so memory does
         * not grow with how many waited.
         */
        @WithDefault("5000")
        int waitingReleaseChunkEntries();

        /**
         * At most about this many waiting entries are released in one transaction; a longer run is
         * released by the next transactions (the consumer goes on even when no record arrives), so
         * a long gap never makes a transaction outgrow its timeout.
         */
        @WithDefault("50000")
        int waitingReleaseMaxEntriesPerTransaction();

        /** Bytes of an unreadable record kept for audit. */
        @WithDefault("65536")
        int invalidRecordRawLimitBytes();
    }

    /** The reader of the compacted revshare.partners topic. */
    interface Partners {
        @WithDefault("500")
        long pollTimeoutMs();

        @WithDefault("1000")
        int maxPollRecords();

        /** First back-off after a failed store; doubles up to backoffMaxMs (also the wait before a restart). */
        @WithDefault("200")
        long backoffInitialMs();

        @WithDefault("10000")
        long backoffMaxMs();
    }

    /** Records reporting holds because it cannot apply them. */
    interface Held {
        /** How often the held-record gauges and the readiness detail are refreshed from the database. */
        @WithDefault("5000")
        long refreshIntervalMs();

        @WithDefault("100")
        int pageLimitDefault();

        @WithDefault("1000")
        int pageLimitMax();

        /** Longest acknowledgement memo, in Unicode code points. */
        @WithDefault("1000")
        int memoMaxCodePoints();
    }

    /** HTTP API limits. */
    interface Api {
        @WithDefault("100")
        int entriesPageLimitDefault();

        @WithDefault("1000")
        int entriesPageLimitMax();

        /** Statement lines fetched from the database at a time while they stream to the client. */
        @WithDefault("1000")
        int statementFetchRows();

        /** Summary rows fetched from the database at a time while they stream to the client. */
        @WithDefault("1000")
        int summaryFetchRows();
    }

    /**
     * API reads (issue 12.4): they run on their own pool (datasource {@code reads}), so no reader
     * can take a connection the projection needs, and each is bounded.
     */
    Reads reads();

    interface Reads {
        /** PostgreSQL {@code statement_timeout} of every read connection: a longer query is cancelled (503). */
        @WithDefault("30000")
        int statementTimeoutMs();

        /** PostgreSQL {@code idle_in_transaction_session_timeout} of every read connection. */
        @WithDefault("60000")
        int idleInTransactionTimeoutMs();

        /** Reads one caller (token subject) may run at once; more wait up to {@code caller-wait-ms}. */
        @WithDefault("4")
        int perCallerConcurrent();

        /** How long a caller's read waits for one of its slots before it is answered 429. */
        @WithDefault("5000")
        int callerWaitMs();

        /**
         * Largest statement or summary spooled to disk for one answer (the database is read into a
         * file at its own pace, then the file is sent at the client's pace with no connection held).
         */
        @WithDefault("1073741824")
        long spoolMaxBytes();
    }

    /** Read-model rebuild from offset 0. */
    interface Rebuild {
        @WithDefault("5000")
        int maxPollRecords();

        @WithDefault("500")
        long pollTimeoutMs();

        /** How often end offsets are re-read to compute lag and ETA. */
        @WithDefault("1000")
        long progressIntervalMs();

        /** Read-model generations kept after a switch besides the active one (for rollback). */
        @WithDefault("1")
        int retainPreviousGenerations();

        /** Give up when the rebuild makes no progress for this long. */
        @WithDefault("300000")
        long stallTimeoutMs();
    }
}
