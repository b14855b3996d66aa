package com.revshare.chaos;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

import com.revshare.infra.ServiceProcess;

/**
 * Injects the run's faults one at a time, each at a seeded random point of the stream (a share
 * of the events offered so far): {@code kill -9} of a service instance (restarted after a few
 * seconds), {@code kill -9} of the broker and restart, an immediate stop of PostgreSQL and
 * restart, {@code SIGSTOP} of an instance for longer than a consumer session, then
 * {@code SIGCONT}. Before the next fault every process is running again and every instance is
 * ready, so each fault is seen on its own in the log.
 */
final class Faults {
    enum Kind { KILL_INSTANCE, KILL_BROKER, CRASH_POSTGRES, PAUSE_INSTANCE }

    /** One planned fault: at which share of the stream, what, on which instance (null for broker/PostgreSQL). */
    record Planned(int number, double at, Kind kind, String target, int downMillis) {
    }

    /** What happened: seconds since the start of the run, the fault, how long it lasted, what followed. */
    record Logged(int number, double atSeconds, long offeredEvents, Kind kind, String target, long downMillis,
            double recoveredAfterSeconds, String outcome) {
    }

    private final Options options;
    private final ChaosSystem system;
    private final Instant runStart;
    private final AtomicInteger supervisorRestarts = new AtomicInteger();
    final List<Planned> plan;
    final List<Logged> log = Collections.synchronizedList(new ArrayList<>());

    Faults(Options options, ChaosSystem system, Instant runStart) {
        this.options = options;
        this.system = system;
        this.runStart = runStart;
        this.plan = plan(options, new ArrayList<>(system.instances.keySet()));
    }

    /** At least one broker crash and one PostgreSQL crash, one instance kill and one freeze; the rest at random. */
    static List<Planned> plan(Options options, List<String> instances) {
        Random r = new Random(options.seed);
        List<Kind> kinds = new ArrayList<>(List.of(Kind.KILL_BROKER, Kind.CRASH_POSTGRES, Kind.KILL_INSTANCE,
                Kind.PAUSE_INSTANCE));
        while (kinds.size() > options.faults) {
            kinds.remove(kinds.size() - 1);
        }
        Kind[] weighted = {Kind.KILL_INSTANCE, Kind.KILL_INSTANCE, Kind.KILL_INSTANCE, Kind.PAUSE_INSTANCE,
                Kind.PAUSE_INSTANCE, Kind.KILL_BROKER, Kind.CRASH_POSTGRES};
        while (kinds.size() < options.faults) {
            kinds.add(weighted[r.nextInt(weighted.length)]);
        }
        Collections.shuffle(kinds, r);
        List<Double> at = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            at.add(0.03 + 0.9 * r.nextDouble());
        }
        Collections.sort(at);
        List<Planned> plan = new ArrayList<>();
        for (int i = 0; i < kinds.size(); i++) {
            Kind k = kinds.get(i);
            String target = k == Kind.KILL_INSTANCE || k == Kind.PAUSE_INSTANCE
                    ? instances.get(r.nextInt(instances.size())) : null;
            int down = k == Kind.PAUSE_INSTANCE ? options.pauseSeconds * 1000
                    : options.downMinMillis + r.nextInt(Math.max(1, options.downMaxMillis - options.downMinMillis));
            plan.add(new Planned(i + 1, at.get(i), k, target, down));
        }
        return plan;
    }

    /** Runs the plan against the stream's progress ({@code offered} events so far, {@code done} when it ended). */
    void run(LongSupplier offered, java.util.function.BooleanSupplier done) {
        for (Planned f : plan) {
            long trigger = (long) (f.at() * options.events);
            while (offered.getAsLong() < trigger && !done.getAsBoolean()) {
                Api.pause(100);
            }
            inject(f, offered.getAsLong());
        }
    }

    private void inject(Planned f, long offeredNow) {
        double at = seconds(runStart, Instant.now());
        String outcome;
        long down;
        Instant t0 = Instant.now();
        try {
            switch (f.kind()) {
                case KILL_INSTANCE -> {
                    ServiceProcess p = system.instances.get(f.target());
                    p.kill();
                    Api.pause(f.downMillis());
                    p.restart();
                }
                case KILL_BROKER -> {
                    system.kafka.kill();
                    Api.pause(f.downMillis());
                    system.kafka.restart(Duration.ofSeconds(180));
                }
                case CRASH_POSTGRES -> {
                    system.postgres.crash();
                    Api.pause(f.downMillis());
                    system.postgres.restart(Duration.ofSeconds(120));
                }
                case PAUSE_INSTANCE -> {
                    ServiceProcess p = system.instances.get(f.target());
                    p.pause();
                    Api.pause(f.downMillis());
                    p.resume();
                }
            }
            down = Duration.between(t0, Instant.now()).toMillis();
            outcome = awaitAllReady(Duration.ofSeconds(300));
        } catch (RuntimeException e) {
            down = Duration.between(t0, Instant.now()).toMillis();
            outcome = "FAILED to inject or recover: " + e.getMessage();
        }
        Logged entry = new Logged(f.number(), round1(at), offeredNow, f.kind(), f.target(), down,
                round1(seconds(t0, Instant.now())), outcome);
        log.add(entry);
        System.out.printf("[chaos] fault %d/%d at %.1fs (%d events offered): %s %s, down %d ms; %s%n", f.number(),
                plan.size(), at, offeredNow, f.kind(), f.target() == null ? "" : f.target(), down, outcome);
    }

    /**
     * Waits until every instance answers ready; names those that do not. An instance that exited on its
     * own (a service whose start failed while the database or the broker was still recovering exits, as
     * Quarkus does) is started again, as an orchestrator with a restart policy would; each such restart
     * is counted and named in the outcome, so the report shows it.
     */
    String awaitAllReady(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        List<String> notReady = List.of();
        List<String> supervised = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            for (var e : system.instances.entrySet()) {
                if (!e.getValue().isAlive()) {
                    supervised.add(e.getKey());
                    supervisorRestarts.incrementAndGet();
                    System.out.printf("[chaos] %s exited on its own; restarting it (supervisor)%n", e.getKey());
                    e.getValue().restart();
                }
            }
            notReady = system.instances.entrySet().stream()
                    .filter(e -> !e.getValue().isAlive() || !e.getValue().isReady()).map(e -> e.getKey()).toList();
            if (notReady.isEmpty() && system.kafka.isAlive() && system.postgres.pid() > 0) {
                return "all instances ready" + (supervised.isEmpty() ? ""
                        : " (restarted by the supervisor after exiting on their own: " + supervised + ")");
            }
            Api.pause(500);
        }
        return "NOT READY after " + timeout.toSeconds() + " s: " + notReady
                + (supervised.isEmpty() ? "" : " (supervisor restarts: " + supervised + ")");
    }

    /** Instances that exited on their own and were started again while waiting for readiness. */
    int supervisorRestarts() {
        return supervisorRestarts.get();
    }

    private static double seconds(Instant from, Instant to) {
        return Duration.between(from, to).toMillis() / 1000.0;
    }

    private static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
