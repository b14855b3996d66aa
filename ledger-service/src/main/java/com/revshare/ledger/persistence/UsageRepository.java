package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;

import com.revshare.ledger.application.UsageEvents;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.UnratedReason;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;

/**
 * Usage events: inserting a batch (the unique key is the idempotency key), the parked ones, the
 * unrated counts a close reads. Every multi-row write is one statement over {@code unnest} arrays.
 */
@ApplicationScoped
public class UsageRepository implements UsageEvents {
    // ---- usage ----

    /** Inserts the events; returns those that were new (the unique key is the idempotency key), in order. */
    @Override
    public List<UsageEvent> insertNewUsage(Connection c, List<UsageEvent> events, Instant receivedAt)
            throws SQLException {
        return insertNewUsage(c, events, java.util.Collections.nCopies(events.size(), null), receivedAt);
    }

    /**
     * Inserts the events with their ingest sequences ({@code ingestSequences} parallel to {@code events},
     * null where unknown); returns those that were new, in order.
     */
    @Override
    public List<UsageEvent> insertNewUsage(Connection c, List<UsageEvent> events, List<Long> ingestSequences,
            Instant receivedAt) throws SQLException {
        if (events.isEmpty()) {
            return List.of();
        }
        List<String> p = new ArrayList<>();
        List<String> id = new ArrayList<>();
        List<String> t = new ArrayList<>();
        List<String> tn = new ArrayList<>();
        List<String> model = new ArrayList<>();
        List<String> metric = new ArrayList<>();
        List<String> q = new ArrayList<>();
        List<String> ra = new ArrayList<>();
        List<String> rc = new ArrayList<>();
        List<String> region = new ArrayList<>();
        List<String> seq = new ArrayList<>();
        for (Long n : ingestSequences) {
            seq.add(n == null ? null : n.toString());
        }
        for (UsageEvent e : events) {
            p.add(e.partnerId());
            id.add(e.eventId());
            t.add(Sql.micros(e.time()));
            tn.add(Integer.toString(Sql.subMicroNanos(e.time())));
            model.add(e.model());
            metric.add(e.metric());
            q.add(Long.toString(e.quantity()));
            ra.add(e.revenue() == null ? null : e.revenue().amount().toPlainString());
            rc.add(e.revenue() == null ? null : e.revenue().currency());
            region.add(e.region());
        }
        Set<String> inserted = new HashSet<>();
        // The same statement records the batch as one step per partner in ledger_input and gives each event its
        // step and position (SPEC §4.1 replay: the order in which the decider saw the inputs); the partners' rows
        // are locked by the caller, so a partner's steps follow its decisions.
        try (PreparedStatement ps = c.prepareStatement("with s as (insert into ledger_input (step, partner_id, kind, "
                + "at) select nextval('ledger_step_seq'), d.p, 'USAGE', ?::timestamptz from (select distinct p from "
                + "unnest(?::text[]) as p order by p) as d returning partner_id, step) "
                + "insert into usage_event (partner_id, event_id, event_time, "
                + "event_time_nanos, model, metric, quantity, revenue_amount, revenue_currency, region, received_at, "
                + "rating_state, ingest_sequence, step, step_ordinal) select u.p, u.id, u.t::timestamptz, "
                + "u.tn::smallint, u.model, u.metric, u.q::bigint, u.ra::numeric, u.rc, u.region, ?::timestamptz, "
                + "'RATED', u.s::bigint, s.step, u.o::integer from "
                + "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[], "
                + "?::text[], ?::text[], ?::text[]) with ordinality as u(p, id, t, tn, model, metric, q, ra, rc, "
                + "region, s, o) join s on s.partner_id = u.p "
                + "on conflict (partner_id, event_id) do nothing returning partner_id, event_id")) {
            ps.setString(1, receivedAt.toString());
            ps.setArray(2, Sql.texts(c, p));
            ps.setString(3, receivedAt.toString());
            int i = 4;
            for (List<String> column : List.of(p, id, t, tn, model, metric, q, ra, rc, region, seq)) {
                ps.setArray(i++, Sql.texts(c, column));
            }
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    inserted.add(rs.getString(1) + "\u0000" + rs.getString(2));
                }
            }
        }
        List<UsageEvent> fresh = new ArrayList<>();
        for (UsageEvent e : events) {
            if (inserted.remove(e.partnerId() + "\u0000" + e.eventId())) {
                fresh.add(e);
            }
        }
        return fresh;
    }

    /**
     * The partner's parked (UNRATED) events after ({@code afterTime}, {@code afterId}) (null: from the
     * start), oldest first by (time, id in code-point order, as the decider sorts them), at most {@code limit}.
     */
    @Override
    public List<UsageRecord> parked(Connection c, String partnerId, Instant afterTime, String afterId, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select * from usage_event where partner_id = ? and "
                + "rating_state = 'UNRATED' and (?::timestamptz is null or event_time > ?::timestamptz or "
                + "(event_time = ?::timestamptz and (event_time_nanos > ? or (event_time_nanos = ? and "
                + "event_id collate \"C\" > ?)))) order by event_time, event_time_nanos, event_id collate \"C\" "
                + "limit ?")) {
            String t = afterTime == null ? null : Sql.micros(afterTime);
            int nanos = afterTime == null ? 0 : Sql.subMicroNanos(afterTime);
            ps.setString(1, partnerId);
            ps.setString(2, t);
            ps.setString(3, t);
            ps.setString(4, t);
            ps.setInt(5, nanos);
            ps.setInt(6, nanos);
            ps.setString(7, afterId == null ? "" : afterId);
            ps.setInt(8, limit);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<UsageRecord> rows = new ArrayList<>();
                while (rs.next()) {
                    String reason = rs.getString("unrated_reason");
                    rows.add(new UsageRecord(usageEvent(rs), UsageRecord.UsageStatus.UNRATED,
                            reason == null ? null : UnratedReason.valueOf(reason), null));
                }
                return rows;
            }
        }
    }

    /**
     * How many of the partner's events whose time lies in the period are UNRATED or UNPROCESSABLE; an
     * UNPROCESSABLE event whose time could not be stored may lie in any period, so it counts for every one.
     */
    @Override
    public long unratedCount(Connection c, String partnerId, YearMonth period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from usage_event where partner_id = ? and "
                + "((rating_state in ('UNRATED', 'UNPROCESSABLE') and event_time >= ?::timestamptz and event_time < "
                + "?::timestamptz) or (rating_state = 'UNPROCESSABLE' and event_time is null))")) {
            ps.setString(1, partnerId);
            ps.setString(2, com.revshare.ledger.domain.Periods.start(period).toString());
            ps.setString(3, com.revshare.ledger.domain.Periods.end(period).toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    /** One usage event's record in whatever state, or null. */
    @Override
    public UsageRecord usageRecord(Connection c, String partnerId, String eventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select * from usage_event where partner_id = ? and event_id = ? and rating_state <> 'UNPROCESSABLE'")) {
            ps.setString(1, partnerId);
            ps.setString(2, eventId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                String reason = rs.getString("unrated_reason");
                return new UsageRecord(usageEvent(rs), UsageRecord.UsageStatus.valueOf(rs.getString("rating_state")),
                        reason == null ? null : UnratedReason.valueOf(reason), null);
            }
        }
    }

    /** Partners with parked NO_FX_RATE events of that date and revenue currency, settling in the quote currency. */
    @Override
    public List<String> partnersWaitingForRate(Connection c, LocalDate date, String base, String quote)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select distinct u.partner_id from usage_event u join "
                + "ledger_partner p using (partner_id) where u.rating_state = 'UNRATED' and u.unrated_reason = "
                + "'NO_FX_RATE' and u.revenue_currency = ? and p.currency = ? and u.event_time >= ?::timestamptz and "
                + "u.event_time < ?::timestamptz order by 1")) {
            ps.setString(1, base);
            ps.setString(2, quote);
            ps.setString(3, date.atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString());
            ps.setString(4, date.plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<String> ids = new ArrayList<>();
                while (rs.next()) {
                    ids.add(rs.getString(1));
                }
                return ids;
            }
        }
    }

    static UsageEvent usageEvent(ResultSet rs) throws SQLException {
        BigDecimal amount = rs.getBigDecimal("revenue_amount");
        return new UsageEvent(rs.getString("partner_id"), rs.getString("event_id"), Sql.eventTime(rs),
                rs.getString("model"), rs.getString("metric"), rs.getLong("quantity"),
                amount == null ? null : new Revenue(amount, Sql.trimmed(rs, "revenue_currency")),
                rs.getString("region"));
    }

    /** The partner's unrated events for the API: oldest first, at most {@code limit}. */
    @Override
    public List<UsageRecord> unrated(Connection c, String partnerId, int limit) throws SQLException {
        return parked(c, partnerId, null, null, limit);
    }

    @Override
    public long unratedCount(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select count(*) from usage_event where partner_id = ? and rating_state in ('UNRATED', "
                + "'UNPROCESSABLE')")) {
            ps.setString(1, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
