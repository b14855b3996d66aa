package com.revshare.reporting.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.reporting.application.HeldRecordRepository;

/**
 * Records reporting read but cannot apply ({@code public.held_record}): never dropped, kept with
 * where they were read, why, and their bytes, until an operator has looked at them. A record is
 * stored once however often it is read again (unique by topic, partition, offset and reason).
 * <p>
 * Its status is derived, not stored: {@code ACKNOWLEDGED} once an operator acknowledged it;
 * {@code RESOLVED} for an unreadable entry whose partner and sequence are known once the partner's
 * cursor has applied that sequence (the ledger published it again, readable); else {@code HELD}.
 */
@ApplicationScoped
public class HeldRecordStore implements HeldRecordRepository {
    private final AgroalDataSource dataSource;
    private final ReadModels readModels;

    public HeldRecordStore(AgroalDataSource dataSource, ReadModels readModels) {
        this.dataSource = dataSource;
        this.readModels = readModels;
    }

    /** Holds {@code records} within the caller's transaction; answers how many were new. */
    public int hold(Connection c, List<NewHeldRecord> records) throws SQLException {
        if (records.isEmpty()) {
            return 0;
        }
        try (PreparedStatement p = c.prepareStatement("insert into held_record (reason, topic, kafka_partition, "
                + "kafka_offset, record_key, partner_id, sequence, error, raw, raw_size) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            for (NewHeldRecord r : records) {
                p.setString(1, r.reason());
                p.setString(2, r.topic());
                p.setInt(3, r.partition());
                p.setLong(4, r.offset());
                p.setString(5, r.key());
                p.setString(6, r.partnerId());
                if (r.sequence() == null) {
                    p.setNull(7, Types.BIGINT);
                } else {
                    p.setLong(7, r.sequence());
                }
                p.setString(8, r.error());
                p.setString(9, r.raw());
                if (r.rawSize() == null) {
                    p.setNull(10, Types.INTEGER);
                } else {
                    p.setInt(10, r.rawSize());
                }
                p.addBatch();
            }
            int added = 0;
            for (int n : p.executeBatch()) {
                added += Math.max(n, 0);
            }
            return added;
        }
    }

    /** Holds {@code records} in a transaction of their own; answers how many were new. */
    @Override
    public int hold(List<NewHeldRecord> records) {
        if (records.isEmpty()) {
            return 0;
        }
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                return hold(c, records);
            }
        });
    }

    private String statusSql(String schema) {
        return "case when h.acknowledged_at is not null then 'ACKNOWLEDGED' "
                + "when h.reason = '" + UNREADABLE_ENTRY + "' and h.sequence is not null "
                + "and k.applied_sequence >= h.sequence then 'RESOLVED' else 'HELD' end";
    }

    private String from(String schema) {
        return " from held_record h left join " + ReadModels.checked(schema)
                + ".partner_cursor k on k.partner_id = h.partner_id ";
    }

    /**
     * Held records after id {@code afterId}, oldest first, optionally of one partner and/or one
     * status; at most {@code limit}.
     */
    @Override
    public List<HeldRow> list(String partnerId, String status, long afterId, int limit) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String schema = readModels.active(c);
                String status0 = statusSql(schema);
                try (PreparedStatement p = c.prepareStatement("select * from (select h.id, h.reason, " + status0
                        + " as status, h.topic, h.kafka_partition, h.kafka_offset, h.record_key, h.partner_id, "
                        + "h.sequence, h.error, h.raw_size, h.held_at, h.acknowledged_at, h.acknowledged_by, "
                        + "h.acknowledge_memo, null as raw" + from(schema) + "where h.id > ? "
                        + "and (?::text is null or h.partner_id = ?::text)) t "
                        + "where (?::text is null or t.status = ?::text) order by t.id limit ?")) {
                    p.setLong(1, afterId);
                    p.setString(2, partnerId);
                    p.setString(3, partnerId);
                    p.setString(4, status);
                    p.setString(5, status);
                    p.setInt(6, limit);
                    return rows(p);
                }
            }
        });
    }

    /** One held record with its kept bytes. */
    @Override
    public Optional<HeldRow> get(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String schema = readModels.active(c);
                try (PreparedStatement p = c.prepareStatement("select h.id, h.reason, " + statusSql(schema)
                        + " as status, h.topic, h.kafka_partition, h.kafka_offset, h.record_key, h.partner_id, "
                        + "h.sequence, h.error, h.raw_size, h.held_at, h.acknowledged_at, h.acknowledged_by, "
                        + "h.acknowledge_memo, h.raw" + from(schema) + "where h.id = ?")) {
                    p.setLong(1, id);
                    return rows(p).stream().findFirst();
                }
            }
        });
    }

    /**
     * Acknowledges a record (the first acknowledgement stays: a repeat changes nothing); false when
     * there is no such record.
     */
    @Override
    public boolean acknowledge(long id, String actor, String memo) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection(); PreparedStatement p = c.prepareStatement(
                    "update held_record set acknowledged_at = coalesce(acknowledged_at, now()), "
                            + "acknowledged_by = coalesce(acknowledged_by, ?), "
                            + "acknowledge_memo = case when acknowledged_at is null then ? else acknowledge_memo end "
                            + "where id = ?")) {
                p.setString(1, actor);
                p.setString(2, memo);
                p.setLong(3, id);
                return p.executeUpdate() == 1;
            }
        });
    }

    /** Records with status HELD per partner id ("" for records whose partner is not known). */
    @Override
    public Map<String, Long> heldCounts() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String schema = readModels.active(c);
                Map<String, Long> out = new LinkedHashMap<>();
                try (PreparedStatement p = c.prepareStatement("select coalesce(h.partner_id, ''), count(*)"
                        + from(schema) + "where h.acknowledged_at is null and " + statusSql(schema)
                        + " = 'HELD' group by 1 order by 1"); ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getLong(2));
                    }
                }
                return out;
            }
        });
    }

    private static List<HeldRow> rows(PreparedStatement p) throws SQLException {
        List<HeldRow> out = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                long seq = rs.getLong(9);
                Long sequence = rs.wasNull() ? null : seq;
                int size = rs.getInt(11);
                Integer rawSize = rs.wasNull() ? null : size;
                out.add(new HeldRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getInt(5),
                        rs.getLong(6), rs.getString(7), rs.getString(8), sequence, rs.getString(10), rawSize,
                        instant(rs.getTimestamp(12)), instant(rs.getTimestamp(13)), rs.getString(14),
                        rs.getString(15), rs.getString(16)));
            }
        }
        return out;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
