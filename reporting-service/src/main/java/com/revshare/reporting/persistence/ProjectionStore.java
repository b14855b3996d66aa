package com.revshare.reporting.persistence;

import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.HexFormat;
import java.util.TreeMap;

import org.postgresql.PGConnection;

import com.revshare.reporting.domain.BatchProjection;
import com.revshare.reporting.domain.BatchProjection.AdjustmentKey;
import com.revshare.reporting.domain.BatchProjection.CellDelta;
import com.revshare.reporting.domain.BatchProjection.CellKey;
import com.revshare.reporting.domain.BatchProjection.PeriodDelta;
import com.revshare.reporting.domain.BatchProjection.PeriodKey;
import com.revshare.reporting.domain.PeriodProof;
import com.revshare.reporting.application.HeldRecordRepository.NewHeldRecord;

import com.revshare.reporting.application.ProjectionRepository;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Writes a batch into one read-model generation with a fixed, small number of statements: a
 * COPY of the applied entries and one multi-row upsert ({@code unnest} of arrays) per table.
 * Reads only what the batch needs: the cursors and waiting entries of the partners in it.
 */
@ApplicationScoped
public class ProjectionStore implements ProjectionRepository {
    private final HeldRecordStore heldRecords;
    private final AgroalDataSource dataSource;
    private final ReadModels readModels;

    public ProjectionStore(HeldRecordStore heldRecords, AgroalDataSource dataSource, ReadModels readModels) {
        this.heldRecords = heldRecords;
        this.dataSource = dataSource;
        this.readModels = readModels;
    }

