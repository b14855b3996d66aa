package com.revshare.ledger.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.IngestWatermarks;

/**
 * The ingest-sequence watermark per partner (SPEC §2.7 v2): how far the partner's accepted events are
 * all stored, the largest one stored and those stored beyond a gap. Plain JDBC on the caller's
 * transactional connection.
 */
@ApplicationScoped
public class IngestWatermarkStore implements IngestWatermarks {
    /** The partners' rows, locked for this transaction (absent partners: no row yet). */
    @Override
    public Map<String, Watermark> lock(Connection c, Collection<String> partnerIds) throws SQLException {
        Map<String, Watermark> rows = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select partner_id, ingest_sequence, max_seen, ahead_count "
                + "from ingest_watermark where partner_id = any (?) order by partner_id for update")) {
            ps.setArray(1, Sql.texts(c, new TreeSet<>(partnerIds)));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.put(rs.getString(1), new Watermark(rs.getString(1), rs.getLong(2), rs.getLong(3),
                            rs.getLong(4)));
                }
            }
        }
        return rows;
    }

    /** Creates zero rows for partners that have none (so that they can be locked). */
    @Override
    public void createMissing(Connection c, Collection<String> partnerIds) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into ingest_watermark (partner_id) select p from "
                + "unnest(?::text[]) as p order by p on conflict do nothing")) {
            ps.setArray(1, Sql.texts(c, new TreeSet<>(partnerIds)));
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** One partner's row, unlocked (reads); a zero row when there is none. */
    @Override
    public Watermark read(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select partner_id, ingest_sequence, max_seen, ahead_count "
                + "from ingest_watermark where partner_id = ?")) {
            ps.setString(1, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new Watermark(partnerId, rs.getLong(2), rs.getLong(3), rs.getLong(4))
                        : new Watermark(partnerId, 0, 0, 0);
            }
        }
    }

    /** Every partner's row (the gauge's refresh). */
    @Override
    public List<Watermark> all(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select partner_id, ingest_sequence, max_seen, ahead_count "
                + "from ingest_watermark order by partner_id")) {
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<Watermark> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new Watermark(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
                }
                return rows;
            }
        }
    }

    /** The partner's sequences stored beyond its watermark, ascending. */
    @Override
    public List<Long> ahead(Connection c, String partnerId, long after) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select ingest_sequence from ingest_ahead where partner_id = ? "
                + "and ingest_sequence > ? order by ingest_sequence")) {
            ps.setString(1, partnerId);
            ps.setLong(2, after);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<Long> seqs = new ArrayList<>();
                while (rs.next()) {
                    seqs.add(rs.getLong(1));
                }
                return seqs;
            }
        }
    }

    /** Replaces the partner's ahead rows: those up to the watermark go, {@code add} come. */
    @Override
    public void moveAhead(Connection c, String partnerId, long watermark, Collection<Long> add) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from ingest_ahead where partner_id = ? and "
                + "ingest_sequence <= ?")) {
            ps.setString(1, partnerId);
            ps.setLong(2, watermark);
            Sql.count();
            ps.executeUpdate();
        }
        if (add.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ingest_ahead (partner_id, ingest_sequence) "
                + "select ?, s from unnest(?::bigint[]) as s on conflict do nothing")) {
            ps.setString(1, partnerId);
            ps.setArray(2, c.createArrayOf("bigint", add.toArray(new Long[0])));
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** Writes the rows (one statement for the whole batch). */
    @Override
    public void upsert(Connection c, Collection<Watermark> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        List<String> p = new ArrayList<>();
        List<String> w = new ArrayList<>();
        List<String> m = new ArrayList<>();
        List<String> a = new ArrayList<>();
        for (Watermark r : rows) {
            p.add(r.partnerId());
            w.add(Long.toString(r.ingestSequence()));
            m.add(Long.toString(r.maxSeen()));
            a.add(Long.toString(r.aheadCount()));
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ingest_watermark (partner_id, ingest_sequence, "
                + "max_seen, ahead_count) select k.p, k.w::bigint, k.m::bigint, k.a::bigint from unnest(?::text[], "
                + "?::text[], ?::text[], ?::text[]) as k(p, w, m, a) on conflict (partner_id) do update set "
                + "ingest_sequence = excluded.ingest_sequence, max_seen = excluded.max_seen, ahead_count = "
                + "excluded.ahead_count")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, w));
            ps.setArray(3, Sql.texts(c, m));
            ps.setArray(4, Sql.texts(c, a));
            Sql.count();
            ps.executeUpdate();
        }
    }
}
