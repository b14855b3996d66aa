package com.revshare.ingest.api;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import com.revshare.ingest.config.IngestConfig;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.json.JsonString;

/**
 * Bounds the memory taken by HTTP request bodies, and shares it fairly between partners (issue 12.4): one
 * partner's slow or huge upload cannot make other partners' small requests wait or fail.
 * <ul>
 * <li><b>Two pools.</b> The body pool ({@code revshare.ingest.http-body-memory-limit-bytes}, 64 MiB by default:
 * one body of the 64 MiB limit or many smaller ones) and a separate small-body pool
 * ({@code revshare.ingest.http-body-small-pool-bytes}, 16 MiB) that only reservations of at most
 * {@code revshare.ingest.http-body-small-bytes} (2 MiB) draw on. A huge upload can hold the whole body pool;
 * the normal requests of every other partner still find room in the small pool.</li>
 * <li><b>Per-partner share.</b> In the small pool a partner holds at most
 * {@code revshare.ingest.http-body-small-partner-share-bytes} (4 MiB) at once, so one partner's flood of small
 * requests cannot take it all either; a partner's surplus waits (then 503) while the others go on.</li>
 * <li><b>No head-of-line blocking.</b> A waiting request is not queued behind a larger one that waited
 * longer: whenever room is given back every waiter checks whether its own reservation fits now. A large one
 * can therefore be overtaken by small ones; it waits at most {@code revshare.ingest.http-body-wait-ms} and is
 * then answered 503 (retry), never blocking anyone in the meantime.</li>
 * </ul>
 * A reservation is attributed to the partner of the request's token; a reservation made outside a partner's
 * request has no share limit and, when larger than the body pool, spills into the small pool (an operator's
 * or a test's way to take all memory). The heap bodies can take is bounded by the two pools together (about
 * twice that: the body, then its events' copies and the database batch). A body that trickles is cut off by
 * {@link BodySizeLimit}'s read deadline, so a slow client cannot hold its room for long either.
 */
@ApplicationScoped
public class BodyBudget {
    /** The key of reservations made outside a partner's request. */
    static final String UNATTRIBUTED = "";

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition released = lock.newCondition();
    private final long bodyPoolBytes;
    private final long smallPoolBytes;
    private final long smallBytes;
    private final long smallPartnerShareBytes;
    private final long waitMs;
    private final Instance<JsonWebToken> token;
    private long bodyPoolUsed;
    private long smallPoolUsed;
    private final Map<String, Long> smallUsedByPartner = new HashMap<>();

    public BodyBudget(IngestConfig config, Instance<JsonWebToken> token,
            @ConfigProperty(name = "revshare.ingest.http-body-small-pool-bytes", defaultValue = "16777216") long smallPoolBytes,
            @ConfigProperty(name = "revshare.ingest.http-body-small-bytes", defaultValue = "2097152") long smallBytes,
            @ConfigProperty(name = "revshare.ingest.http-body-small-partner-share-bytes", defaultValue = "4194304") long smallPartnerShareBytes) {
        this.bodyPoolBytes = Math.max(1, config.httpBodyMemoryLimitBytes());
        this.smallPoolBytes = Math.max(0, smallPoolBytes);
        this.smallBytes = Math.max(0, Math.min(smallBytes, this.smallPoolBytes));
        this.smallPartnerShareBytes = Math.max(this.smallBytes, smallPartnerShareBytes);
        this.waitMs = config.httpBodyWaitMs();
        this.token = token;
    }

    /**
     * Reserves room for a body of {@code size} bytes for the partner of the current request (a body larger
     * than the body pool takes all of it), waiting up to the configured time.
     *
     * @return the reservation to close once the request is done, or null when there was no room in time
     */
    public Reservation reserve(long size) throws InterruptedException {
        return reserve(currentPartner(), size);
    }

