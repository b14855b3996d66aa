package com.revshare.ledger.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every limit and name of the ledger service, with its default. */
@ConfigMapping(prefix = "revshare.ledger")
public interface LedgerConfig {
    Consumer consumer();

    Relay relay();

    Partners partners();

    Api api();

    Rating rating();

    Producer producer();

    /** The revshare.usage.accepted poll loop. */
    interface Consumer {
        @WithDefault("revshare-ledger")
        String groupId();

        @WithDefault("1000")
        int maxPollRecords();

        @WithDefault("500")
        long pollTimeoutMs();

        /**
         * The broker answers a fetch once this many bytes are ready (or {@link #fetchMaxWaitMs} passed): at a
         * moderate rate a poll then carries a batch worth a transaction (64 KiB is ~150 accepted records)
         * instead of a handful of records each paying the transaction and the offset commit (issue 14).
         */
        @WithDefault("65536")
        int fetchMinBytes();

        /** The most a fetch waits for {@link #fetchMinBytes}: the latency this stage adds at a low rate. */
        @WithDefault("20")
        int fetchMaxWaitMs();

        @WithDefault("100")
        long retryBackoffMs();

        @WithDefault("5000")
        long retryBackoffMaxMs();

        /**
         * Failed attempts of a batch (with the database answering) before the failing event is isolated
         * by bisection and parked as UNPROCESSABLE, the rest of the batch still stored in batches.
         */
        @WithDefault("5")
        int batchAttemptsLimit();

        /** Attempts of a single isolated event before it is parked as UNPROCESSABLE. */
        @WithDefault("2")
        int singleAttemptsLimit();

        /** How often the ingest-gap gauges are re-read from the store (other instances move watermarks too). */
        @WithDefault("15000")
        long gapRefreshIntervalMs();

        /** The consumer's group session timeout: how soon a dead instance's partitions move on. */
        @WithDefault("10000")
        long sessionTimeoutMs();

        @WithDefault("true")
        boolean enabled();
    }

    /** The outbox relay to revshare.ledger.entries. */
    interface Relay {
        @WithDefault("5000")
        int batchSizeLimit();

        /** Entries one cycle publishes in all, shared round robin between the partners with a backlog. */
        @WithDefault("10000")
        int cycleRowsLimit();

        @WithDefault("500")
        long scanIntervalMs();

        @WithDefault("30000")
        long sendTimeoutMs();

        @WithDefault("true")
        boolean enabled();
    }

    /** The ledger's Kafka producers (the outbox relay's and the partner publisher's). */
    interface Producer {
        /**
         * The producers' {@code compression.type} (any value Kafka takes: {@code none}, {@code gzip},
         * {@code snappy}, {@code lz4}, {@code zstd}). {@code none} by default: the ledger's records go to
         * topics inside the cluster's own network, where bandwidth is cheap and CPU is not (issue 14's profile:
         * LZ4 in the relay's send was 12% of the ledger's CPU). Set a codec where the brokers are far away
         * or their disks are the limit.
         */
        @WithDefault("none")
        String compression();
    }

    /** Publication of partner records on the compacted topic. */
    interface Partners {
        @WithDefault("10000")
        long publishTimeoutMs();
    }

    /** Pending rating and re-rating (after a new version or FX rate, and before a close). */
    interface Rating {
        /** Events rated or re-rated per transaction (bounds memory and transaction time). */
        @WithDefault("1000")
        int chunkSize();

        /** How often pending requests left by a crash or a failed completion are completed. */
        @WithDefault("30000")
        long sweepIntervalMs();

        @WithDefault("true")
        boolean sweepEnabled();
    }

    /** HTTP API limits. */
    interface Api {
        /** The most unrated events one GET .../unrated lists (oldest first). */
        @WithDefault("10000")
        int pageSizeLimit();

        @WithDefault("1048576")
        int bodySizeLimitBytes();

        /** The most UNPROCESSABLE events one POST .../unrated/retry processes (oldest first; call again for more). */
        @WithDefault("10000")
        int retryLimit();
    }
}
