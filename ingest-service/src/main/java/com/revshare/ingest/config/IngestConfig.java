package com.revshare.ingest.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Every limit of the ingest service, with its default (override in application.properties or env). */
@ConfigMapping(prefix = "revshare.ingest")
public interface IngestConfig {
    /** Consumer group of the usage.raw consumers. */
    @WithDefault("revshare-ingest")
    String groupId();

    /** Consumer threads on usage.raw (each its own consumer in the group and its own transactions). */
    @WithDefault("2")
    int consumerThreads();

    /** max.poll.records: the largest batch one transaction writes. */
    @WithDefault("1000")
    int pollRecordsLimit();

    @WithDefault("200")
    long pollTimeoutMs();

    /**
     * The usage consumers' {@code fetch.min.bytes}: the broker answers a fetch once this much is ready (or after
     * {@link #consumerFetchMaxWaitMs()}), so that at moderate rates a poll brings a batch of tens of records, not
     * one: the per-batch costs (a transaction and its commit, an offset commit, a relay cycle) are shared.
     */
    @WithDefault("65536")
    int consumerFetchMinBytes();

    /** The usage consumers' {@code fetch.max.wait.ms}: the most a fetch waits for {@link #consumerFetchMinBytes()}. */
    @WithDefault("20")
    int consumerFetchMaxWaitMs();

    /** Largest record or batch element (SPEC §2.1: 64 KiB). */
    @WithDefault("65536")
    int recordSizeLimitBytes();

    /** Most events in one HTTP batch (SPEC §2.1). */
    @WithDefault("1000")
    int httpBatchSizeLimit();

    /**
     * Bytes of HTTP request bodies held in memory at once, all requests together. A request reserves its
     * declared length before its body is read (an undeclared one, block by block as it reads); the default lets one
     * body of the 64 MiB limit, or many smaller ones, in at a time, which bounds the heap a burst of large
     * batches can take (about twice this: the body, then its events' copies and the database batch).
     */
    @WithDefault("67108864")
    long httpBodyMemoryLimitBytes();

    /** How long a request waits for room in {@link #httpBodyMemoryLimitBytes()} before it is answered 503. */
    @WithDefault("10000")
    long httpBodyWaitMs();

    /** How far in the future an event's time may lie (SPEC §2.1). */
    @WithDefault("PT5M")
    Duration futureTolerance();

    /** Most outbox rows the relay publishes per partner per cycle. */
    @WithDefault("2000")
    int relayBatchSizeLimit();

    /** Most outbox rows one relay cycle reads and publishes in all, shared round robin between partners. */
    @WithDefault("20000")
    int relayCycleRowsLimit();

    /** The relay's wait between cycles when nothing woke it. */
    @WithDefault("200")
    long relayIdleMs();

    /**
     * Committed rows the relay holds as handed over by the committing transactions (published from memory, not
     * read back); beyond it, rows are left to the relay's read of the table (e.g. while the broker is down).
     */
    @WithDefault("20000")
    int relayHandoffRowsLimit();

    /**
     * The relay producer's {@code compression.type} on {@code revshare.usage.accepted} ({@code none}, {@code lz4},
     * {@code zstd}, {@code gzip}, {@code snappy}). The topic's records travel between services on one network, so
     * by default they are not compressed: LZ4 cost ingest's relay and the ledger's consumer CPU on every record for
     * bytes that never leave the machine (benchmark profiles of issue 14). Partners' raw topics are not affected.
     */
    @WithDefault("none")
    String relayCompressionType();

    /** First and largest back-off after a failed poll, relay cycle or registry read. */
    @WithDefault("100")
    long retryBackoffInitialMs();

    @WithDefault("5000")
    long retryBackoffMaxMs();

    /** How long a publish (send + broker acknowledgement) may take before the batch is retried. */
    @WithDefault("30000")
    long publishTimeoutMs();

    /** Poll timeout of the partner registry's reader (bounds how fast a new partner becomes known). */
    @WithDefault("100")
    long partnerPollTimeoutMs();

    /** Rejections listed per page when the caller gives no limit (SPEC §2.7: 100). */
    @WithDefault("100")
    int rejectionPageSizeDefault();

    /** Largest page of rejections (SPEC §2.7: 1000). */
    @WithDefault("1000")
    int rejectionPageSizeLimit();

    /** How long stored rejections are listed before they are purged (SPEC §2.7: at least 30 days). */
    @WithDefault("P90D")
    Duration rejectionRetention();

    /** How often the purge of expired rejections runs. */
    @WithDefault("PT1H")
    Duration rejectionPurgeInterval();

    /** Most rejection rows one purge transaction deletes (it repeats until none is left). */
    @WithDefault("10000")
    int rejectionPurgeBatchLimit();

    /** Partitions of a partner's own raw topic, created when the partner is registered (SPEC §2.4). */
    @WithDefault("1")
    int partnerTopicPartitions();

    /** retention.ms of a partner's raw topic: as the shared raw topic's, 7 days (deploy/kafka/acls.md). */
    @WithDefault("604800000")
    long partnerTopicRetentionMs();

    /**
     * metadata.max.age.ms of the usage consumers: how soon their pattern subscription sees a new partner topic
     * (SPEC §2.4: consumed within 5 s of its creation).
     */
    @WithDefault("1000")
    long partnerTopicDiscoveryMs();

    /** Most controls one controls request answers (narrow from/to beyond it). */
    @WithDefault("10000")
    int controlsListLimit();

    /**
     * How often the controls gauge recomputes the partners whose controls may have changed (new usage events
     * or controls accepted by this instance): a status is current within this after the batch commits.
     */
    @WithDefault("1000")
    long controlsGaugeRefreshMs();

    /** How often the controls gauge recomputes every partner with controls (catches other instances' batches). */
    @WithDefault("30000")
    long controlsGaugeFullRefreshMs();
}
