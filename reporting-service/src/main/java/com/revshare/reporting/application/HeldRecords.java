package com.revshare.reporting.application;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jboss.logging.Logger;

import com.revshare.reporting.config.ReportingConfig;
import com.revshare.reporting.domain.PartnerIds;
import com.revshare.reporting.application.HeldRecordRepository.HeldRow;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * Use cases of the records reporting holds (issue 10): list them, read one with its bytes, and
 * acknowledge one (an operator has looked at it and dealt with it; the record stays, it no
 * longer counts in the gauge and the readiness detail).
 */
@ApplicationScoped
public class HeldRecords {
    private static final Logger LOG = Logger.getLogger(HeldRecords.class);
    private static final String CURSOR_PREFIX = "held:";
    private static final Set<String> STATUSES = Set.of("HELD", "RESOLVED", "ACKNOWLEDGED");

    private final HeldRecordRepository store;
    private final HeldRecordMetrics metrics;
    private final ReportingConfig.Held config;

    public HeldRecords(HeldRecordRepository store, HeldRecordMetrics metrics, ReportingConfig config) {
        this.store = store;
        this.metrics = metrics;
        this.config = config.held();
    }

    /** A page of held records (oldest first) and the cursor of the next, or null. */
    public record Page(List<HeldRow> records, String nextCursor) {
    }

    public Page list(String partnerId, String status, String cursor, String limitText) {
        if (partnerId != null && !PartnerIds.isValid(partnerId)) {
            throw ApiProblem.badParameter("partnerId", "must match [a-z0-9][a-z0-9-]{1,62}");
        }
        if (status != null && !STATUSES.contains(status)) {
            throw ApiProblem.badParameter("status", "must be one of HELD, RESOLVED, ACKNOWLEDGED");
        }
        int limit = config.pageLimitDefault();
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > config.pageLimitMax()) {
                throw ApiProblem.badParameter("limit", "must be an integer from 1 to " + config.pageLimitMax());
            }
        }
        long after = cursor == null ? 0 : decodeCursor(cursor);
        List<HeldRow> rows = store.list(partnerId, status, after, limit + 1);
        boolean more = rows.size() > limit;
        List<HeldRow> page = more ? rows.subList(0, limit) : rows;
        return new Page(page, more ? encodeCursor(page.get(page.size() - 1).id()) : null);
    }

    public HeldRow get(long id) {
        return store.get(id).orElseThrow(() -> notFound(id));
    }

    /** Acknowledges a record; a repeat keeps the first acknowledgement. */
    public HeldRow acknowledge(long id, String actor, String memo) {
        if (memo == null || memo.isBlank()) {
            throw ApiProblem.badParameter("memo", "is required (what was done about the record)");
        }
        if (memo.codePointCount(0, memo.length()) > config.memoMaxCodePoints() || memo.indexOf('\0') >= 0) {
            throw ApiProblem.badParameter("memo", "must be at most " + config.memoMaxCodePoints()
                    + " characters without U+0000");
        }
        if (!store.acknowledge(id, actor, memo)) {
            throw notFound(id);
        }
        LOG.infof("held record %d acknowledged by %s: %s", id, actor, memo);
        metrics.refresh();
        return get(id);
    }

    /** Held records per partner as of the last refresh (for readiness). */
    public Map<String, Long> heldCounts() {
        return metrics.counts();
    }

    private static ApiProblem notFound(long id) {
        return new ApiProblem(404, "https://revshare.example/problems/not-found", "Not Found",
                "no held record " + id, Map.of());
    }

    static String encodeCursor(long id) {
        return Base64.getUrlEncoder().withoutPadding()
                .encodeToString((CURSOR_PREFIX + id).getBytes(StandardCharsets.US_ASCII));
    }

    static long decodeCursor(String cursor) {
        try {
            String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
            if (text.startsWith(CURSOR_PREFIX)) {
                long id = Long.parseLong(text.substring(CURSOR_PREFIX.length()));
                if (id >= 0) {
                    return id;
                }
            }
        } catch (IllegalArgumentException e) {
            // falls through to the problem below
        }
        throw ApiProblem.badParameter("cursor", "not a cursor returned by this API");
    }
}
