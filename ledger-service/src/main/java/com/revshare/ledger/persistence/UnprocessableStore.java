package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.ParkedEvents;

/**
 * UNPROCESSABLE usage events (SPEC §3.6 v2): rows of usage_event with rating_state 'UNPROCESSABLE', the
 * cause in {@code detail} and the record as it arrived in {@code raw}; and unreadable records. Plain JDBC
 * on the caller's transactional connection.
 */
@ApplicationScoped
public class UnprocessableStore implements ParkedEvents {
    /**
     * Parks the events (a duplicate of any stored event, whatever its state, is left alone); returns
     * those that were new, in order.
     */
    @Override
    public List<Parking> park(Connection c, List<Parking> events, Instant now) throws SQLException {
        List<Parking> parked = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("insert into usage_event (partner_id, event_id, event_time, "
                + "event_time_nanos, ingest_sequence, raw, detail, received_at, rating_state, unrated_reason) values "
                + "(?, ?, ?::timestamptz, ?, ?, ?, ?, ?::timestamptz, 'UNPROCESSABLE', 'UNPROCESSABLE') "
                + "on conflict (partner_id, event_id) do nothing")) {
            for (Parking e : events) {
                ps.setString(1, e.partnerId());
                ps.setString(2, e.eventId());
                ps.setString(3, e.time() == null ? null : Sql.micros(e.time()));
                ps.setInt(4, e.time() == null ? 0 : Sql.subMicroNanos(e.time()));
                ps.setObject(5, e.ingestSequence(), java.sql.Types.BIGINT);
                ps.setString(6, e.raw());
                ps.setString(7, detail(e.detail()));
                ps.setString(8, now.toString());
                Sql.count();
                if (ps.executeUpdate() == 1) {
                    parked.add(e);
                }
            }
        }
        return parked;
    }

    /** The partner's UNPROCESSABLE events, oldest first, at most {@code limit}. */
    @Override
    public List<Row> list(Connection c, String partnerId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select partner_id, event_id, ingest_sequence, raw, detail, "
                + "received_at from usage_event where partner_id = ? and rating_state = 'UNPROCESSABLE' "
                + "order by received_at, event_id collate \"C\" limit ?")) {
            ps.setString(1, partnerId);
            ps.setInt(2, limit);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<Row> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row(rs));
                }
                return rows;
            }
        }
    }

    /** The event if it is parked as UNPROCESSABLE. */
    @Override
    public Optional<Row> find(Connection c, String partnerId, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select partner_id, event_id, ingest_sequence, raw, detail, "
                + "received_at from usage_event where partner_id = ? and event_id = ? and rating_state = "
                + "'UNPROCESSABLE'")) {
            ps.setString(1, partnerId);
            ps.setString(2, eventId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(row(rs)) : Optional.empty();
            }
        }
    }

    /** Removes the parked row so that the event can be stored again by the ordinary path (a retry). */
    @Override
    public boolean remove(Connection c, String partnerId, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from usage_event where partner_id = ? and event_id = ? "
                + "and rating_state = 'UNPROCESSABLE'")) {
            ps.setString(1, partnerId);
            ps.setString(2, eventId);
            Sql.count();
            return ps.executeUpdate() == 1;
        }
    }

    /** Records the latest cause of an event that is still unprocessable. */
    @Override
    public void updateDetail(Connection c, String partnerId, String eventId, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update usage_event set detail = ? where partner_id = ? and "
                + "event_id = ? and rating_state = 'UNPROCESSABLE'")) {
            ps.setString(1, detail(detail));
            ps.setString(2, partnerId);
            ps.setString(3, eventId);
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** Marks the parked event written off (the write_off row is the caller's). */
    @Override
    public boolean markWrittenOff(Connection c, String partnerId, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update usage_event set rating_state = 'WRITTEN_OFF' where "
                + "partner_id = ? and event_id = ? and rating_state = 'UNPROCESSABLE'")) {
            ps.setString(1, partnerId);
            ps.setString(2, eventId);
            Sql.count();
            return ps.executeUpdate() == 1;
        }
    }

    /** Records the write-off of a parked UNPROCESSABLE event (as write-offs of unrated events are recorded). */
    @Override
    public void insertWriteOff(Connection c, String partnerId, String eventId, String memo, String actor, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into write_off (partner_id, event_id, memo, actor, "
                + "written_off_at) values (?, ?, ?, ?, ?::timestamptz)")) {
            ps.setString(1, partnerId);
            ps.setString(2, eventId);
            ps.setString(3, memo);
            ps.setString(4, actor);
            ps.setString(5, at.toString());
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** How many UNPROCESSABLE events there are in all (a gauge). */
    @Override
    public long countAll(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from usage_event where rating_state = 'UNPROCESSABLE'")) {
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** Keeps the trace of an unreadable record (once per topic, partition and offset). */
    @Override
    public void recordUnreadable(Connection c, Unreadable u, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into unreadable_record (topic, kafka_partition, "
                + "kafka_offset, record_key, size_bytes, sha256, value_prefix, detail, received_at) values "
                + "(?, ?, ?, ?, ?, ?, ?, ?, ?::timestamptz) on conflict (topic, kafka_partition, kafka_offset) "
                + "do nothing")) {
            ps.setString(1, u.topic());
            ps.setInt(2, u.partition());
            ps.setLong(3, u.offset());
            ps.setString(4, clean(u.key()));
            ps.setInt(5, u.sizeBytes());
            ps.setString(6, u.sha256());
            ps.setString(7, clean(u.valuePrefix()));
            ps.setString(8, detail(u.detail()));
            ps.setString(9, now.toString());
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** Unreadable records with id after {@code afterId}, oldest first, at most {@code limit}. */
    @Override
    public List<UnreadableRow> unreadable(Connection c, long afterId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select id, topic, kafka_partition, kafka_offset, record_key, "
                + "size_bytes, sha256, value_prefix, detail, received_at from unreadable_record where id > ? "
                + "order by id limit ?")) {
            ps.setLong(1, afterId);
            ps.setInt(2, limit);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<UnreadableRow> rows = new java.util.ArrayList<>();
                while (rs.next()) {
                    rows.add(new UnreadableRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getLong(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9),
                            Sql.instant(rs, "received_at")));
                }
                return rows;
            }
        }
    }

    /** How many unreadable records are kept (a gauge). */
    @Override
    public long unreadableCount(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from unreadable_record")) {
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static Row row(ResultSet rs) throws SQLException {
        return new Row(rs.getString("partner_id"), rs.getString("event_id"), Sql.longOrNull(rs, "ingest_sequence"),
                rs.getString("raw"), rs.getString("detail"), Sql.instant(rs, "received_at"));
    }

    /** A cause as stored: no NUL (text cannot hold it), at most {@link #DETAIL_LIMIT} code points. */
    static String detail(String detail) {
        String d = clean(detail == null ? "unknown cause" : detail);
        return d.codePointCount(0, d.length()) <= DETAIL_LIMIT ? d
                : d.substring(0, d.offsetByCodePoints(0, DETAIL_LIMIT));
    }

    private static String clean(String s) {
        return s == null ? null : s.replace('\u0000', '\uFFFD');
    }
}
