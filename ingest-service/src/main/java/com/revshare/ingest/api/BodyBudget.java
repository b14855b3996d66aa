package com.revshare.ingest.api;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import com.revshare.ingest.config.IngestConfig;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Bounds the memory taken by HTTP request bodies, all requests together
 * ({@code revshare.ingest.http-body-memory-limit-bytes}). Each body may be up to 64 MiB and is held
 * while its events are validated and stored, so without a bound a burst of large batches could exhaust
 * the heap; with it, a request waits for room and is answered 503 (retry later) when none comes in time.
 */
@ApplicationScoped
public class BodyBudget {
    private final Semaphore bytes;
    private final int limitBytes;
    private final long waitMs;

    public BodyBudget(IngestConfig config) {
        this.limitBytes = (int) Math.min(Integer.MAX_VALUE, Math.max(1, config.httpBodyMemoryLimitBytes()));
        this.bytes = new Semaphore(limitBytes, true);
        this.waitMs = config.httpBodyWaitMs();
    }

    /**
     * Reserves room for a body of {@code size} bytes (a body larger than the whole budget takes all of it),
     * waiting up to the configured time.
     *
     * @return the reservation to close once the request is done, or null when there was no room in time
     */
    public Reservation reserve(long size) throws InterruptedException {
        int wanted = (int) Math.min(limitBytes, Math.max(0, size));
        if (!bytes.tryAcquire(wanted, waitMs, TimeUnit.MILLISECONDS)) {
            return null;
        }
        return new Reservation(wanted);
    }

    /** Room currently free, in bytes. */
    public int availableBytes() {
        return bytes.availablePermits();
    }

    /** Room held by one request (not shared between threads); closing it gives the room back (once). */
    public final class Reservation implements AutoCloseable {
        private int size;
        private boolean closed;

        private Reservation(int size) {
            this.size = size;
        }

        /**
         * Reserves {@code more} bytes on top (a body of undeclared length grows as it is read), waiting up to
         * the configured time; false when there was no room.
         */
        public boolean grow(int more) throws InterruptedException {
            int wanted = Math.min(more, limitBytes - size);
            if (wanted <= 0) {
                return true;
            }
            if (!bytes.tryAcquire(wanted, waitMs, TimeUnit.MILLISECONDS)) {
                return false;
            }
            size += wanted;
            return true;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                bytes.release(size);
            }
        }
    }
}
