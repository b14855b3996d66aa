package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.AuditRecords;

/**
 * The audit trail (SPEC §3.9) in {@code audit_log}: append-only (a trigger refuses UPDATE, DELETE and
 * TRUNCATE), read oldest first by ({@code at}, id) with a keyset cursor. Plain JDBC on the caller's connection.
 */
@ApplicationScoped
public class AuditStore implements AuditRecords {
    /** Appends a record in the caller's transaction (with the change it records). */
    @Override
    public void record(Connection c, Instant at, String actor, String action, String partnerId, String subject,
            String memo, String beforeJson, String afterJson) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into audit_log (actor, command, partner_id, detail, "
                + "recorded_at, action, subject, memo, before_value, after_value) values (?, ?, ?, coalesce(?::jsonb, "
                + "'{}'::jsonb), ?::timestamptz, ?, ?, ?, ?::jsonb, ?::jsonb)")) {
            ps.setString(1, actor);
            ps.setString(2, action);
            ps.setString(3, partnerId);
            ps.setString(4, afterJson);
            ps.setString(5, at.toString());
            ps.setString(6, action);
            ps.setString(7, subject);
            ps.setString(8, memo);
            ps.setString(9, beforeJson);
            ps.setString(10, afterJson);
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** At most {@code limit} records matching the query, oldest first. */
    @Override
    public List<Row> page(Connection c, Query q) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, recorded_at, actor, action, partner_id, subject, "
                + "memo, before_value::text as before_value, after_value::text as after_value from audit_log where "
                + "(?::text is null or partner_id = ?) and (?::timestamptz is null or recorded_at >= ?::timestamptz) "
                + "and (?::timestamptz is null or recorded_at < ?::timestamptz) and (?::text is null or action = ?) "
                + "and (?::timestamptz is null or (recorded_at, id) > (?::timestamptz, ?)) "
                + "order by recorded_at, id limit ?")) {
            String from = q.from() == null ? null : q.from().toString();
            String to = q.to() == null ? null : q.to().toString();
            String after = q.afterAt() == null ? null : q.afterAt().toString();
            ps.setString(1, q.partnerId());
            ps.setString(2, q.partnerId());
            ps.setString(3, from);
            ps.setString(4, from);
            ps.setString(5, to);
            ps.setString(6, to);
            ps.setString(7, q.action());
            ps.setString(8, q.action());
            ps.setString(9, after);
            ps.setString(10, after);
            ps.setLong(11, q.afterId() == null ? 0 : q.afterId());
            ps.setInt(12, q.limit());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Row(rs.getLong("id"), Sql.instant(rs, "recorded_at"), rs.getString("actor"),
                            rs.getString("action"), rs.getString("partner_id"), rs.getString("subject"),
                            rs.getString("memo"), rs.getString("before_value"), rs.getString("after_value")));
                }
                return rows;
            }
        }
    }
}
