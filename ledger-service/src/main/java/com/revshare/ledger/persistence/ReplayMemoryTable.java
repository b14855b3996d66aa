package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.revshare.ledger.application.Transactions;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.ReplayMemory;
import com.revshare.ledger.domain.UsageRecord;

/**
 * A proof replay's {@link ReplayMemory} in a temporary table of the proof's own transaction ({@code on commit
 * drop}: nothing outlives the proof, and PostgreSQL keeps it in the backend's temp buffers, spilling to disk):
 * one row per remembered event, keyed by event id, with the columns its questions need (the current USAGE
 * entry's sequence and version, the UNRATED events' time and id, the period and whether it is settled) and the
 * whole record as text ({@link ReplayRecordText}). Writes are buffered ({@link #WRITE_BUFFER_RECORDS} records
 * at most, read back from the buffer first) and flushed as one multi-row upsert, so a usage batch costs a
 * fraction of a statement and the heap holds at most one buffer.
 */
final class ReplayMemoryTable implements ReplayMemory {
    /** Records buffered before one upsert writes them (bounds the heap the buffer takes). */
    static final int WRITE_BUFFER_RECORDS = 5000;
    private static final String TABLE = "proof_replay_usage";

    private final Connection c;
    private final Map<String, UsageRecord> buffer = new LinkedHashMap<>();

    private ReplayMemoryTable(Connection c) {
        this.c = c;
    }

    /** Creates the table in the caller's transaction (before it is made read-only: a temporary table may be written then). */
    static ReplayMemoryTable create(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            Sql.count();
            s.execute("create temporary table " + TABLE + " (event_id text collate \"C\" primary key, "
                    + "rated_sequence bigint, rated_version int, unrated boolean not null, event_seconds bigint not "
                    + "null, event_nanos int not null, period text not null, settled boolean not null, record text "
                    + "not null) on commit drop");
            Sql.count();
            s.execute("create index on " + TABLE + " (rated_sequence) where rated_sequence is not null");
            Sql.count();
            s.execute("create index on " + TABLE + " (event_seconds, event_nanos, event_id) where unrated");
        }
        return new ReplayMemoryTable(c);
    }

    @Override
    public void remember(Collection<UsageRecord> records) {
        for (UsageRecord r : records) {
            buffer.put(r.event().eventId(), r);
        }
        if (buffer.size() >= WRITE_BUFFER_RECORDS) {
            flush();
        }
    }

    @Override
    public Map<String, UsageRecord> recall(Collection<String> eventIds) {
        Map<String, UsageRecord> found = new HashMap<>();
        List<String> stored = new ArrayList<>();
        for (String id : eventIds) {
            UsageRecord r = buffer.get(id);
            if (r != null) {
                found.put(id, r);
            } else {
                stored.add(id);
            }
        }
        if (!stored.isEmpty()) {
            query("select record from " + TABLE + " where event_id = any(?::text[])", ps -> ps.setArray(1,
                    Sql.texts(c, stored))).forEach(r -> found.put(r.event().eventId(), r));
        }
        return found;
    }

    @Override
    public void forget(Collection<String> eventIds) {
        eventIds.forEach(buffer::remove);
        update("delete from " + TABLE + " where event_id = any(?::text[])", ps -> ps.setArray(1,
                Sql.texts(c, eventIds)));
    }

    @Override
    public List<UsageRecord> ratedAfter(long afterSequence, int belowVersion, int limit) {
        flush();
        return query("select record from " + TABLE + " where rated_sequence > ? and rated_version < ? order by "
                + "rated_sequence limit ?", ps -> {
                    ps.setLong(1, afterSequence);
                    ps.setInt(2, belowVersion);
                    ps.setInt(3, limit);
                });
    }

    @Override
    public List<UsageRecord> unratedAfter(Instant afterTime, String afterId, int limit) {
        flush();
        if (afterTime == null) {
            return query("select record from " + TABLE + " where unrated order by event_seconds, event_nanos, "
                    + "event_id limit ?", ps -> ps.setInt(1, limit));
        }
        return query("select record from " + TABLE + " where unrated and (event_seconds, event_nanos, event_id) > "
                + "(?, ?, ?) order by event_seconds, event_nanos, event_id limit ?", ps -> {
                    ps.setLong(1, afterTime.getEpochSecond());
                    ps.setInt(2, afterTime.getNano());
                    ps.setString(3, afterId == null ? "" : afterId);
                    ps.setInt(4, limit);
                });
    }

    @Override
    public void forgetSettled(YearMonth period) {
        flush();
        update("delete from " + TABLE + " where settled and period = ?", ps -> ps.setString(1, period.toString()));
    }

    /** Writes the buffered records as one upsert. */
    void flush() {
        if (buffer.isEmpty()) {
            return;
        }
        Sql.Columns k = new Sql.Columns(9);
        for (UsageRecord r : buffer.values()) {
            boolean rated = r.status() == UsageRecord.UsageStatus.RATED && r.current() != null
                    && r.current().kind() == EntryKind.USAGE;
            k.row(r.event().eventId(), rated ? r.current().sequence() : null,
                    rated ? r.current().agreementVersion() : null, r.status() == UsageRecord.UsageStatus.UNRATED,
                    r.event().time().getEpochSecond(), r.event().time().getNano(), ReplayMemory.periodOf(r),
                    r.status() != UsageRecord.UsageStatus.UNRATED, ReplayRecordText.write(r));
        }
        update("insert into " + TABLE + " select k.a, k.b::bigint, k.c::int, k.d::boolean, k.e::bigint, k.f::int, "
                + "k.g, k.h::boolean, k.i from unnest(" + k.placeholders() + ") as k(a, b, c, d, e, f, g, h, i) "
                + "on conflict (event_id) do update set rated_sequence = excluded.rated_sequence, rated_version = "
                + "excluded.rated_version, unrated = excluded.unrated, event_seconds = excluded.event_seconds, "
                + "event_nanos = excluded.event_nanos, period = excluded.period, settled = excluded.settled, "
                + "record = excluded.record", ps -> k.bind(c, ps, 1));
        buffer.clear();
    }

    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    private List<UsageRecord> query(String sql, Binder binder) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<UsageRecord> records = new ArrayList<>();
                while (rs.next()) {
                    records.add(ReplayRecordText.read(rs.getString(1)));
                }
                return records;
            }
        } catch (SQLException e) {
            throw new Transactions.DataAccessException(e);
        }
    }

    private void update(String sql, Binder binder) {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            binder.bind(ps);
            Sql.count();
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new Transactions.DataAccessException(e);
        }
    }
}
