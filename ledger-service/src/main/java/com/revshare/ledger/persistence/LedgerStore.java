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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.revshare.ledger.domain.AgreementVersion;
import com.revshare.ledger.domain.EntryKind;
import com.revshare.ledger.domain.LedgerChanges;
import com.revshare.ledger.domain.LedgerEntry;
import com.revshare.ledger.domain.PartnerLedger;
import com.revshare.ledger.domain.Revenue;
import com.revshare.ledger.domain.TierKey;
import com.revshare.ledger.domain.UnratedReason;
import com.revshare.ledger.domain.UsageEvent;
import com.revshare.ledger.domain.UsageRecord;

/**
 * The ledger's PostgreSQL store, plain JDBC on the caller's (transactional) connection. Every
 * multi-row write is one statement over {@code unnest} arrays, so a batch costs a handful of round
 * trips whatever its size.
 */
@ApplicationScoped
public class LedgerStore {
    static final String ENTRY_COLUMNS = "partner_id, sequence, entry_id, period, kind, amount, currency, "
            + "usage_event_id, model, metric, quantity, revenue_amount, revenue_currency, fx_rate, settlement_revenue, "
            + "agreement_version, rule_id, reverses_entry_id, original_period, memo, actor, closed_at, event_time, "
            + "posted_at, event_time_nanos, payment_id, received_on, reference";

    @Inject
    ObjectMapper json;

    /** A registered partner. */
    public record PartnerRow(String partnerId, String name, String currency, int paymentTermsDays, Instant createdAt,
            Instant updatedAt) {
    }

    /** A partner's stream head, read under its row lock. */
    public record StreamHead(String partnerId, String currency, long lastSequence, YearMonth lastClosed) {
    }

    /** (UTC date, base, quote) of an FX rate. */
    public record FxKey(LocalDate date, String base, String quote) {
    }

    /** An FX rate as stored. */
    public record FxRow(LocalDate date, String base, String quote, BigDecimal rate, String actor, Instant createdAt) {
    }

    /** A per-period figure of the balance. */
    public record PeriodFigures(YearMonth period, BigDecimal total, long eventCount, Instant closedAt) {
    }

    // ---- partners ----

