package com.revshare.ledger.persistence;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.revshare.ledger.application.DecidedChanges;
import com.revshare.ledger.domain.LedgerChanges;
import com.revshare.ledger.domain.LedgerEntry;

/**
 * Writes one transaction's decided changes ({@link WriteSet}, mapped from the domain's
 * {@code LedgerChanges}) in a handful of statements whatever its size, and records each command as the
 * partner's next step of the decision journal (SPEC §4.1 replay).
 */
@ApplicationScoped
public class DecisionWriter implements DecidedChanges {
    @Inject
    AgreementRepository agreements;
    @Inject
    UsageRepository usage;

    // ---- writing decided events ----

    @Override
    public int write(Connection c, List<LedgerChanges> changes, boolean usageStored) throws SQLException {
        WriteSet w = new WriteSet();
        for (LedgerChanges change : changes) {
            w.add(change, usageStored);
        }
        write(c, w);
        return w.entries().size();
    }

    /** Executes a write set: a handful of statements whatever its size. */
    void write(Connection c, WriteSet w) throws SQLException {
        for (WriteSet.VersionRow v : w.versions) {
            agreements.insertVersion(c, v);
        }
        if (!w.newUsage.isEmpty()) {
            usage.insertNewUsage(c, w.newUsage, w.newUsage.get(0).time());
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
        try (PreparedStatement ps = c.prepareStatement("insert into ledger_entry (" + EntryRepository.ENTRY_COLUMNS + ") select "
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
        Sql.Columns k = new Sql.Columns(4);
        states.forEach(u -> k.row(u.partnerId(), u.eventId(), u.state(), u.reason()));
        try (PreparedStatement ps = c.prepareStatement("update usage_event u set rating_state = k.s, unrated_reason "
                + "= k.r from unnest(" + k.placeholders() + ") as k(p, id, s, r) where "
                + "u.partner_id = k.p and u.event_id = k.id")) {
            k.bind(c, ps, 1);
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void addCounters(Connection c, Map<WriteSet.CounterKey, BigDecimal> deltas) throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        Sql.Columns k = new Sql.Columns(5);
        deltas.forEach((key, delta) -> k.row(key.partnerId(), key.key().period(), key.key().version(),
                key.key().ruleId(), delta));
        try (PreparedStatement ps = c.prepareStatement("insert into tier_counter (partner_id, period, "
                + "agreement_version, rule_id, basis) select k.p, k.m, k.v::integer, k.r, k.b::numeric from "
                + "unnest(" + k.placeholders() + ") as k(p, m, v, r, b) on conflict "
                + "(partner_id, period, agreement_version, rule_id) do update set basis = tier_counter.basis + "
                + "excluded.basis")) {
            k.bind(c, ps, 1);
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void addPeriodBalances(Connection c, Map<WriteSet.PeriodKey, LedgerChanges.PeriodChange> deltas)
            throws SQLException {
        if (deltas.isEmpty()) {
            return;
        }
        Sql.Columns k = new Sql.Columns(5);
        deltas.forEach((key, d) -> k.row(key.partnerId(), key.period(), d.total(), d.events(), d.closedAt()));
        try (PreparedStatement ps = c.prepareStatement("insert into period_balance (partner_id, period, total, "
                + "event_count, closed_at) select k.p, k.m, k.t::numeric, k.n::bigint, k.c::timestamptz from "
                + "unnest(" + k.placeholders() + ") as k(p, m, t, n, c) on conflict "
                + "(partner_id, period) do update set total = period_balance.total + excluded.total, event_count = "
                + "period_balance.event_count + excluded.event_count, closed_at = coalesce(excluded.closed_at, "
                + "period_balance.closed_at)")) {
            k.bind(c, ps, 1);
            Sql.count();
            ps.executeUpdate();
        }
    }

    private void updateHeads(Connection c, Map<String, Long> lastSequence, Map<String, YearMonth> lastClosed)
            throws SQLException {
        if (lastSequence.isEmpty()) {
            return;
        }
        Sql.Columns k = new Sql.Columns(3);
        lastSequence.forEach((partner, seq) -> k.row(partner, seq, lastClosed.get(partner)));
        try (PreparedStatement ps = c.prepareStatement("update partner_ledger_state s set last_sequence = "
                + "k.s::bigint, last_closed_period = coalesce(k.c, s.last_closed_period) from unnest("
                + k.placeholders() + ") as k(p, s, c) where s.partner_id = k.p")) {
            k.bind(c, ps, 1);
            Sql.count();
            ps.executeUpdate();
        }
    }

    // ---- the decision journal (SPEC §4.1 replay) ----

    @Override
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
}
