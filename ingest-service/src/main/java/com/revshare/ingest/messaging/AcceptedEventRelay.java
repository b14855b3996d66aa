package com.revshare.ingest.messaging;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Comparator;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.jboss.logging.Logger;

import com.revshare.ingest.application.IngestMetrics;
import com.revshare.ingest.application.OutboxRow;
import com.revshare.ingest.application.OutboxSignal;
import com.revshare.ingest.application.RelayHead;
import com.revshare.ingest.application.SequenceRange;
import com.revshare.ingest.config.IngestConfig;
import com.revshare.ingest.config.TopicsConfig;
import com.revshare.ingest.application.UsageEventStorage;
import com.revshare.platform.PollLoop;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * The outbox relay: publishes each partner's committed usage_event rows to revshare.usage.accepted in
 * ingest-sequence order past the partner's published watermark, waits for the broker's acknowledgement
 * and only then advances the watermark. What is forwarded is driven by what is stored, so a crash
 * between the database commit and the publish loses nothing: the rows are published after restart
 * (a re-publication is harmless, consumers dedupe by partner and ingestSequence). A transaction-scoped
 * advisory lock keeps one relay active across instances. Runs on a {@link PollLoop} that the commit which
 * produced rows wakes through the {@link OutboxSignal} port, handing over the rows it wrote: those are
 * published as they are (serialised once, by {@link AcceptedEventJson}; not read back from the table) when they
 * continue their partner's published sequence; anything not handed over (another instance's rows, rows of
 * before a restart, a republish) is read from the table by sequence range. Without a wake it looks again after
 * {@code relayIdleMs}.
 */
@ApplicationScoped
public class AcceptedEventRelay implements OutboxSignal {
    private static final Logger LOG = Logger.getLogger(AcceptedEventRelay.class);

    private final KafkaClients clients;
    private final UsageEventStorage store;
    private final IngestMetrics metrics;
    private final Clock clock;
    private final IngestConfig limits;
    private final String topic;
    private final PollLoop loop = new PollLoop("ingest-outbox-relay");
    private final AcceptedEventJson writer = new AcceptedEventJson();
    /** Rows committing threads handed over, not yet taken by the relay thread. */
    private final ConcurrentLinkedQueue<List<OutboxRow>> handedOver = new ConcurrentLinkedQueue<>();
    /** Rows held in {@link #handedOver} and {@link #ready}, bounded by {@code relayHandoffRowsLimit}. */
    private final AtomicInteger held = new AtomicInteger();
    private final AtomicLong tableReads = new AtomicLong();
    /** Relay thread only: each partner's handed-over rows by sequence. */
    private final Map<String, TreeMap<Long, OutboxRow>> ready = new HashMap<>();
    /** Relay thread only: partners whose next row was missing in the last cycle, with their watermark then. */
    private final Map<String, Long> gapSeenAt = new HashMap<>();

    public AcceptedEventRelay(KafkaClients clients, UsageEventStorage store, IngestMetrics metrics,
            Clock clock, IngestConfig config, TopicsConfig topics) {
        this.clients = clients;
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
        this.limits = config;
        this.topic = topics.usageAccepted();
    }

    void start(@Observes StartupEvent event) {
        startRelay();
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        stopRelay();
    }

    /** Starts the relay thread (at startup; a test may run a second relay, as a second instance would). */
    public void startRelay() {
        loop.start(this::run);
    }

    /** Stops the relay thread and waits for it. */
    public void stopRelay() throws InterruptedException {
        loop.stop();
    }

    /**
     * Takes a committed transaction's rows (called by the committing thread). Beyond
     * {@code relayHandoffRowsLimit} rows held (a broker outage, or another instance holding the relay's lock)
     * they are not kept: the relay reads those from the table instead, so memory stays bounded and nothing is
     * lost.
     */
    @Override
    public void committed(List<OutboxRow> rows) {
        if (!rows.isEmpty()) {
            if (held.addAndGet(rows.size()) <= limits.relayHandoffRowsLimit()) {
                handedOver.add(rows);
            } else {
                held.addAndGet(-rows.size());
            }
        }
        loop.wake();
    }

    private void run() {
        Backoff backoff = new Backoff(limits.retryBackoffInitialMs(), limits.retryBackoffMaxMs(), loop);
        try (ProducerHolder producers = new ProducerHolder(() -> clients.producer("revshare-ingest-relay", limits.relayCompressionType()))) {
            while (loop.running()) {
                KafkaProducer<String, byte[]> producer = null;
                try {
                    producer = producers.get();
                    KafkaProducer<String, byte[]> p = producer;
                    boolean more = QuarkusTransaction.requiringNew().call(() -> cycle(p));
                    backoff.reset();
                    if (!more) {
                        loop.pause(limits.relayIdleMs());
                    }
                } catch (Throwable e) {
                    // the relay must never die: whatever failed (database, broker, even an Error) is counted,
                    // logged and retried after a back-off, with a fresh producer in case this one is broken
                    if (loop.running()) {
                        metrics.loopError("relay");
                        LOG.warnf("outbox relay cycle failed, retrying: %s", e.toString());
                        producers.discard(producer);
                        backoff.pause();
                    }
                }
            }
        }
    }

