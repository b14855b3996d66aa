package com.revshare.platform;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * The lifecycle of one background thread of a service — a Kafka consumer's poll loop, an outbox
 * relay, a sweeper — the same in every service (issue 11.4): start a daemon thread; {@link #stop()}
 * clears the running flag, wakes the attached consumer out of {@code poll} and the thread out of a
 * {@link #pause}, then joins it for at most {@link #JOIN_TIMEOUT}. {@link #wake()} ends a pause
 * early without stopping (a relay woken by the commit that produced its rows).
 *
 * <p>The body owns its consumer and {@linkplain #attach attaches} it here so that a stop can wake
 * it; it runs while {@link #running()} and decides itself what a failure means (back off with
 * {@link #pause}, reopen its consumer, or give up).
 */
public final class PollLoop {
    /**
     * How long a stop waits for the thread. A stop wakes the consumer and any pause at once, so the
     * wait is for the work in flight: one batch's database transaction, well inside this for the
     * configured batch sizes. After it the JVM exits anyway (daemon thread): that batch's offsets are
     * then not committed, and the batch is re-delivered and recognised by the idempotency keys.
     */
    public static final Duration JOIN_TIMEOUT = Duration.ofSeconds(15);

    private final String threadName;
    private final AtomicBoolean running = new AtomicBoolean();
    private final Object signal = new Object();
    private boolean woken;
    private volatile Consumer<?, ?> consumer;
    private volatile Thread thread;

    public PollLoop(String threadName) {
        this.threadName = threadName;
    }

    /** Starts {@code body} on the loop's daemon thread; the body runs while {@link #running()}. */
    public void start(Runnable body) {
        running.set(true);
        Thread t = new Thread(body, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** True until a stop is asked for (or the thread was interrupted in a pause). */
    public boolean running() {
        return running.get();
    }

    /** True while the thread is alive and not stopping (what a readiness check reports). */
    public boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive() && running.get();
    }

    /** The consumer a stop must wake (null when the body has none open). */
    public void attach(Consumer<?, ?> current) {
        consumer = current;
    }

    /**
     * Waits up to {@code ms} unless a {@link #wake()} or a stop comes first; false when stopping.
     * A wake that came while the thread was busy ends the next pause at once (it is not lost).
     */
    public boolean pause(long ms) {
        long deadline = System.nanoTime() + Duration.ofMillis(ms).toNanos();
        synchronized (signal) {
            try {
                while (!woken && running.get()) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    Duration d = Duration.ofNanos(left);
                    signal.wait(Math.max(1, d.toMillis()));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running.set(false);
            }
            woken = false;
        }
        return running.get();
    }

    /** Ends the current (or the next) {@link #pause} early. Cheap; safe from any thread. */
    public void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    /** Stops the loop and waits for its thread, at most {@link #JOIN_TIMEOUT}. */
    public void stop() throws InterruptedException {
        running.set(false);
        synchronized (signal) {
            signal.notifyAll();
        }
        Consumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null && t != Thread.currentThread()) {
            t.join(JOIN_TIMEOUT.toMillis());
        }
    }
}
