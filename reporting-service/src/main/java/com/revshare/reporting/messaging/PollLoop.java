package com.revshare.reporting.messaging;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.Consumer;

/**
 * The lifecycle of one consumer thread, the same for every consumer of the service (issue 11.4):
 * start a daemon thread; stop = clear the running flag, wake the consumer out of {@code poll},
 * wake the thread out of a back-off pause, then join it for at most {@link #JOIN_TIMEOUT}. The
 * loop body owns its consumer and attaches it here so a stop can wake it.
 */
final class PollLoop {
    /**
     * How long a shutdown waits for a poll thread to exit. A stop wakes the consumer and any
     * back-off at once, so the wait is for the batch in flight: its database transaction, well
     * inside this for the configured batch sizes. After it the JVM exits anyway (daemon thread);
     * the batch's offsets are then not committed and the batch is re-delivered and skipped by the
     * cursors.
     */
    static final Duration JOIN_TIMEOUT = Duration.ofSeconds(15);

    private final String threadName;
    private final AtomicBoolean running = new AtomicBoolean();
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile Consumer<?, ?> consumer;
    private volatile Thread thread;

    PollLoop(String threadName) {
        this.threadName = threadName;
    }

    /** Starts {@code body} on the loop's thread; the body runs while {@link #running()}. */
    void start(Runnable body) {
        running.set(true);
        Thread t = new Thread(body, threadName);
        t.setDaemon(true);
        thread = t;
        t.start();
    }

    /** True until a stop is asked for (or the thread was interrupted). */
    boolean running() {
        return running.get();
    }

    /** True while the thread is alive and not stopping. */
    boolean alive() {
        Thread t = thread;
        return t != null && t.isAlive() && running.get();
    }

    /** The consumer a stop must wake (null when the body has none open). */
    void attach(Consumer<?, ?> current) {
        consumer = current;
    }

    /** Waits {@code ms} unless a stop comes first; false when stopping. */
    boolean pause(long ms) {
        try {
            return !stopping.await(ms, TimeUnit.MILLISECONDS) && running.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running.set(false);
            return false;
        }
    }

    /** Stops the loop and waits for its thread, at most {@link #JOIN_TIMEOUT}. */
    void stop() throws InterruptedException {
        running.set(false);
        stopping.countDown();
        Consumer<?, ?> c = consumer;
        if (c != null) {
            c.wakeup();
        }
        Thread t = thread;
        if (t != null) {
            t.join(JOIN_TIMEOUT.toMillis());
        }
    }
}