    /**
     * Reserves room for a body of {@code size} bytes sent by {@code partnerId} (null: not a partner's),
     * waiting up to the configured time; null when there was no room in time.
     */
    public Reservation reserve(String partnerId, long size) throws InterruptedException {
        Reservation r = new Reservation(partnerId == null ? UNATTRIBUTED : partnerId);
        return r.resizeTo(Math.max(0, size)) ? r : null;
    }

    /** Room currently free in the body pool, in bytes. */
    public int availableBytes() {
        lock.lock();
        try {
            return (int) Math.min(Integer.MAX_VALUE, bodyPoolBytes - bodyPoolUsed);
        } finally {
            lock.unlock();
        }
    }

    /** Room currently free in the small-body pool, in bytes. */
    public long availableSmallBytes() {
        lock.lock();
        try {
            return smallPoolBytes - smallPoolUsed;
        } finally {
            lock.unlock();
        }
    }

    private String currentPartner() {
        try {
            if (token.isResolvable()) {
                Object claim = token.get().getClaim("partner_id");
                String id = claim instanceof JsonString s ? s.getString() : claim == null ? null : claim.toString();
                return id == null || id.isBlank() ? UNATTRIBUTED : id;
            }
        } catch (RuntimeException e) {
            // no request (and no token) here: not a partner's reservation
        }
        return UNATTRIBUTED;
    }

    /** Room held by one request (not shared between threads); closing it gives the room back (once). */
    public final class Reservation implements AutoCloseable {
        private final String partner;
        /** Bytes held in the body pool and in the small pool. */
        private long inBodyPool;
        private long inSmallPool;
        private long size;
        private boolean closed;

        private Reservation(String partner) {
            this.partner = partner;
        }

        /**
         * Reserves {@code more} bytes on top (a body of undeclared length grows as it is read), waiting up to
         * the configured time; false when there was no room.
         */
        public boolean grow(int more) throws InterruptedException {
            return resizeTo(size + Math.max(0, more));
        }

        /** Moves this reservation to {@code wanted} bytes, as soon as it fits and within the wait; false if never. */
        private boolean resizeTo(long wanted) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(waitMs);
            lock.lock();
            try {
                while (!tryResize(wanted)) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        return false;
                    }
                    released.awaitNanos(left);
                }
                size = wanted;
                return true;
            } finally {
                lock.unlock();
            }
        }

        /** Under the lock: takes the room {@code wanted} needs if it fits now, giving back what it no longer needs. */
        private boolean tryResize(long wanted) {
            long body;
            long small;
            boolean attributed = !partner.equals(UNATTRIBUTED);
            if (wanted <= smallBytes) {
                body = 0;
                small = wanted;
            } else if (attributed) {
                body = Math.min(wanted, bodyPoolBytes); // a body larger than the pool takes all of it
                small = 0;
            } else {
                body = Math.min(wanted, bodyPoolBytes);
                small = Math.min(wanted - body, smallPoolBytes); // spills into the small pool
            }
            long bodyAfter = bodyPoolUsed - inBodyPool + body;
            long smallAfter = smallPoolUsed - inSmallPool + small;
            long partnerAfter = smallUsedByPartner.getOrDefault(partner, 0L) - inSmallPool + small;
            if (bodyAfter > bodyPoolBytes || smallAfter > smallPoolBytes
                    || (attributed && small > 0 && partnerAfter > smallPartnerShareBytes)) {
                return false;
            }
            boolean freed = body < inBodyPool || small < inSmallPool;
            bodyPoolUsed = bodyAfter;
            smallPoolUsed = smallAfter;
            if (partnerAfter == 0) {
                smallUsedByPartner.remove(partner);
            } else {
                smallUsedByPartner.put(partner, partnerAfter);
            }
            inBodyPool = body;
            inSmallPool = small;
            if (freed) {
                released.signalAll();
            }
            return true;
        }

        @Override
        public void close() {
            lock.lock();
            try {
                if (!closed) {
                    closed = true;
                    tryResize(0);
                    size = 0;
                    released.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