    /**
     * Publishes one round of pending rows; true when more may be waiting (a limit was reached, or a partner's
     * next rows were neither handed over nor yet read from the table). Each partner's next rows come from what
     * its committing transactions handed over when they continue its published sequence without a gap, else
     * from the table: at once when the same gap was already seen in the previous cycle (a hand-over that never
     * comes: another instance's rows, a restart, a republish), otherwise in the next cycle, which runs at once
     * (a hand-over racing its successor's, e.g. HTTP and Kafka batches of one partner, usually arrives meanwhile).
     */
    private boolean cycle(KafkaProducer<String, byte[]> producer) throws Exception {
        if (!store.tryRelayLock()) {
            return false;
        }
        drainHandedOver();
        List<RelayHead> heads = store.relayHeads();
        List<RelayHead> pending = new ArrayList<>();
        for (RelayHead head : heads) {
            TreeMap<Long, OutboxRow> ready = this.ready.get(head.partnerId());
            if (ready != null) {
                forget(ready, head.publishedSequence());
            }
            if (head.lastSequence() > head.publishedSequence()) {
                pending.add(head);
            }
        }
        if (pending.isEmpty()) {
            gapSeenAt.clear();
            return false;
        }
        pending.sort(Comparator.comparing(RelayHead::partnerId));
        int[] shares = shares(pending.stream().mapToLong(h -> h.lastSequence() - h.publishedSequence()).toArray(),
                limits.relayBatchSizeLimit(), limits.relayCycleRowsLimit());
        boolean more = false;
        List<OutboxRow> rows = new ArrayList<>();
        List<SequenceRange> fromTable = new ArrayList<>();
        Map<String, Long> seenNow = new HashMap<>();
        for (int k = 0; k < pending.size(); k++) {
            RelayHead head = pending.get(k);
            int share = shares[k];
            if (share == 0) {
                more = true;
                continue;
            }
            long first = head.publishedSequence() + 1;
            long last = head.publishedSequence() + share;
            more |= share >= limits.relayBatchSizeLimit() || last < head.lastSequence();
            TreeMap<Long, OutboxRow> ready = this.ready.get(head.partnerId());
            long next = first;
            if (ready != null) {
                for (OutboxRow row : ready.subMap(first, true, last, true).values()) {
                    if (row.ingestSequence() != next) {
                        break;
                    }
                    rows.add(row);
                    next++;
                }
            }
            if (next > first) {
                more |= next <= last; // the rest comes with a later hand-over, or from the table next cycle
            } else if (Long.valueOf(head.publishedSequence()).equals(gapSeenAt.get(head.partnerId()))) {
                fromTable.add(new SequenceRange(head.partnerId(), first, last));
            } else {
                seenNow.put(head.partnerId(), head.publishedSequence());
                more = true;
            }
        }
        gapSeenAt.clear();
        gapSeenAt.putAll(seenNow);
        if (!fromTable.isEmpty()) {
            rows.addAll(store.outboxRange(fromTable));
            tableReads.incrementAndGet();
        }
        if (rows.isEmpty()) {
            return more;
        }
        List<Future<RecordMetadata>> sent = new ArrayList<>(rows.size());
        Map<String, Long> published = new HashMap<>();
        for (OutboxRow row : rows) {
            sent.add(producer.send(new ProducerRecord<>(topic, row.partnerId(), writer.write(row))));
            published.merge(row.partnerId(), row.ingestSequence(), Math::max);
        }
        producer.flush();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(limits.publishTimeoutMs());
        for (Future<RecordMetadata> f : sent) {
            f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
        store.advanceWatermarks(published);
        Instant acknowledged = clock.instant();
        for (OutboxRow row : rows) {
            metrics.published(row.partnerId(), Duration.between(row.submittedAt(), acknowledged));
        }
        // published (the watermark commits with this cycle; if it does not, the table still has the rows)
        published.forEach((partner, sequence) -> {
            TreeMap<Long, OutboxRow> ready = this.ready.get(partner);
            if (ready != null) {
                forget(ready, sequence);
            }
        });
        return more;
    }

    /** Moves what committing threads handed over into the relay thread's own per-partner maps. */
    private void drainHandedOver() {
        List<OutboxRow> batch;
        while ((batch = handedOver.poll()) != null) {
            for (OutboxRow row : batch) {
                if (ready.computeIfAbsent(row.partnerId(), p -> new TreeMap<>()).put(row.ingestSequence(), row) != null) {
                    held.decrementAndGet(); // the same row twice (cannot happen: a sequence is committed once)
                }
            }
        }
    }

    /** Drops a partner's held rows up to {@code publishedSequence}. */
    private void forget(TreeMap<Long, OutboxRow> ready, long publishedSequence) {
        SortedMap<Long, OutboxRow> done = ready.headMap(publishedSequence, true);
        held.addAndGet(-done.size());
        done.clear();
    }

    /** How many cycles read rows from the table (not handed over): for tests and diagnosis. */
    public long tableReads() {
        return tableReads.get();
    }

    /**
     * Each partner's share of a cycle: at most {@code perPartnerLimit} and its backlog, at most
     * {@code totalLimit} in all, shared evenly (water-filling: a partner with less than an even share leaves the
     * rest to the others), so every partner with a backlog advances in every cycle while the total allows one
     * row each; beyond that, the first partners (by id) get one row each.
     *
     * @param backlogs each partner's unpublished rows (positive)
     */
    public static int[] shares(long[] backlogs, int perPartnerLimit, int totalLimit) {
        int n = backlogs.length;
        Integer[] bySize = new Integer[n];
        for (int i = 0; i < n; i++) {
            bySize[i] = i;
        }
        java.util.Arrays.sort(bySize, Comparator.comparingLong(i -> backlogs[i]));
        int[] shares = new int[n];
        long remaining = totalLimit;
        for (int k = 0; k < n; k++) {
            int i = bySize[k];
            long even = remaining / (n - k);
            long share = Math.min(Math.min(backlogs[i], perPartnerLimit), Math.max(even, remaining > 0 ? 1 : 0));
            shares[i] = (int) share;
            remaining -= share;
        }
        return shares;
    }
}
