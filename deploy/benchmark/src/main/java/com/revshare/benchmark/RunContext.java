package com.revshare.benchmark;

import java.nio.file.Path;
import java.time.Duration;
import java.time.YearMonth;
import java.util.List;

/**
 * What every phase after the references works with, fixed once the services are up: the
 * options, the system and its APIs, the tokens, the partners and months, the feed and its
 * expected money, and the instruments (freshness poller, Kafka probe, timeline, phase clock).
 */
record RunContext(Options options, Path resultsDir, String runId, Log log, SystemUnderTest sut, String admin,
        String finance, List<String> partnerIds, YearMonth currentMonth, YearMonth closedMonth, Api ingest, Api ledger,
        Api reporting, KafkaProbe probe, FreshnessPoller poller, Timeline timeline, PhaseClock phases, Waits waits,
        FeedGenerator generator, Expected expected) {

    static final Duration TOKEN_TTL = Duration.ofHours(12);

    /** The partner indexes the feed sends events for (one with --single-partner). */
    List<Integer> activePartners() {
        return options.singlePartner ? List.of(0) : java.util.stream.IntStream.range(0, partnerIds.size()).boxed().toList();
    }
}
