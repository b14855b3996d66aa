package com.revshare.ledger.application;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.revshare.ledger.application.AuditRecords;
import com.revshare.ledger.application.Partners;
import com.revshare.ledger.domain.InvalidFieldException;
import com.revshare.ledger.domain.NotFoundException;

/**
 * Reading the audit trail (SPEC §3.9, §5): filters by partner, action and [from, to) on {@code at}, oldest
 * first, keyset-paged by an opaque cursor. Records are written by the commands themselves, in their
 * transactions, and never changed (the database refuses UPDATE and DELETE on them).
 */
@ApplicationScoped
public class AuditTrail {
    /** The actions of SPEC §3.9. */
    public static final Set<String> ACTIONS = Set.of("PARTNER_CREATED", "PARTNER_UPDATED", "AGREEMENT_ADDED",
            "FX_RATE_SET", "PERIOD_CLOSED", "ADJUSTMENT_POSTED", "EVENT_WRITTEN_OFF", "PAYMENT_RECORDED",
            "UNPROCESSABLE_RETRIED");
    /** SPEC §5: limit ≤ 1000, default 100. */

    @Inject
    Transactions tx;
    @Inject
    AuditRecords audit;
    @Inject
    Partners store;

    /** A page of records and the cursor of the next page (null at the end). */
    public record Page(List<Record> records, String nextCursor) {
    }

    public Page page(String partnerId, String from, String to, String action, String cursor, String limit) {
        Instant fromAt = instant("from", from);
        Instant toAt = instant("to", to);
        if (action != null && !ACTIONS.contains(action)) {
            throw new InvalidFieldException("action", "action must be one of " + new java.util.TreeSet<>(ACTIONS));
        }
        int size = PageSize.of(limit);
        Instant afterAt = null;
        Long afterId = null;
        if (cursor != null) {
            try {
                String[] parts = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8).split("\\|");
                afterAt = Instant.parse(parts[0]);
                afterId = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                throw new InvalidFieldException("cursor", "cursor must be a nextCursor of this API");
            }
        }
        int pageSize = size;
        AuditRecords.Query q = new AuditRecords.Query(partnerId, fromAt, toAt, action, afterAt, afterId, pageSize + 1);
        List<AuditRecords.Row> rows = tx.inNew(c -> {
            if (partnerId != null && store.partner(c, partnerId).isEmpty()) {
                throw new NotFoundException("unknown partner " + partnerId);
            }
            return audit.page(c, q);
        });
        if (rows.size() <= pageSize) {
            return new Page(records(rows), null);
        }
        AuditRecords.Row last = rows.get(pageSize - 1);
        String next = Base64.getUrlEncoder().withoutPadding()
                .encodeToString((last.at() + "|" + last.id()).getBytes(StandardCharsets.UTF_8));
        return new Page(records(rows.subList(0, pageSize)), next);
    }

    /** One audit record as the API shows it ({@code before}/{@code after} are JSON texts or null). */
    public record Record(Instant at, String actor, String action, String partnerId, String subject, String memo,
            String before, String after) {
    }

    private static List<Record> records(List<AuditRecords.Row> rows) {
        return rows.stream().map(r -> new Record(r.at(), r.actor(), r.action(), r.partnerId(), r.subject(), r.memo(),
                r.before(), r.after())).toList();
    }

    private static Instant instant(String field, String text) {
        if (text == null) {
            return null;
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new InvalidFieldException(field, field + " must be an instant like 2026-11-01T00:00:00Z");
        }
    }
}