    @Override
    public <T> T inTransaction(String schema, Work<T> work) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection c = dataSource.getConnection()) {
                String target = schema != null ? ReadModels.checked(schema) : readModels.activeForShare(c);
                return work.run(new JdbcSession(c, target));
            }
        });
    }

    /** The transaction's connection bound to one generation. */
    private final class JdbcSession implements Session {
        private final Connection c;
        private final String schema;

        JdbcSession(Connection c, String schema) {
            this.c = c;
            this.schema = schema;
        }

        @Override
        public String schema() {
            return schema;
        }

        @Override
        public Map<String, CursorRow> cursors(Collection<String> partnerIds) throws SQLException {
            return ProjectionStore.this.cursors(c, schema, partnerIds);
        }

        @Override
        public Map<String, TreeMap<Long, String>> waiting(List<WaitingRange> ranges) throws SQLException {
            return ProjectionStore.this.waiting(c, schema, ranges);
        }

        @Override
        public List<String> pendingReleases() throws SQLException {
            return ProjectionStore.this.pendingReleases(c, schema);
        }

        @Override
        public Map<PeriodKey, PeriodProof.Saved> proofs(Collection<PeriodKey> periods) throws SQLException {
            return ProjectionStore.this.proofs(c, schema, periods);
        }

        @Override
        public void periodEntries(String partnerId, String period, PayloadSink sink) throws Exception {
            try (PreparedStatement p = c.prepareStatement("select sequence, payload from " + ReadModels.checked(schema)
                    + ".entry where partner_id = ? and period = ? order by sequence")) {
                p.setFetchSize(1000);
                p.setString(1, partnerId);
                p.setString(2, period);
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        sink.accept(rs.getLong(1), rs.getString(2));
                    }
                }
            }
        }

        @Override
        public void write(BatchWrite batch) throws SQLException {
            ProjectionStore.this.write(c, schema, batch);
        }
    }

    /**
     * The cursors of {@code partnerIds}, locked until the transaction ends: a partner's batches and
     * releases (possibly on two instances around a rebalance) then apply one after the other, each
     * from the cursor the previous one left, never from a stale one.
     */
    Map<String, CursorRow> cursors(Connection c, String schema, Collection<String> partnerIds)
            throws SQLException {
        Map<String, CursorRow> out = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("select partner_id, applied_sequence, waiting_count from "
                + ReadModels.checked(schema) + ".partner_cursor where partner_id = any(?) order by partner_id "
                + "for update")) {
            p.setArray(1, c.createArrayOf("text", partnerIds.toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), new CursorRow(rs.getLong(2), rs.getInt(3)));
                }
            }
        }
        return out;
    }

    /**
     * The payloads of the waiting entries in {@code ranges}, by partner and sequence: one query,
     * an index range scan per range, so the cost follows what the batch needs, not how many wait.
     */
    Map<String, TreeMap<Long, String>> waiting(Connection c, String schema, List<WaitingRange> ranges)
            throws SQLException {
        Map<String, TreeMap<Long, String>> out = new HashMap<>();
        if (ranges.isEmpty()) {
            return out;
        }
        try (PreparedStatement p = c.prepareStatement("select w.partner_id, w.sequence, w.payload from unnest("
                + "?::text[], ?::bigint[], ?::bigint[]) as r(partner_id, lo, hi) join " + ReadModels.checked(schema)
                + ".waiting_entry w on w.partner_id = r.partner_id and w.sequence between r.lo and r.hi")) {
            p.setArray(1, c.createArrayOf("text", ranges.stream().map(WaitingRange::partnerId).toArray()));
            p.setArray(2, c.createArrayOf("bigint", ranges.stream().map(WaitingRange::from).toArray()));
            p.setArray(3, c.createArrayOf("bigint", ranges.stream().map(WaitingRange::to).toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getString(1), k -> new TreeMap<>()).put(rs.getLong(2), rs.getString(3));
                }
            }
        }
        return out;
    }

    /** The stored proofs in progress of {@code periods}: one query. */
    Map<PeriodKey, PeriodProof.Saved> proofs(Connection c, String schema, Collection<PeriodKey> periods)
            throws SQLException {
        Map<PeriodKey, PeriodProof.Saved> out = new HashMap<>();
        try (PreparedStatement p = c.prepareStatement("select q.partner_id, q.period, q.entry_count, "
                + "q.first_sequence, q.last_sequence, q.sha256_state "
                + "from unnest(?::text[], ?::text[]) as k(partner_id, period) join " + ReadModels.checked(schema)
                + ".period_proof q on q.partner_id = k.partner_id and q.period = k.period::char(7)")) {
            p.setArray(1, c.createArrayOf("text", periods.stream().map(PeriodKey::partnerId).toArray()));
            p.setArray(2, c.createArrayOf("text", periods.stream().map(PeriodKey::period).toArray()));
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.put(new PeriodKey(rs.getString(1), rs.getString(2)), new PeriodProof.Saved(rs.getLong(3),
                            rs.getLong(4), rs.getLong(5), rs.getBytes(6)));
                }
            }
        }
        return out;
    }

    /** Partners whose next sequence waits: a release a previous transaction left unfinished. */
    List<String> pendingReleases(Connection c, String schema) throws SQLException {
        String s = ReadModels.checked(schema);
        List<String> out = new ArrayList<>();
        try (PreparedStatement p = c.prepareStatement("select k.partner_id from " + s + ".partner_cursor k "
                + "where k.waiting_count > 0 and exists (select 1 from " + s + ".waiting_entry w "
                + "where w.partner_id = k.partner_id and w.sequence = k.applied_sequence + 1) order by 1");
                ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1));
            }
        }
        return out;
    }

    void write(Connection c, String schema, BatchWrite batch) throws SQLException {
        String s = ReadModels.checked(schema);
        copyEntries(c, s, batch.applied());
        upsertPeriods(c, s, batch.projection().periods());
        upsertLines(c, s, batch.projection().lines());
        upsertAdjustments(c, s, batch.projection().adjustments());
        upsertSummaryCells(c, s, batch.projection().summaryCells());
        storeWaiting(c, s, batch.newlyWaiting(), batch.released());
        insertPayments(c, s, batch.projection().payments());
        upsertProofs(c, s, batch.proofs());
        upsertCursors(c, s, batch.cursors());
        heldRecords.hold(c, batch.held());
    }

    private static void copyEntries(Connection c, String s, List<EntryRow> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        // COPY's text format: partner, period and kind are validated identifiers (no tab, newline or
        // backslash), and the payload is JSON from the codec's generator, which escapes every control
        // character, so it can need escaping only for a backslash (an escape inside a JSON string):
        // most payloads are appended whole instead of being quoted character by character (issue 14)
        StringBuilder text = new StringBuilder(rows.size() * 720);
        for (EntryRow row : rows) {
            text.append(row.partnerId()).append('\t').append(row.sequence()).append('\t').append(row.period())
                    .append('\t').append(row.kind()).append('\t');
            copyText(text, row.payload()).append('\n');
        }
        try {
            c.unwrap(PGConnection.class).getCopyAPI().copyIn(
                    "copy " + s + ".entry (partner_id, sequence, period, kind, payload) from stdin",
                    new StringReader(text.toString()));
        } catch (IOException e) {
            throw new SQLException("copy of entries failed", e);
        }
    }

    /** {@code value} as a column of COPY's text format (backslash, tab, CR and LF escaped). */
    static StringBuilder copyText(StringBuilder out, String value) {
        int i = 0;
        int n = value.length();
        while (i < n) {
            char ch = value.charAt(i);
            if (ch == '\\' || ch == '\t' || ch == '\n' || ch == '\r') {
                break;
            }
            i++;
        }
        if (i == n) {
            return out.append(value);
        }
        out.append(value, 0, i);
        for (; i < n; i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> out.append(ch);
            }
        }
        return out;
    }

    private static void upsertPeriods(Connection c, String s, Map<PeriodKey, PeriodDelta> periods)
            throws SQLException {
        if (periods.isEmpty()) {
            return;
        }
        int n = periods.size();
        String[] partner = new String[n];
        String[] period = new String[n];
        String[] currency = new String[n];
        BigDecimal[] usage = new BigDecimal[n];
        BigDecimal[] adjustments = new BigDecimal[n];
        Long[] events = new Long[n];
        Long[] entries = new Long[n];
        String[] status = new String[n];
        String[] closedAt = new String[n];
        int i = 0;
        for (Map.Entry<PeriodKey, PeriodDelta> e : periods.entrySet()) {
            PeriodDelta d = e.getValue();
            partner[i] = e.getKey().partnerId();
            period[i] = e.getKey().period();
            currency[i] = d.currency();
            usage[i] = d.usageAmount();
            adjustments[i] = d.adjustmentsAmount();
            events[i] = d.eventCount();
            entries[i] = d.entryCount();
            status[i] = d.closedAt() == null ? "OPEN" : "CLOSED";
            closedAt[i] = d.closedAt() == null ? null : d.closedAt().toString();
            i++;
        }
        try (PreparedStatement p = c.prepareStatement("insert into " + s + ".period_total as t (partner_id, period, "
                + "currency, usage_amount, adjustments_amount, event_count, entry_count, status, closed_at) "
                + "select * from unnest(?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], ?::bigint[], "
                + "?::bigint[], ?::text[], ?::text[]) "
                + "on conflict (partner_id, period) do update set "
                + "usage_amount = t.usage_amount + excluded.usage_amount, "
                + "adjustments_amount = t.adjustments_amount + excluded.adjustments_amount, "
                + "event_count = t.event_count + excluded.event_count, "
                + "entry_count = t.entry_count + excluded.entry_count, "
                + "status = case when excluded.status = 'CLOSED' then 'CLOSED' else t.status end, "
                + "closed_at = coalesce(t.closed_at, excluded.closed_at)")) {
            int k = 1;
            p.setArray(k++, c.createArrayOf("text", partner));
            p.setArray(k++, c.createArrayOf("text", period));
            p.setArray(k++, c.createArrayOf("text", currency));
            p.setArray(k++, c.createArrayOf("numeric", usage));
            p.setArray(k++, c.createArrayOf("numeric", adjustments));
            p.setArray(k++, c.createArrayOf("bigint", events));
            p.setArray(k++, c.createArrayOf("bigint", entries));
            p.setArray(k++, c.createArrayOf("text", status));
            p.setArray(k, c.createArrayOf("text", closedAt));
            p.executeUpdate();
        }
    }

    private static void upsertLines(Connection c, String s, Map<CellKey, CellDelta> lines) throws SQLException {
        if (lines.isEmpty()) {
            return;
        }
        Cells cells = new Cells(c, lines);
        try (PreparedStatement p = c.prepareStatement("insert into " + s + ".usage_line as t (partner_id, period, "
                + "model, metric, quantity, revenue, amount) "
                + "select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[], "
                + "?::numeric[]) on conflict (partner_id, period, model, metric) do update set "
                + "quantity = t.quantity + excluded.quantity, revenue = t.revenue + excluded.revenue, "
                + "amount = t.amount + excluded.amount")) {
            int k = cells.bindKeys(p, 1);
            p.setArray(k++, c.createArrayOf("numeric", cells.quantity));
            p.setArray(k++, c.createArrayOf("numeric", cells.revenue));
            p.setArray(k, c.createArrayOf("numeric", cells.amount));
            p.executeUpdate();
        }
    }

    private static void upsertSummaryCells(Connection c, String s, Map<CellKey, CellDelta> summary)
            throws SQLException {
        if (summary.isEmpty()) {
            return;
        }
        Cells cells = new Cells(c, summary);
        try (PreparedStatement p = c.prepareStatement("insert into " + s + ".summary_cell as t (partner_id, period, "
                + "model, metric, amount, quantity) "
                + "select * from unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::numeric[]) "
                + "on conflict (partner_id, period, model, metric) do update set "
                + "amount = t.amount + excluded.amount, quantity = t.quantity + excluded.quantity")) {
            int k = cells.bindKeys(p, 1);
            p.setArray(k++, c.createArrayOf("numeric", cells.amount));
            p.setArray(k, c.createArrayOf("numeric", cells.quantity));
            p.executeUpdate();
        }
    }

    /** Column arrays of cell upserts. */
    private static final class Cells {
        final Connection c;
        final String[] partner;
        final String[] period;
        final String[] model;
        final String[] metric;
        final BigDecimal[] quantity;
        final BigDecimal[] revenue;
        final BigDecimal[] amount;

        Cells(Connection c, Map<CellKey, CellDelta> cells) {
            this.c = c;
            int n = cells.size();
            partner = new String[n];
            period = new String[n];
            model = new String[n];
            metric = new String[n];
            quantity = new BigDecimal[n];
            revenue = new BigDecimal[n];
            amount = new BigDecimal[n];
            int i = 0;
            for (Map.Entry<CellKey, CellDelta> e : cells.entrySet()) {
                partner[i] = e.getKey().partnerId();
                period[i] = e.getKey().period();
                model[i] = e.getKey().model();
                metric[i] = e.getKey().metric();
                quantity[i] = e.getValue().quantity();
                revenue[i] = e.getValue().revenue();
                amount[i] = e.getValue().amount();
                i++;
            }
        }

        int bindKeys(PreparedStatement p, int k) throws SQLException {
            p.setArray(k++, c.createArrayOf("text", partner));
            p.setArray(k++, c.createArrayOf("text", period));
            p.setArray(k++, c.createArrayOf("text", model));
            p.setArray(k++, c.createArrayOf("text", metric));
            return k;
        }
    }

    private static void upsertAdjustments(Connection c, String s, Map<AdjustmentKey, BigDecimal> adjustments)
            throws SQLException {
        if (adjustments.isEmpty()) {
            return;
        }
        int n = adjustments.size();
        String[] partner = new String[n];
        String[] period = new String[n];
        String[] kind = new String[n];
        BigDecimal[] amount = new BigDecimal[n];
        int i = 0;
        for (Map.Entry<AdjustmentKey, BigDecimal> e : adjustments.entrySet()) {
            partner[i] = e.getKey().partnerId();
            period[i] = e.getKey().period();
            kind[i] = e.getKey().kind().name();
            amount[i] = e.getValue();
            i++;
        }
        try (PreparedStatement p = c.prepareStatement("insert into " + s + ".adjustment_total as t (partner_id, "
                + "period, kind, amount) select * from unnest(?::text[], ?::text[], ?::text[], ?::numeric[]) "
                + "on conflict (partner_id, period, kind) do update set amount = t.amount + excluded.amount")) {
            p.setArray(1, c.createArrayOf("text", partner));
            p.setArray(2, c.createArrayOf("text", period));
            p.setArray(3, c.createArrayOf("text", kind));
            p.setArray(4, c.createArrayOf("numeric", amount));
            p.executeUpdate();
        }
    }

    private static void storeWaiting(Connection c, String s, List<EntryRow> newlyWaiting,
            Map<String, List<Long>> released) throws SQLException {
        if (!newlyWaiting.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement("insert into " + s + ".waiting_entry (partner_id, sequence, "
                    + "payload) select * from unnest(?::text[], ?::bigint[], ?::text[]) on conflict do nothing")) {
                p.setArray(1, c.createArrayOf("text", newlyWaiting.stream().map(EntryRow::partnerId).toArray()));
                p.setArray(2, c.createArrayOf("bigint", newlyWaiting.stream().map(EntryRow::sequence).toArray()));
                p.setArray(3, c.createArrayOf("text", newlyWaiting.stream().map(EntryRow::payload).toArray()));
                p.executeUpdate();
            }
        }
        List<String> partners = new ArrayList<>();
        List<Long> sequences = new ArrayList<>();
        released.forEach((partnerId, seqs) -> seqs.forEach(seq -> {
            partners.add(partnerId);
            sequences.add(seq);
        }));
        if (!partners.isEmpty()) {
            try (PreparedStatement p = c.prepareStatement("delete from " + s + ".waiting_entry w using unnest("
                    + "?::text[], ?::bigint[]) as r(partner_id, sequence) "
                    + "where w.partner_id = r.partner_id and w.sequence = r.sequence")) {
                p.setArray(1, c.createArrayOf("text", partners.toArray()));
                p.setArray(2, c.createArrayOf("bigint", sequences.toArray()));
                p.executeUpdate();
            }
        }
    }

    private static void insertPayments(Connection c, String s, List<BatchProjection.Payment> payments)
            throws SQLException {
        if (payments.isEmpty()) {
            return;
        }
        try (PreparedStatement p = c.prepareStatement("insert into " + s + ".payment (partner_id, sequence, "
                + "received_on, amount, currency) select * from unnest(?::text[], ?::bigint[], ?::date[], "
                + "?::numeric[], ?::text[]) on conflict do nothing")) {
            p.setArray(1, c.createArrayOf("text", payments.stream().map(BatchProjection.Payment::partnerId).toArray()));
            p.setArray(2, c.createArrayOf("bigint", payments.stream().map(BatchProjection.Payment::sequence).toArray()));
            p.setArray(3, c.createArrayOf("text",
                    payments.stream().map(x -> x.receivedOn().toString()).toArray()));
            p.setArray(4, c.createArrayOf("numeric", payments.stream().map(BatchProjection.Payment::amount).toArray()));
            p.setArray(5, c.createArrayOf("text", payments.stream().map(BatchProjection.Payment::currency).toArray()));
            p.executeUpdate();
        }
    }

    private static void upsertProofs(Connection c, String s, List<ProofUpdate> proofs) throws SQLException {
        if (proofs.isEmpty()) {
            return;
        }
        HexFormat hex = HexFormat.of();
        try (PreparedStatement p = c.prepareStatement("insert into " + s + ".period_proof as t (partner_id, period, "
                + "entry_count, first_sequence, last_sequence, sha256_state) select r.p, r.per, r.n, r.f, r.l, "
                + "decode(r.st, 'hex') from unnest(?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::bigint[], "
                + "?::text[]) as r(p, per, n, f, l, st) on conflict (partner_id, period) do update set "
                + "entry_count = excluded.entry_count, first_sequence = excluded.first_sequence, "
                + "last_sequence = excluded.last_sequence, sha256_state = excluded.sha256_state")) {
            p.setArray(1, c.createArrayOf("text", proofs.stream().map(u -> u.period().partnerId()).toArray()));
            p.setArray(2, c.createArrayOf("text", proofs.stream().map(u -> u.period().period()).toArray()));
            p.setArray(3, c.createArrayOf("bigint", proofs.stream().map(u -> u.saved().entryCount()).toArray()));
            p.setArray(4, c.createArrayOf("bigint", proofs.stream().map(u -> u.saved().firstSequence()).toArray()));
            p.setArray(5, c.createArrayOf("bigint", proofs.stream().map(u -> u.saved().lastSequence()).toArray()));
            p.setArray(6, c.createArrayOf("text",
                    proofs.stream().map(u -> hex.formatHex(u.saved().sha256State())).toArray()));
            p.executeUpdate();
        }
    }

    private static void upsertCursors(Connection c, String s, List<CursorUpdate> cursors) throws SQLException {
        if (cursors.isEmpty()) {
            return;
        }
        int n = cursors.size();
        String[] partner = new String[n];
        Long[] applied = new Long[n];
        String[] postedAt = new String[n];
        String[] currency = new String[n];
        Integer[] waiting = new Integer[n];
        Long[] gap = new Long[n];
        for (int i = 0; i < n; i++) {
            CursorUpdate u = cursors.get(i);
            partner[i] = u.partnerId();
            applied[i] = u.appliedSequence();
            postedAt[i] = u.postedAt();
            currency[i] = u.currency();
            waiting[i] = u.waitingCount();
            gap[i] = u.gapExpected();
        }
        try (PreparedStatement p = c.prepareStatement("insert into " + s + ".partner_cursor as t (partner_id, "
                + "applied_sequence, posted_at, currency, waiting_count, gap_expected, gap_since) "
                + "select r.*, case when r.gap is null then null else now() end from unnest(?::text[], "
                + "?::bigint[], ?::text[], ?::text[], ?::int[], ?::bigint[]) as r(p, a, pa, cu, w, gap) "
                + "on conflict (partner_id) do update set applied_sequence = excluded.applied_sequence, "
                + "posted_at = coalesce(excluded.posted_at, t.posted_at), "
                + "currency = coalesce(excluded.currency, t.currency), waiting_count = excluded.waiting_count, "
                + "gap_expected = excluded.gap_expected, "
                + "gap_since = case when excluded.gap_expected is null then null "
                + "when t.gap_expected = excluded.gap_expected then t.gap_since else now() end")) {
            p.setArray(1, c.createArrayOf("text", partner));
            p.setArray(2, c.createArrayOf("bigint", applied));
            p.setArray(3, c.createArrayOf("text", postedAt));
            p.setArray(4, c.createArrayOf("text", currency));
            p.setArray(5, c.createArrayOf("int", waiting));
            p.setArray(6, c.createArrayOf("bigint", gap));
            p.executeUpdate();
        }
    }
}
