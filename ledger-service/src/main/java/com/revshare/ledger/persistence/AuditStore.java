package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.AuditRecords;

import io.quarkus.panache.common.Sort;

/**
 * The audit trail (SPEC §3.9) in {@code audit_log}, through the Panache entity {@link AuditRecordEntity}:
 * the one low-volume admin aggregate the ledger maps with an ORM (docs/adr/0004). Append-only (a trigger
 * refuses UPDATE, DELETE and TRUNCATE; the entity is insert-only), read oldest first by ({@code at}, id)
 * with a keyset cursor. The entity manager joins the caller's JTA transaction, whose connection
 * {@code c} is (Agroal hands one pooled connection to a transaction), so a record commits or rolls back
 * with the change it records.
 */
@ApplicationScoped
public class AuditStore implements AuditRecords {
    /** Appends a record in the caller's transaction (with the change it records). */
    @Override
    public void record(Connection c, Instant at, String actor, String action, String partnerId, String subject,
            String memo, String beforeJson, String afterJson) {
        AuditRecordEntity r = new AuditRecordEntity();
        r.recordedAt = at;
        r.actor = actor;
        r.command = action;
        r.action = action;
        r.partnerId = partnerId;
        r.subject = subject;
        r.memo = memo;
        r.detail = afterJson == null ? "{}" : afterJson;
        r.beforeValue = beforeJson;
        r.afterValue = afterJson;
        r.persist(); // IDENTITY: inserted now, so a refusal fails the command here
        Sql.count();
    }

    /** At most {@code limit} records matching the query, oldest first. */
    @Override
    public List<Row> page(Connection c, Query q) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (q.partnerId() != null) {
            where.add("partnerId = :partnerId");
            params.put("partnerId", q.partnerId());
        }
        if (q.from() != null) {
            where.add("recordedAt >= :from");
            params.put("from", q.from());
        }
        if (q.to() != null) {
            where.add("recordedAt < :to");
            params.put("to", q.to());
        }
        if (q.action() != null) {
            where.add("action = :action");
            params.put("action", q.action());
        }
        if (q.afterAt() != null) {
            where.add("(recordedAt > :afterAt or (recordedAt = :afterAt and id > :afterId))");
            params.put("afterAt", q.afterAt());
            params.put("afterId", q.afterId() == null ? 0L : q.afterId());
        }
        Sql.count();
        List<AuditRecordEntity> found = AuditRecordEntity
                .<AuditRecordEntity>find(String.join(" and ", where.isEmpty() ? List.of("1 = 1") : where),
                        Sort.by("recordedAt").and("id"), params)
                .page(0, q.limit()).list();
        return found.stream().map(r -> new Row(r.id, r.recordedAt, r.actor, r.action, r.partnerId, r.subject,
                r.memo, r.beforeValue, r.afterValue)).toList();
    }
}
