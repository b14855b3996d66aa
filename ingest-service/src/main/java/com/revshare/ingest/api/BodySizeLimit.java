package com.revshare.ingest.api;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Answers {@code 413} for a body declared larger than {@code quarkus.http.limits.max-body-size} (SPEC §2.5:
 * over 64 MiB) as problem details (SPEC §7), before a byte of it is read. Quarkus would answer the same
 * status with an empty body; this route runs just before its check and otherwise lets the request pass.
 */
@ApplicationScoped
public class BodySizeLimit {
    /** Just before Quarkus' own upload-limit route (RouteConstants.ROUTE_ORDER_UPLOAD_LIMIT = -2). */
    static final int ROUTE_ORDER = -3;

    void install(@Observes Router router,
            @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBodySize) {
        long limit = maxBodySize.asLongValue();
        router.route().order(ROUTE_ORDER).handler(ctx -> {
            long declared = declaredLength(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH));
            if (declared <= limit) {
                ctx.next();
                return;
            }
            String problem = "{\"type\":\"about:blank\",\"title\":\"Request Entity Too Large\",\"status\":413,"
                    + "\"detail\":\"the body is " + declared + " bytes, the limit is " + limit + " bytes\"}";
            ctx.response().putHeader(HttpHeaders.CONNECTION, "close")
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE).setStatusCode(413)
                    .endHandler(v -> ctx.request().connection().close());
            ctx.response().end(problem);
        });
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