    public Optional<PartnerRow> partner(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select partner_id, name, currency, payment_terms_days, created_at, updated_at from ledger_partner "
                + "where partner_id = ?")) {
            ps.setString(1, id);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(partnerRow(rs)) : Optional.empty();
            }
        }
    }

    public List<PartnerRow> partners(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "select partner_id, name, currency, payment_terms_days, created_at, updated_at from ledger_partner "
                + "order by partner_id")) {
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<PartnerRow> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(partnerRow(rs));
                }
                return rows;
            }
        }
    }

    private static PartnerRow partnerRow(ResultSet rs) throws SQLException {
        return new PartnerRow(rs.getString("partner_id"), rs.getString("name"), Sql.trimmed(rs, "currency"),
                rs.getInt("payment_terms_days"), Sql.instant(rs, "created_at"), Sql.instant(rs, "updated_at"));
    }

    /** Creates the partner and its stream; returns false when it existed (and was updated). */
    /** {@code paymentTermsDays} null: 30 for a new partner, the current value for an existing one. */
    public boolean upsertPartner(Connection c, String id, String name, String currency, Integer paymentTermsDays,
            Instant now) throws SQLException {
        boolean created;
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_partner (partner_id, name, currency, "
                + "payment_terms_days, created_at, updated_at) values (?, ?, ?, coalesce(?::integer, 30), "
                + "?::timestamptz, ?::timestamptz) on conflict (partner_id) do update set name = excluded.name, "
                + "currency = excluded.currency, payment_terms_days = coalesce(?::integer, "
                + "ledger_partner.payment_terms_days), updated_at = excluded.updated_at returning (xmax = 0) as created")) {
            ps.setString(1, id);
            ps.setString(2, name);
            ps.setString(3, currency);
            ps.setObject(4, paymentTermsDays, java.sql.Types.INTEGER);
            ps.setString(5, now.toString());
            ps.setString(6, now.toString());
            ps.setObject(7, paymentTermsDays, java.sql.Types.INTEGER);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                created = rs.getBoolean(1);
            }
        }
        if (created) {
            try (PreparedStatement ps = c.prepareStatement("with s as (insert into partner_ledger_state (partner_id) "
                    + "values (?) on conflict do nothing) insert into outbox_watermark (partner_id) values (?) "
                    + "on conflict do nothing")) {
                ps.setString(1, id);
                ps.setString(2, id);
                Sql.count();
                ps.executeUpdate();
            }
        }
        return created;
    }

    // ---- the stream head and its lock ----

    /** Locks the partners' stream rows in id order (no deadlocks between batches) and reads their heads. */
    public Map<String, StreamHead> lock(Connection c, Collection<String> partnerIds) throws SQLException {
        Map<String, StreamHead> heads = new LinkedHashMap<>();
        if (partnerIds.isEmpty()) {
            return heads;
        }
        try (PreparedStatement ps = c.prepareStatement("select s.partner_id, p.currency, s.last_sequence, "
                + "s.last_closed_period from partner_ledger_state s join ledger_partner p using (partner_id) "
                + "where s.partner_id = any (?) order by s.partner_id for update of s")) {
            ps.setArray(1, Sql.texts(c, new TreeSet<>(partnerIds)));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    heads.put(rs.getString(1), new StreamHead(rs.getString(1), rs.getString(2).trim(), rs.getLong(3),
                            Sql.period(rs, "last_closed_period")));
                }
            }
        }
        return heads;
    }

    /**
     * Locks, in id order, the stream rows of every partner settling in {@code currency}. Every
     * reader of FX rates (usage batches, admin commands) holds its partner's lock while it reads and
     * parks, so a rate inserted under these locks is either seen by a reader or finds the events the
     * reader parked (SPEC §3.3 "then rated automatically"); id order keeps it deadlock-free.
     */
    public void lockSettlingIn(Connection c, String currency) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select s.partner_id from partner_ledger_state s join "
                + "ledger_partner p using (partner_id) where p.currency = ? order by s.partner_id for update of s")) {
            ps.setString(1, currency);
            Sql.count();
            ps.executeQuery().close();
        }
    }

    /** A partner's stream head without locking it (reads). */
    public StreamHead head(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select s.partner_id, p.currency, s.last_sequence, "
                + "s.last_closed_period from partner_ledger_state s join ledger_partner p using (partner_id) "
                + "where s.partner_id = ?")) {
            ps.setString(1, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new StreamHead(rs.getString(1), rs.getString(2).trim(), rs.getLong(3),
                        Sql.period(rs, "last_closed_period")) : null;
            }
        }
    }

    // ---- usage ----

    /** Inserts the events; returns those that were new (the unique key is the idempotency key), in order. */
    public List<UsageEvent> insertNewUsage(Connection c, List<UsageEvent> events, Instant receivedAt)
            throws SQLException {
        return insertNewUsage(c, events, java.util.Collections.nCopies(events.size(), null), receivedAt);
    }

    /**
     * Inserts the events with their ingest sequences ({@code ingestSequences} parallel to {@code events},
     * null where unknown); returns those that were new, in order.
     */
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
    public List<UsageRecord> unrated(Connection c, String partnerId, int limit) throws SQLException {
        return parked(c, partnerId, null, null, limit);
    }

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

    // ---- agreements ----

    /** All versions of the given partners, by partner, in version order. */
    public Map<String, List<AgreementVersion>> versions(Connection c, Collection<String> partnerIds)
            throws SQLException {
        Map<String, List<AgreementVersion>> result = new HashMap<>();
        if (partnerIds.isEmpty()) {
            return result;
        }
        try (PreparedStatement ps = c.prepareStatement("select * from agreement_version where partner_id = any (?) "
                + "order by partner_id, version")) {
            ps.setArray(1, Sql.texts(c, partnerIds));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    AgreementVersion v = new AgreementVersion(rs.getInt("version"), Sql.instant(rs, "effective_from"),
                            Sql.instant(rs, "effective_to"), Sql.trimmed(rs, "currency"),
                            rs.getBigDecimal("monthly_minimum"), rs.getBigDecimal("monthly_cap"),
                            RulesJson.fromJson(json.readTree(rs.getString("rules"))), rs.getString("actor"),
                            Sql.instant(rs, "created_at"));
                    result.computeIfAbsent(rs.getString("partner_id"), k -> new ArrayList<>()).add(v);
                }
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException("stored rules unreadable", e);
            }
        }
        return result;
    }

    // ---- tier counters ----

    /** Loads the counters of the given (partner, period) pairs into the states. */
    public void loadCounters(Connection c, Map<String, PartnerLedger> states, Map<String, Set<YearMonth>> periods)
            throws SQLException {
        List<String> p = new ArrayList<>();
        List<String> m = new ArrayList<>();
        periods.forEach((partner, months) -> months.forEach(month -> {
            p.add(partner);
            m.add(month.toString());
        }));
        if (p.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = c.prepareStatement("select t.partner_id, t.period, t.agreement_version, "
                + "t.rule_id, t.basis from tier_counter t join unnest(?::text[], ?::text[]) as k(p, m) "
                + "on t.partner_id = k.p and t.period = k.m")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, m));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    states.get(rs.getString(1)).loadCounter(
                            new TierKey(Sql.period(rs, "period"), rs.getInt(3), rs.getString(4)), rs.getBigDecimal(5));
                }
            }
        }
    }

    /** Loads every counter of the partner. */
    public void loadAllCounters(Connection c, PartnerLedger state) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select period, agreement_version, rule_id, basis from "
                + "tier_counter where partner_id = ?")) {
            ps.setString(1, state.partnerId());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.loadCounter(new TierKey(Sql.period(rs, "period"), rs.getInt(2), rs.getString(3)),
                            rs.getBigDecimal(4));
                }
            }
        }
    }

    // ---- FX ----

    public Map<FxKey, BigDecimal> fxRates(Connection c, Collection<FxKey> keys) throws SQLException {
        Map<FxKey, BigDecimal> rates = new HashMap<>();
        if (keys.isEmpty()) {
            return rates;
        }
        List<String> d = new ArrayList<>();
        List<String> b = new ArrayList<>();
        List<String> q = new ArrayList<>();
        for (FxKey k : keys) {
            d.add(k.date().toString());
            b.add(k.base());
            q.add(k.quote());
        }
        try (PreparedStatement ps = c.prepareStatement("select f.rate_date, f.base, f.quote, f.rate from fx_rate f "
                + "join unnest(?::text[], ?::text[], ?::text[]) as k(d, b, q) on f.rate_date = k.d::date "
                + "and f.base = k.b and f.quote = k.q")) {
            ps.setArray(1, Sql.texts(c, d));
            ps.setArray(2, Sql.texts(c, b));
            ps.setArray(3, Sql.texts(c, q));
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rates.put(new FxKey(rs.getObject(1, LocalDate.class), rs.getString(2).trim(),
                            rs.getString(3).trim()), rs.getBigDecimal(4));
                }
            }
        }
        return rates;
    }

    public Optional<FxRow> fxRate(Connection c, FxKey key) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select rate_date, base, quote, rate, actor, created_at from "
                + "fx_rate where rate_date = ? and base = ? and quote = ?")) {
            ps.setObject(1, key.date());
            ps.setString(2, key.base());
            ps.setString(3, key.quote());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(fxRow(rs)) : Optional.empty();
            }
        }
    }

    /** Inserts the rate unless (date, base, quote) exists; returns true when inserted. */
    public boolean insertFxRate(Connection c, FxRow row) throws SQLException {
        // the step orders the rate among the decisions of the partners settling in its quote currency (whose
        // locks the caller holds): a replay sees the rate from the next decision on (SPEC §4.1)
        try (PreparedStatement ps = c.prepareStatement("insert into fx_rate (rate_date, base, quote, rate, actor, "
                + "created_at, step) values (?, ?, ?, ?, ?, ?::timestamptz, nextval('ledger_step_seq')) "
                + "on conflict do nothing")) {
            ps.setObject(1, row.date());
            ps.setString(2, row.base());
            ps.setString(3, row.quote());
            ps.setBigDecimal(4, row.rate());
            ps.setString(5, row.actor());
            ps.setString(6, row.createdAt().toString());
            Sql.count();
            return ps.executeUpdate() == 1;
        }
    }

    private static FxRow fxRow(ResultSet rs) throws SQLException {
        return new FxRow(rs.getObject(1, LocalDate.class), rs.getString(2).trim(), rs.getString(3).trim(),
                rs.getBigDecimal(4), rs.getString(5), Sql.instant(rs, "created_at"));
    }

    // ---- entries ----

    /**
     * The partner's current (not reversed) USAGE entries of OPEN periods after {@code afterSequence},
     * in sequence order, at most {@code limit}, rated under a version older than the partner's newest:
     * a coarse superset of what a new version leaves to re-rate. Which of them the version no longer
     * governs (SPEC §3.1) is the decider's decision.
     */
    public List<LedgerEntry> reRateCandidates(Connection c, String partnerId, YearMonth lastClosed,
            long afterSequence, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS.replaceAll("(^|, )", "$1e.")
                + " from ledger_entry e where e.partner_id = ? and e.sequence > ? and e.kind = 'USAGE' and "
                + "e.period > ? and e.agreement_version < (select max(v.version) from agreement_version v where "
                + "v.partner_id = e.partner_id) and not exists (select 1 from ledger_entry r where "
                + "r.reverses_entry_id = e.entry_id) order by e.sequence limit ?")) {
            ps.setString(1, partnerId);
            ps.setLong(2, afterSequence);
            ps.setString(3, lastClosed == null ? "" : lastClosed.toString());
            ps.setInt(4, limit);
            Sql.count();
            return entries(ps);
        }
    }

    /** The sequence just before the partner's first entry of an OPEN period (where re-rating can start). */
    public long beforeFirstOpenEntry(Connection c, String partnerId, YearMonth lastClosed) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(min(sequence), 1) - 1 from ledger_entry "
                + "where partner_id = ? and period > ?")) {
            ps.setString(1, partnerId);
            ps.setString(2, lastClosed == null ? "" : lastClosed.toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    // ---- pending rating requests ----

    /** A partner whose rating (and, with {@code rerate}, re-rating) is pending. */
    public record RatingRequest(String partnerId, boolean rerate, String actor, Instant requestedAt) {
    }

    /** Records (or widens) the partner's pending request, in the caller's transaction. */
    public void requestRating(Connection c, String partnerId, boolean rerate, String actor, Instant now)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into rating_request (partner_id, rerate, actor, "
                + "requested_at) values (?, ?, ?, ?::timestamptz) on conflict (partner_id) do update set rerate = "
                + "rating_request.rerate or excluded.rerate, actor = excluded.actor, requested_at = "
                + "excluded.requested_at")) {
            ps.setString(1, partnerId);
            ps.setBoolean(2, rerate);
            ps.setString(3, actor);
            ps.setString(4, now.toString());
            Sql.count();
            ps.executeUpdate();
        }
    }

    public Optional<RatingRequest> ratingRequest(Connection c, String partnerId) throws SQLException {
        return ratingRequests(c, partnerId).stream().findFirst();
    }

    /** Every pending request (null) or the partner's. */
    public List<RatingRequest> ratingRequests(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select partner_id, rerate, actor, requested_at from "
                + "rating_request where ?::text is null or partner_id = ? order by partner_id")) {
            ps.setString(1, partnerId);
            ps.setString(2, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<RatingRequest> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(new RatingRequest(rs.getString(1), rs.getBoolean(2), rs.getString(3),
                            Sql.instant(rs, "requested_at")));
                }
                return rows;
            }
        }
    }

    /** Removes the request unless it was renewed after {@code requestedAt}. */
    public void clearRatingRequest(Connection c, String partnerId, Instant requestedAt) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from rating_request where partner_id = ? and "
                + "requested_at <= ?::timestamptz")) {
            ps.setString(1, partnerId);
            ps.setString(2, requestedAt.toString());
            Sql.count();
            ps.executeUpdate();
        }
    }

    /** Entries of the partner after {@code afterSequence}, in sequence order, at most {@code limit}. */
    public List<LedgerEntry> entriesAfter(Connection c, String partnerId, long afterSequence, int limit)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and sequence > ? order by sequence limit ?")) {
            ps.setString(1, partnerId);
            ps.setLong(2, afterSequence);
            ps.setInt(3, limit);
            Sql.count();
            return entries(ps);
        }
    }

    /** The entries of a period, in sequence order. */
    public List<LedgerEntry> periodEntries(Connection c, String partnerId, YearMonth period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and period = ? order by sequence")) {
            ps.setString(1, partnerId);
            ps.setString(2, period.toString());
            Sql.count();
            return entries(ps);
        }
    }

    private static List<LedgerEntry> entries(PreparedStatement ps) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            List<LedgerEntry> list = new ArrayList<>();
            while (rs.next()) {
                list.add(entry(rs));
            }
            return list;
        }
    }

    static LedgerEntry entry(ResultSet rs) throws SQLException {
        BigDecimal revenueAmount = rs.getBigDecimal("revenue_amount");
        return new LedgerEntry(Sql.uuid(rs, "entry_id"), rs.getString("partner_id"), rs.getLong("sequence"),
                Sql.period(rs, "period"), EntryKind.valueOf(rs.getString("kind")), rs.getBigDecimal("amount"),
                Sql.trimmed(rs, "currency"), rs.getString("usage_event_id"), rs.getString("model"),
                rs.getString("metric"), Sql.longOrNull(rs, "quantity"),
                revenueAmount == null ? null : new Revenue(revenueAmount, Sql.trimmed(rs, "revenue_currency")),
                rs.getBigDecimal("fx_rate"), rs.getBigDecimal("settlement_revenue"),
                Sql.intOrNull(rs, "agreement_version"), rs.getString("rule_id"), Sql.uuid(rs, "reverses_entry_id"),
                Sql.period(rs, "original_period"), rs.getString("memo"), rs.getString("actor"),
                Sql.instant(rs, "closed_at"), Sql.eventTime(rs), Sql.instant(rs, "posted_at"),
                rs.getString("payment_id"), rs.getObject("received_on", LocalDate.class), rs.getString("reference"));
    }

    // ---- derived figures ----

    /**
     * Per period: total of money entries, event count, closedAt; all periods with entries, in order.
     * Read from the period_balance projection, kept by {@link #write} in the entries' transaction.
     */
    public List<PeriodFigures> periodFigures(Connection c, String partnerId, YearMonth only) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select period, total, event_count as events, closed_at "
                + "from period_balance where partner_id = ? and (?::text is null or period = ?) order by period")) {
            ps.setString(1, partnerId);
            ps.setString(2, only == null ? null : only.toString());
            ps.setString(3, only == null ? null : only.toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                List<PeriodFigures> list = new ArrayList<>();
                while (rs.next()) {
                    list.add(new PeriodFigures(Sql.period(rs, "period"), rs.getBigDecimal("total"),
                            rs.getLong("events"), Sql.instant(rs, "closed_at")));
                }
                return list;
            }
        }
    }

    /** Sum of USAGE and REVERSAL amounts per (version, rule) in the period (for tier true-ups). */
    public void loadTierSums(Connection c, PartnerLedger state, YearMonth period) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select agreement_version, rule_id, sum(amount) from "
                + "ledger_entry where partner_id = ? and period = ? and kind in ('USAGE', 'REVERSAL') and "
                + "agreement_version is not null group by 1, 2")) {
            ps.setString(1, state.partnerId());
            ps.setString(2, period.toString());
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    state.loadTierSum(new TierKey(period, rs.getInt(1), rs.getString(2)), rs.getBigDecimal(3));
                }
            }
        }
    }

    // ---- writing decided events ----

    /** Executes a write set: a handful of statements whatever its size. */
    public void write(Connection c, WriteSet w) throws SQLException {
        for (WriteSet.VersionRow v : w.versions) {
            insertVersion(c, v);
        }
        if (!w.newUsage.isEmpty()) {
            insertNewUsage(c, w.newUsage, w.newUsage.get(0).time());
        }
        appendEntries(c, w.entries);
        updateUsageStates(c, w.usageStates);
        for (WriteSet.WriteOffRow off : w.writeOffs) {
            try (PreparedStatement ps = c.prepareStatement("insert into write_off (partner_id, event_id, memo, "
                    + "actor, written_off_at) values (?, ?, ?, ?, ?::timestamptz)")) {
                ps.setString(1, off.partnerId());
                ps.setString(2, off.eventId());
                ps.setString(3, off.memo());
                ps.setString(4, off.actor());
                ps.setString(5, off.at().toString());
                Sql.count();
                ps.executeUpdate();
            }
        }
        addCounters(c, w.counterDeltas);
        addPeriodBalances(c, w.periodDeltas);
        updateHeads(c, w.lastSequence, w.lastClosed);
    }

    private void insertVersion(Connection c, WriteSet.VersionRow row) throws SQLException {
        AgreementVersion v = row.version();
        try (PreparedStatement ps = c.prepareStatement("insert into agreement_version (partner_id, version, "
                + "effective_from, effective_to, currency, monthly_minimum, monthly_cap, rules, actor, created_at) "
                + "values (?, ?, ?::timestamptz, ?::timestamptz, ?, ?, ?, ?::jsonb, ?, ?::timestamptz)")) {
            ps.setString(1, row.partnerId());
            ps.setInt(2, v.version());
            ps.setString(3, v.effectiveFrom().toString());
            ps.setString(4, v.effectiveTo() == null ? null : v.effectiveTo().toString());
            ps.setString(5, v.currency());
            ps.setBigDecimal(6, v.monthlyMinimum());
            ps.setBigDecimal(7, v.monthlyCap());
            ps.setString(8, RulesJson.toText(json, v.rules()));
            ps.setString(9, v.actor());
            ps.setString(10, v.createdAt().toString());
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void appendEntries(Connection c, List<LedgerEntry> entries) throws SQLException {
        if (entries.isEmpty()) {
            return;
        }
        List<Function<LedgerEntry, Object>> columns = List.of(LedgerEntry::partnerId, LedgerEntry::sequence,
                LedgerEntry::entryId, LedgerEntry::period, LedgerEntry::kind, LedgerEntry::amount,
                LedgerEntry::currency, LedgerEntry::usageEventId, LedgerEntry::model, LedgerEntry::metric,
                LedgerEntry::quantity, e -> e.revenue() == null ? null : e.revenue().amount(),
                e -> e.revenue() == null ? null : e.revenue().currency(), LedgerEntry::fxRate,
                LedgerEntry::settlementRevenue, LedgerEntry::agreementVersion, LedgerEntry::ruleId,
                LedgerEntry::reversesEntryId, LedgerEntry::originalPeriod, LedgerEntry::memo, LedgerEntry::actor,
                LedgerEntry::closedAt, e -> e.eventTime() == null ? null : Sql.micros(e.eventTime()),
                LedgerEntry::postedAt, e -> e.eventTime() == null ? 0 : Sql.subMicroNanos(e.eventTime()),
                LedgerEntry::paymentId, e -> e.receivedOn() == null ? null : e.receivedOn().toString(),
                LedgerEntry::reference);
        String[] casts = {"text", "bigint", "uuid", "text", "text", "numeric", "text", "text", "text", "text",
            "bigint", "numeric", "text", "numeric", "numeric", "integer", "text", "uuid", "text", "text", "text",
            "timestamptz", "timestamptz", "timestamptz", "smallint", "text", "date", "text"};
        StringBuilder select = new StringBuilder();
        StringBuilder unnest = new StringBuilder();
        for (int i = 0; i < casts.length; i++) {
            select.append(i == 0 ? "" : ", ").append("u.c").append(i).append("::").append(casts[i]);
            unnest.append(i == 0 ? "" : ", ").append("?::text[]");
        }
        StringBuilder names = new StringBuilder();
        for (int i = 0; i < casts.length; i++) {
            names.append(i == 0 ? "" : ", ").append("c").append(i);
        }
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_entry (" + ENTRY_COLUMNS + ") select "
                + select + " from unnest(" + unnest + ") as u(" + names + ")")) {
            for (int i = 0; i < columns.size(); i++) {
                List<String> values = new ArrayList<>(entries.size());
                for (LedgerEntry e : entries) {
                    values.add(Sql.text(columns.get(i).apply(e)));
                }
                ps.setArray(i + 1, Sql.texts(c, values));
            }
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void updateUsageStates(Connection c, List<WriteSet.UsageState> states) throws SQLException {
        if (states.isEmpty()) {
            return;
        }
        List<String> p = new ArrayList<>();
        List<String> id = new ArrayList<>();
        List<String> s = new ArrayList<>();
        List<String> r = new ArrayList<>();
        for (WriteSet.UsageState u : states) {
            p.add(u.partnerId());
            id.add(u.eventId());
            s.add(u.state());
            r.add(u.reason());
        }
        try (PreparedStatement ps = c.prepareStatement("update usage_event u set rating_state = k.s, unrated_reason "
                + "= k.r from unnest(?::text[], ?::text[], ?::text[], ?::text[]) as k(p, id, s, r) where "
                + "u.partner_id = k.p and u.event_id = k.id")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, id));
            ps.setArray(3, Sql.texts(c, s));
            ps.setArray(4, Sql.texts(c, r));
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void addCounters(Connection c, Map<WriteSet.CounterKey, BigDecimal> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        List<String> p = new ArrayList<>();
        List<String> m = new ArrayList<>();
        List<String> v = new ArrayList<>();
        List<String> r = new ArrayList<>();
        List<String> b = new ArrayList<>();
        deltas.forEach((k, delta) -> {
            p.add(k.partnerId());
            m.add(k.key().period().toString());
            v.add(Integer.toString(k.key().version()));
            r.add(k.key().ruleId());
            b.add(delta.toPlainString());
        });
        try (PreparedStatement ps = c.prepareStatement("insert into tier_counter (partner_id, period, "
                + "agreement_version, rule_id, basis) select k.p, k.m, k.v::integer, k.r, k.b::numeric from "
                + "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as k(p, m, v, r, b) on conflict "
                + "(partner_id, period, agreement_version, rule_id) do update set basis = tier_counter.basis + "
                + "excluded.basis")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, m));
            ps.setArray(3, Sql.texts(c, v));
            ps.setArray(4, Sql.texts(c, r));
            ps.setArray(5, Sql.texts(c, b));
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void addPeriodBalances(Connection c, Map<WriteSet.PeriodKey, LedgerChanges.PeriodChange> deltas)
            throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        List<String> p = new ArrayList<>();
        List<String> m = new ArrayList<>();
        List<String> t = new ArrayList<>();
        List<String> n = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        deltas.forEach((k, d) -> {
            p.add(k.partnerId());
            m.add(k.period().toString());
            t.add(d.total().toPlainString());
            n.add(Long.toString(d.events()));
            closed.add(d.closedAt() == null ? null : d.closedAt().toString());
        });
        try (PreparedStatement ps = c.prepareStatement("insert into period_balance (partner_id, period, total, "
                + "event_count, closed_at) select k.p, k.m, k.t::numeric, k.n::bigint, k.c::timestamptz from "
                + "unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) as k(p, m, t, n, c) on conflict "
                + "(partner_id, period) do update set total = period_balance.total + excluded.total, event_count = "
                + "period_balance.event_count + excluded.event_count, closed_at = coalesce(excluded.closed_at, "
                + "period_balance.closed_at)")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, m));
            ps.setArray(3, Sql.texts(c, t));
            ps.setArray(4, Sql.texts(c, n));
            ps.setArray(5, Sql.texts(c, closed));
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void updateHeads(Connection c, Map<String, Long> lastSequence, Map<String, YearMonth> lastClosed)
            throws SQLException {
        if (lastSequence.isEmpty()) {
            return;
        }
        List<String> p = new ArrayList<>();
        List<String> s = new ArrayList<>();
        List<String> closed = new ArrayList<>();
        lastSequence.forEach((partner, seq) -> {
            p.add(partner);
            s.add(Long.toString(seq));
            YearMonth m = lastClosed.get(partner);
            closed.add(m == null ? null : m.toString());
        });
        try (PreparedStatement ps = c.prepareStatement("update partner_ledger_state s set last_sequence = "
                + "k.s::bigint, last_closed_period = coalesce(k.c, s.last_closed_period) from unnest(?::text[], "
                + "?::text[], ?::text[]) as k(p, s, c) where s.partner_id = k.p")) {
            ps.setArray(1, Sql.texts(c, p));
            ps.setArray(2, Sql.texts(c, s));
            ps.setArray(3, Sql.texts(c, closed));
            Sql.count();
            ps.executeUpdate();
        }
    }

    // ---- the decision journal (SPEC §4.1 replay) ----

    /** Records an admin command or a chunk of pending work as the partner's next step (its lock is held). */
    public void recordInput(Connection c, String partnerId, String kind, String inputJson, Instant at)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_input (step, partner_id, kind, input, at) "
                + "values (nextval('ledger_step_seq'), ?, ?, ?::jsonb, ?::timestamptz)")) {
            ps.setString(1, partnerId);
            ps.setString(2, kind);
            ps.setString(3, inputJson);
            ps.setString(4, at.toString());
            Sql.count();
            ps.executeUpdate();
        }
    }

    // ---- payments ----

    /** The partner's PAYMENT entry with that payment id, if any. */
    public Optional<LedgerEntry> payment(Connection c, String partnerId, String paymentId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and payment_id = ?")) {
            ps.setString(1, partnerId);
            ps.setString(2, paymentId);
            Sql.count();
            return entries(ps).stream().findFirst();
        }
    }

    /** The partner's PAYMENT entries in receivedOn, then sequence order, after the cursor, at most {@code limit}. */
    public List<LedgerEntry> payments(Connection c, String partnerId, int limit) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + ENTRY_COLUMNS + " from ledger_entry where "
                + "partner_id = ? and payment_id is not null order by received_on, sequence limit ?")) {
            ps.setString(1, partnerId);
            ps.setInt(2, limit);
            Sql.count();
            return entries(ps);
        }
    }

    /** The exact sum of the partner's payments (0 without any). */
    public BigDecimal paidTotal(Connection c, String partnerId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select coalesce(sum(amount), 0) from ledger_entry where "
                + "partner_id = ? and payment_id is not null")) {
            ps.setString(1, partnerId);
            Sql.count();
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBigDecimal(1);
            }
        }
    }
}
