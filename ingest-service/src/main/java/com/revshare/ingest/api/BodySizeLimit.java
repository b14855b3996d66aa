package com.revshare.ingest.api;

import java.util.concurrent.TimeUnit;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Two guards on request bodies that run before a byte of a body is read, on every request:
 * <ul>
 * <li>{@code 413} for a body declared larger than {@code quarkus.http.limits.max-body-size} (SPEC §2.5: over
 * 64 MiB) as problem details (SPEC §7). Quarkus would answer the same status with an empty body; this route
 * runs just before its check and otherwise lets the request pass.</li>
 * <li>A <b>read deadline</b> (issue 12.4): a body must arrive at an average of at least
 * {@code revshare.ingest.http-body-min-rate-bytes-per-second} (64 KiB/s) once
 * {@code revshare.ingest.http-body-read-grace-ms} (15 s) have passed since the request began: a legal
 * 64 MiB body has about 17 minutes, a 2 KiB one 15 s. A client sending a few bytes at a time (which never
 * trips an idle timeout) would otherwise hold a worker thread and its share of the {@link BodyBudget} for as
 * long as it likes. When it falls behind it is answered {@code 408} (problem details) and its connection is
 * closed, which also ends the blocked read of its body and gives its budget back. The grace is longer than
 * the budget's wait ({@code revshare.ingest.http-body-wait-ms}, during which the server itself does not read
 * the body), so a request waiting for room is answered 503 rather than blamed for the wait.</li>
 * </ul>
 */
@ApplicationScoped
public class BodySizeLimit {
    /** Just before Quarkus' own upload-limit route (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT = -2). */
    static final int ROUTE_ORDER = -3;
    /** How often a body still arriving is checked against its deadline. */
    static final long CHECK_INTERVAL_MS = 250;
    private static final Logger LOG = Logger.getLogger(BodySizeLimit.class);
    /** Routing-context key set once this route has answered a request (its resource may still fail reading). */
    static final String ANSWERED = "revshare.body-guard.answered";

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize,
            @ConfigProperty(name = "revshare.ingest.http-body-read-grace-ms", defaultValue = "15000") long graceMs,
            @ConfigProperty(name = "revshare.ingest.http-body-min-rate-bytes-per-second", defaultValue = "65536")
            long minBytesPerSecond) {
        long limit = maxBodySize.asLongValue();
        ReadDeadline deadline = new ReadDeadline(graceMs, minBytesPerSecond);
        router.route().order(ROUTE_ORDER).handler(ctx -> {
            long declared = declaredLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
            if (declared > limit) {
                answer(ctx, 413, "Request Entity Too Large",
                        "the body is " + declared + " bytes, the limit is " + limit + " bytes");
                return;
            }
            if (!ctx.request().isEnded()) {
                watch(ctx, deadline);
            }
            ctx.next();
        }).failureHandler(ctx -> {
            // the resource whose body was cut off fails reading it and cannot answer: that is expected, not an error
            if (Boolean.TRUE.equals(ctx.get(ANSWERED)) && ctx.response().ended()) {
                LOG.debugf("%s %s after the body guard answered: %s", ctx.request().method(), ctx.request().path(),
                        ctx.failure());
                return;
            }
            ctx.next();
        });
    }

    /** The minimum pace of a body: nothing owed during the grace, then {@code minBytesPerSecond}. */
    record ReadDeadline(long graceMs, long minBytesPerSecond) {
        /** The bytes a body must have delivered {@code elapsedMs} after its request began. */
        long owedAfter(long elapsedMs) {
            long late = elapsedMs - graceMs;
            return late <= 0 ? 0 : Math.multiplyHigh(late, minBytesPerSecond) != 0 ? Long.MAX_VALUE
                    : late * minBytesPerSecond / 1000;
        }
    }

    /**
     * Checks the request's body every {@link #CHECK_INTERVAL_MS} on its own event loop until it has arrived
     * whole (or the response is done or the connection gone); answers 408 when it falls behind.
     */
    private static void watch(RoutingContext ctx, ReadDeadline deadline) {
        HttpServerRequest request = ctx.request();
        long start = System.nanoTime();
        long timer = ctx.vertx().setPeriodic(CHECK_INTERVAL_MS, id -> {
            if (request.isEnded() || ctx.response().ended() || ctx.response().closed()) {
                ctx.vertx().cancelTimer(id);
                return;
            }
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            long owed = deadline.owedAfter(elapsedMs);
            long read = request.bytesRead();
            if (read < owed) {
                ctx.vertx().cancelTimer(id);
                LOG.infof("%s %s: body too slow, %d bytes in %d ms (owed %d): 408", request.method(),
                        request.path(), read, elapsedMs, owed);
                if (ctx.response().headWritten()) {
                    request.connection().close();
                } else {
                    answer(ctx, 408, "Request Timeout", "the body arrived too slowly: " + read + " bytes in "
                            + elapsedMs + " ms; after " + deadline.graceMs() + " ms a body must arrive at "
                            + deadline.minBytesPerSecond() + " bytes per second or more");
                }
            }
        });
        ctx.addEndHandler(done -> ctx.vertx().cancelTimer(timer));
    }

    /** Answers {@code status} as problem details and closes the connection (the body is left unread). */
    private static void answer(RoutingContext ctx, int status, String title, String detail) {
        ctx.put(ANSWERED, Boolean.TRUE);
        String problem = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        ctx.response().putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).setStatusCode(status)
                .endHandler(v -> ctx.request().connection().close());
        ctx.response().end(problem);
    }

    /** The declared length, or -1 when there is none or it is not a number (left to the HTTP layer). */
    private static long declaredLength(String header) {
        if (header == null) {
            return -1;
        }
        try {
            return Long.parseLong(header.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
