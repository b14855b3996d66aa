package com.revshare.reporting.application;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import org.jboss.logging.Logger;

import com.revshare.platform.PollLoop;
import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.config.TopicsConfig;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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

    private final RebuildRepository store;
    private final EntryReplaySource topic;
    private final EntryApplier applier;
    private final TopicsConfig topics;
    private final ReportingConfig.Rebuild config;
    private final AtomicReference<RebuildProgress> progress = new AtomicReference<>(RebuildProgress.idle());
    private volatile boolean shuttingDown;
    /** The running rebuild's thread (a new loop per rebuild: a rebuild runs once, then its thread ends). */
    private volatile PollLoop worker;
    /** Partners of the generation being built whose released entries are not all applied yet (worker only). */
    private Set<String> releasePending = new LinkedHashSet<>();

    public RebuildService(RebuildRepository store, EntryReplaySource topic, EntryApplier applier, TopicsConfig topics,
            ReportingConfig config) {
        this.store = store;
        this.topic = topic;
        this.applier = applier;
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
        PollLoop w = worker;
        if (w != null) {
            w.stop();
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
        RebuildRepository.Lock lock = store.tryLock()
                .orElseThrow(() -> ApiProblem.conflict("a rebuild is already running on another instance"));
        RebuildRepository.Generation generation;
        try {
            for (RebuildRepository.SettledRun run : store.settleInterruptedRuns()) {
                LOG.warnf("rebuild %d into %s had been interrupted; recorded as %s", run.id(), run.target(),
                        run.switched() ? "COMPLETED" : "FAILED");
            }
            generation = store.createGeneration();
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        String target = generation.target();
        String previous = generation.previous();
        Instant started = Instant.now();
        long runId = store.recordRun(target, previous, started);
        progress.set(new RebuildProgress("RUNNING", target, previous, started.toString(), null, 0, 0, null,
                null, null, null));
        LOG.infof("rebuild %d started by %s: %s from offset 0 of %s, replacing %s", runId, actor, target,
                topics.ledgerEntries(), previous);
        PollLoop w = new PollLoop("reporting-rebuild");
        worker = w;
        w.start(() -> run(runId, target, previous, started, lock));
        return progress.get();
    }

    private void run(long runId, String target, String previous, Instant started, RebuildRepository.Lock lock) {
        releasePending = new LinkedHashSet<>();
        long read = 0;
        long applied = 0;
        try (EntryReplaySource.Replay replay = topic.open(config.maxPollRecords())) {
            long lastCheck = System.nanoTime();
            long readAtCheck = 0;
            long lastProgressAt = System.nanoTime();
            Long rate = null;
            while (true) {
                checkNotShuttingDown();
                long lag = replay.lag();
                long now = System.nanoTime();
                if (now - lastCheck >= Duration.ofMillis(config.progressIntervalMs()).toNanos()) {
                    double seconds = (now - lastCheck) / 1e9;
                    rate = Math.round((read - readAtCheck) / seconds);
                    replay.refreshEnd();
                    lag = replay.lag();
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
                Polled polled = pollAndApply(replay, target);
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
            store.switchTo(target, () -> catchUp(replay, target, counters));
            read = counters[0];
            applied = counters[1];
            for (String dropped : store.dropOldGenerations(target, config.retainPreviousGenerations())) {
                LOG.infof("dropped read-model generation %s", dropped);
            }
            Instant finished = Instant.now();
            store.finishRun(runId, "COMPLETED", finished, applied, read, null);
            progress.set(new RebuildProgress("COMPLETED", target, previous, started.toString(), finished.toString(),
                    read, applied, 0L, null, 0L, null));
            LOG.infof("rebuild %d completed: %s active, %d entries applied in %s", runId, target, applied,
                    Duration.between(started, finished));
        } catch (Exception e) {
            LOG.errorf(e, "rebuild %d failed; %s stays active", runId, previous);
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            store.dropUnlessActive(target);
            Instant finished = Instant.now();
            store.finishRun(runId, "FAILED", finished, applied, read, error);
            progress.set(new RebuildProgress("FAILED", target, previous, started.toString(), finished.toString(),
                    read, applied, null, null, null, error));
        } finally {
            lock.close();
            worker = null;
        }
    }

    private record Polled(int records, ApplyResult result) {
    }

    private Polled pollAndApply(EntryReplaySource.Replay replay, String target) {
        List<DeliveredRecord> batch = replay.poll(Duration.ofMillis(config.pollTimeoutMs()));
        if (batch.isEmpty()) {
            return null;
        }
        return new Polled(batch.size(), applier.apply(batch, target));
    }

    /** Runs inside the switch transaction, which holds the active generation against live batches. */
    private void catchUp(EntryReplaySource.Replay replay, String target, long[] counters) {
        replay.refreshEnd();
        long deadline = System.nanoTime() + Duration.ofMillis(config.stallTimeoutMs()).toNanos();
        while (replay.lag() > 0 || !releasePending.isEmpty()) {
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
            Polled polled = pollAndApply(replay, target);
            if (polled != null) {
                counters[0] += polled.records();
                counters[1] += polled.result().applied();
                releasePending.addAll(polled.result().releasePending());
            }
        }
    }

    private void checkNotShuttingDown() {
        if (shuttingDown) {
            throw new IllegalStateException("service shutting down");
        }
    }
}
