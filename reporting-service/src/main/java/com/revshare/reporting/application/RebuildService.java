package com.revshare.reporting.application;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.jboss.logging.Logger;

import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.config.TopicsConfig;
import com.revshare.reporting.messaging.KafkaClients;
import com.revshare.reporting.persistence.ReadModels;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Rebuilds the read model from offset 0 of revshare.ledger.entries into a fresh generation
 * schema, then switches to it:
 * <ol>
 * <li>create {@code rm_<n>} (Flyway-defined DDL) while the live consumer keeps serving the active one;</li>
 * <li>read the topic from its beginning with a group-less consumer, applying batches with the
 * live consumer's exact code path ({@link EntryApplier}) until the lag is zero;</li>
 * <li>switch: lock the active-generation row FOR UPDATE (the live consumer's next batch waits),
 * read the end offsets, catch up to them, check that the new generation has applied every
 * partner at least as far as the active one, point the row at the new generation, commit;</li>
 * <li>drop generations older than the retained ones.</li>
 * </ol>
 * One rebuild at a time across instances (a PostgreSQL advisory lock held for its duration).
 * The topic must keep every entry (retention.ms=-1) for a rebuild to be complete; if it does
 * not, the check of step 3 fails and the active generation stays.
 */
@ApplicationScoped
public class RebuildService {
    private static final Logger LOG = Logger.getLogger(RebuildService.class);
    private static final long ADVISORY_LOCK_KEY = 0x7265706f7274L; // "report"

    private final AgroalDataSource dataSource;
    private final ReadModels readModels;
    private final EntryApplier applier;
    private final KafkaClients clients;
    private final TopicsConfig topics;
    private final ReportingConfig.Rebuild config;
    private final AtomicReference<RebuildProgress> progress = new AtomicReference<>(RebuildProgress.idle());
    private volatile boolean shuttingDown;
    private volatile Thread worker;
    /** Partners of the generation being built whose released entries are not all applied yet (worker only). */
    private Set<String> releasePending = new LinkedHashSet<>();

    public RebuildService(AgroalDataSource dataSource, ReadModels readModels, EntryApplier applier,
            KafkaClients clients, TopicsConfig topics, ReportingConfig config) {
        this.dataSource = dataSource;
        this.readModels = readModels;
        this.applier = applier;
        this.clients = clients;
        this.topics = topics;
        this.config = config.rebuild();
    }

    void registerMetrics(@Observes StartupEvent event, MeterRegistry registry) {
        Gauge.builder("revshare.reporting.rebuild.running", progress, p -> p.get().running() ? 1 : 0)
                .register(registry);
        Gauge.builder("revshare.reporting.rebuild.entries.applied", progress, p -> p.get().entriesApplied())
                .register(registry);
        Gauge.builder("revshare.reporting.rebuild.lag", progress,
                p -> p.get().lag() == null ? Double.NaN : p.get().lag()).register(registry);
    }

    void stop(@Observes ShutdownEvent event) throws InterruptedException {
        shuttingDown = true;
        Thread t = worker;
        if (t != null) {
            t.join(Duration.ofSeconds(20).toMillis());
        }
    }

    public RebuildProgress progress() {
        return progress.get();
    }

    /** Starts a rebuild; 409 when one is running (here or on another instance). */
    public synchronized RebuildProgress start(String actor) {
        if (progress.get().running()) {
            throw ApiProblem.conflict("a rebuild is already running");
        }
        Connection lock;
        try {
            lock = dataSource.getConnection();
            boolean acquired;
            try (PreparedStatement p = lock.prepareStatement("select pg_try_advisory_lock(?)")) {
                p.setLong(1, ADVISORY_LOCK_KEY);
                try (ResultSet rs = p.executeQuery()) {
                    rs.next();
                    acquired = rs.getBoolean(1);
                }
            }
            if (!acquired) {
                lock.close();
                throw ApiProblem.conflict("a rebuild is already running on another instance");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot take the rebuild lock", e);
        }
        try {
            settleInterruptedRuns();
        } catch (RuntimeException e) {
            release(lock);
            throw e;
        }
        String[] schemas = QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String previous = readModels.active(c);
                return new String[] { readModels.createGeneration(c), previous };
            }
        });
        Instant started = Instant.now();
        long runId = recordRun(schemas[0], schemas[1], started);
        progress.set(new RebuildProgress("RUNNING", schemas[0], schemas[1], started.toString(), null, 0, 0, null,
                null, null, null));
        LOG.infof("rebuild %d started by %s: %s from offset 0 of %s, replacing %s", runId, actor, schemas[0],
                topics.ledgerEntries(), schemas[1]);
        Thread t = new Thread(() -> run(runId, schemas[0], schemas[1], started, lock), "reporting-rebuild");
        t.setDaemon(true);
        worker = t;
        t.start();
        return progress.get();
    }

    private void run(long runId, String target, String previous, Instant started, Connection lock) {
        releasePending = new LinkedHashSet<>();
        long read = 0;
        long applied = 0;
        try (KafkaConsumer<String, byte[]> c = clients.consumer("revshare-reporting-rebuild", null,
                Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords()))) {
            List<TopicPartition> partitions = c.partitionsFor(topics.ledgerEntries()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long lastCheck = System.nanoTime();
            long readAtCheck = 0;
            long lastProgressAt = System.nanoTime();
            Long rate = null;
            while (true) {
                checkNotShuttingDown();
                long lag = lag(c, partitions, end);
                long now = System.nanoTime();
                if (now - lastCheck >= Duration.ofMillis(config.progressIntervalMs()).toNanos()) {
                    double seconds = (now - lastCheck) / 1e9;
                    rate = Math.round((read - readAtCheck) / seconds);
                    end = c.endOffsets(partitions);
                    lag = lag(c, partitions, end);
                    lastCheck = now;
                    readAtCheck = read;
                    LOG.infof("rebuild %d: %d records read, %d entries applied, lag %d, %s entries/s", runId, read,
                            applied, lag, rate);
                }
                Long eta = rate == null || rate == 0 ? null : lag / rate;
                progress.set(new RebuildProgress("RUNNING", target, previous, started.toString(), null, read, applied,
                        lag, rate, eta, null));
                if (!releasePending.isEmpty()) {
                    ApplyResult released = applier.release(releasePending, target);
                    releasePending = new LinkedHashSet<>(released.releasePending());
                    applied += released.applied();
                    lastProgressAt = System.nanoTime();
                    continue;
                }
                if (lag == 0) {
                    break;
                }
                if (now - lastProgressAt > Duration.ofMillis(config.stallTimeoutMs()).toNanos()) {
                    throw new IllegalStateException("no progress for " + config.stallTimeoutMs() + " ms");
                }
                Polled polled = pollAndApply(c, target);
                if (polled != null) {
                    read += polled.records();
                    applied += polled.result().applied();
                    releasePending.addAll(polled.result().releasePending());
                    lastProgressAt = System.nanoTime();
                }
            }
            progress.set(new RebuildProgress("SWITCHING", target, previous, started.toString(), null, read, applied,
                    0L, null, 0L, null));
            long[] counters = { read, applied };
            QuarkusTransaction.requiringNew().run(() -> switchTo(c, partitions, target, counters));
            read = counters[0];
            applied = counters[1];
            dropOldGenerations(target);
            Instant finished = Instant.now();
            finishRun(runId, "COMPLETED", finished, applied, read, null);
            progress.set(new RebuildProgress("COMPLETED", target, previous, started.toString(), finished.toString(),
                    read, applied, 0L, null, 0L, null));
            LOG.infof("rebuild %d completed: %s active, %d entries applied in %s", runId, target, applied,
                    Duration.between(started, finished));
        } catch (Exception e) {
            LOG.errorf(e, "rebuild %d failed; %s stays active", runId, previous);
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            dropQuietly(target);
            Instant finished = Instant.now();
            finishRun(runId, "FAILED", finished, applied, read, error);
            progress.set(new RebuildProgress("FAILED", target, previous, started.toString(), finished.toString(),
                    read, applied, null, null, null, error));
        } finally {
            release(lock);
            worker = null;
        }
    }

    private record Polled(int records, ApplyResult result) {
    }

    private Polled pollAndApply(KafkaConsumer<String, byte[]> c, String target) {
        ConsumerRecords<String, byte[]> records = c.poll(Duration.ofMillis(config.pollTimeoutMs()));
        if (records.isEmpty()) {
            return null;
        }
        List<DeliveredRecord> batch = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> r : records) {
            batch.add(new DeliveredRecord(r.topic(), r.partition(), r.offset(), r.key(), r.value()));
        }
        return new Polled(batch.size(), applier.apply(batch, target));
    }

    /** Runs in the switch transaction, which holds the active-generation row FOR UPDATE. */
    private void switchTo(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions, String target,
            long[] counters) {
        try (Connection conn = dataSource.getConnection()) {
            String active = readModels.activeForUpdate(conn);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofMillis(config.stallTimeoutMs()).toNanos();
            while (lag(c, partitions, end) > 0 || !releasePending.isEmpty()) {
                checkNotShuttingDown();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("final catch-up did not finish");
                }
                if (!releasePending.isEmpty()) {
                    ApplyResult released = applier.release(releasePending, target);
                    releasePending = new LinkedHashSet<>(released.releasePending());
                    counters[1] += released.applied();
                    continue;
                }
                Polled polled = pollAndApply(c, target);
                if (polled != null) {
                    counters[0] += polled.records();
                    counters[1] += polled.result().applied();
                    releasePending.addAll(polled.result().releasePending());
                }
            }
            verifyCoverage(conn, active, target);
            readModels.activate(conn, target);
        } catch (SQLException e) {
            throw new IllegalStateException("switch failed", e);
        }
    }

    /**
     * The new generation must have applied every partner at least as far as the active one and
     * must not wait on more gaps (else the topic lost entries, e.g. to retention).
     */
    private static void verifyCoverage(Connection c, String active, String target) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                "select a.partner_id, a.applied_sequence, coalesce(t.applied_sequence, 0) from "
                        + ReadModels.checked(active) + ".partner_cursor a left join " + ReadModels.checked(target)
                        + ".partner_cursor t on t.partner_id = a.partner_id "
                        + "where coalesce(t.applied_sequence, 0) < a.applied_sequence limit 5")) {
            if (rs.next()) {
                throw new IllegalStateException("the topic does not hold every applied entry: partner "
                        + rs.getString(1) + " is at sequence " + rs.getLong(2) + " in " + active + " but "
                        + rs.getLong(3) + " in " + target);
            }
        }
    }

    /**
     * A rebuild whose instance stopped mid-run (crash, kill) leaves its record RUNNING and its
     * half-filled generation behind. Called under the advisory lock, so no rebuild runs anywhere:
     * such a run whose target became active did switch (COMPLETED); any other is FAILED and its
     * generation dropped, so it is never mistaken for a previous generation to keep.
     */
    private void settleInterruptedRuns() {
        try (Connection c = dataSource.getConnection()) {
            String active = readModels.active(c);
            List<Object[]> stale = new ArrayList<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select id, target_schema from rebuild_run where state in ('RUNNING', 'SWITCHING')")) {
                while (rs.next()) {
                    stale.add(new Object[] { rs.getLong(1), rs.getString(2) });
                }
            }
            for (Object[] run : stale) {
                long id = (Long) run[0];
                String target = (String) run[1];
                boolean switched = target.equals(active);
                try (PreparedStatement p = c.prepareStatement("update rebuild_run set state = ?, "
                        + "finished_at = coalesce(finished_at, now()), error = ? where id = ?")) {
                    p.setString(1, switched ? "COMPLETED" : "FAILED");
                    p.setString(2, "interrupted: the instance running it stopped"
                            + (switched ? " after the switch" : "; generation dropped"));
                    p.setLong(3, id);
                    p.executeUpdate();
                }
                if (!switched) {
                    readModels.drop(c, target);
                }
                LOG.warnf("rebuild %d into %s had been interrupted; recorded as %s", id, target,
                        switched ? "COMPLETED" : "FAILED");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot settle interrupted rebuilds", e);
        }
    }

    /**
     * Keeps the active generation and the {@code retain-previous-generations} newest generations
     * that were once active (rollback targets); drops every other one.
     */
    private void dropOldGenerations(String active) {
        try (Connection c = dataSource.getConnection()) {
            Set<String> onceActive = new HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(
                    "select previous_schema from rebuild_run where previous_schema is not null "
                            + "union select target_schema from rebuild_run where state = 'COMPLETED'")) {
                while (rs.next()) {
                    onceActive.add(rs.getString(1));
                }
            }
            List<String> generations = new ArrayList<>(readModels.generations(c));
            generations.remove(active);
            int keep = Math.max(0, config.retainPreviousGenerations());
            List<String> kept = new ArrayList<>();
            for (int i = generations.size() - 1; i >= 0; i--) {
                String g = generations.get(i);
                if (kept.size() < keep && onceActive.contains(g)) {
                    kept.add(g);
                    continue;
                }
                readModels.drop(c, g);
                LOG.infof("dropped read-model generation %s", g);
            }
        } catch (SQLException e) {
            LOG.warn("could not drop old read-model generations", e);
        }
    }

    private void dropQuietly(String target) {
        try (Connection c = dataSource.getConnection()) {
            if (!target.equals(readModels.active(c))) {
                readModels.drop(c, target);
            }
        } catch (Exception e) {
            LOG.warnf("could not drop the unfinished generation %s: %s", target, e.getMessage());
        }
    }

    private static long lag(KafkaConsumer<String, byte[]> c, List<TopicPartition> partitions,
            Map<TopicPartition, Long> end) {
        long lag = 0;
        for (TopicPartition tp : partitions) {
            lag += Math.max(0, end.getOrDefault(tp, 0L) - c.position(tp));
        }
        return lag;
    }

    private void checkNotShuttingDown() {
        if (shuttingDown) {
            throw new IllegalStateException("service shutting down");
        }
    }

    private long recordRun(String target, String previous, Instant started) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "insert into rebuild_run (target_schema, previous_schema, state, started_at) "
                        + "values (?, ?, 'RUNNING', ?) returning id")) {
            p.setString(1, target);
            p.setString(2, previous);
            p.setObject(3, java.time.OffsetDateTime.ofInstant(started, java.time.ZoneOffset.UTC));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the rebuild", e);
        }
    }

    private void finishRun(long runId, String state, Instant finished, long applied, long read, String error) {
        try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                "update rebuild_run set state = ?, finished_at = ?, entries_applied = ?, records_read = ?, "
                        + "error = ? where id = ?")) {
            p.setString(1, state);
            p.setObject(2, java.time.OffsetDateTime.ofInstant(finished, java.time.ZoneOffset.UTC));
            p.setLong(3, applied);
            p.setLong(4, read);
            p.setString(5, error);
            p.setLong(6, runId);
            p.executeUpdate();
        } catch (SQLException e) {
            LOG.warnf("could not record the end of rebuild %d: %s", runId, e.getMessage());
        }
    }

    private static void release(Connection lock) {
        try (lock; PreparedStatement p = lock.prepareStatement("select pg_advisory_unlock(?)")) {
            p.setLong(1, ADVISORY_LOCK_KEY);
            p.execute();
        } catch (SQLException e) {
            LOG.warnf("could not release the rebuild lock: %s", e.getMessage());
        }
    }
}
