package com.revshare.reporting.persistence;

import java.io.IOException;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import com.revshare.reporting.application.ApiProblem;
import com.revshare.reporting.application.ReportReads;
import com.revshare.reporting.domain.BatchProjection;
import com.revshare.reporting.domain.PeriodProof;

import org.jboss.logging.Logger;

import io.agroal.api.AgroalDataSource;
import io.quarkus.agroal.DataSource;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Reads of the active read-model generation. Each answer is one SQL statement, so it sees one
 * snapshot: a statement's lines, adjustments and totals always come from the same set of
 * applied batches.
 * <p>
 * Every read runs on the API read pool (datasource {@value #READS}, {@link ReadPoolSession}), never
 * on the projection's: however many or slow the readers, the consumer that applies entries keeps
 * its connections. A read the pool cannot serve in time, or that PostgreSQL cancels at
 * {@code statement_timeout}, is a 503 with {@code Retry-After}, not a 500.
 */
@ApplicationScoped
public class ReportQueries implements ReportReads {
    /** The name of the API read pool's datasource. */
    public static final String READS = "reads";

    private static final Logger LOG = Logger.getLogger(ReportQueries.class);

    private final AgroalDataSource dataSource;
    private final AgroalDataSource projection;
    private final ReadModels readModels;

    public ReportQueries(@DataSource(READS) AgroalDataSource dataSource, AgroalDataSource projection,
            ReadModels readModels) {
        this.dataSource = dataSource;
        this.projection = projection;
        this.readModels = readModels;
    }

    private static String column(SummaryKey key) {
        return switch (key) {
            case PARTNER -> "partner_id";
            case PERIOD -> "period";
            case MODEL -> "model";
            case METRIC -> "metric";
        };
    }

    /**
     * A failed read: "busy" (no read connection within the acquisition timeout, or cancelled by
     * {@code statement_timeout}: SQLSTATE 57014) is answered 503; anything else is a defect (500).
     */
    private static RuntimeException failure(String what, SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && ("57014".equals(sql.getSQLState())
                    || String.valueOf(sql.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout"))) {
                return ApiProblem.unavailable(what + " cannot be answered now: the read pool is busy or the "
                        + "query ran past its time limit");
            }
        }
        return new IllegalStateException(what + " query failed", e);
    }

    /**
     * One statement from one snapshot (a REPEATABLE READ, read-only transaction, so the lines always
     * add up to the totals beside them): first its head rows to {@code head}, then its lines, by
     * model then metric in code-point order, streamed to {@code lines} from a server-side cursor.
     */
    @Override
    public void statement(String partnerId, String period, int fetchSize, RowSink<StatementRows> head,
            RowSink<LineRow> lines, RowSink<ProofStart> proofStart, RowSink<ProofRow> proof,
            RowSink<PartnerBilling> billing) throws IOException {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement t = c.createStatement()) {
                    t.execute("set transaction isolation level repeatable read, read only");
                }
                String s = readModels.active(c);
                StatementRows rows = statementHead(c, s, partnerId, period);
                head.accept(rows);
                if (rows.period() != null) {
                    try (PreparedStatement p = c.prepareStatement("select model, metric, quantity, revenue, amount "
                            + "from " + s + ".usage_line where partner_id = ? and period = ? "
                            + "order by model collate \"C\", metric collate \"C\"")) {
                        p.setFetchSize(fetchSize);
                        p.setString(1, partnerId);
                        p.setString(2, period);
                        try (ResultSet rs = p.executeQuery()) {
                            while (rs.next()) {
                                lines.accept(new LineRow(rs.getString(1), rs.getString(2), rs.getBigDecimal(3),
                                        rs.getBigDecimal(4), rs.getBigDecimal(5)));
                            }
                        }
                    }
                }
                // the proof covers every entry of the period, payments and the close included, so it
                // is read even when the period has no charge: the proof in progress the projection
                // stored with the period's last batch (one row), then only the entries after it (none
                // when the projection wrote them; all of them when no proof is stored), streamed
                PeriodProof.Saved saved = storedProof(c, s, partnerId, period);
                proofStart.accept(new ProofStart(s, saved));
                try (PreparedStatement p = c.prepareStatement("select sequence, payload from " + s
                        + ".entry where partner_id = ? and period = ? and sequence > ? order by sequence")) {
                    p.setFetchSize(fetchSize);
                    p.setString(1, partnerId);
                    p.setString(2, period);
                    p.setLong(3, saved == null ? 0 : saved.lastSequence());
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            proof.accept(new ProofRow(rs.getLong(1), rs.getString(2)));
                        }
                    }
                }
                if (rows.period() != null && "CLOSED".equals(rows.period().status())) {
                    List<PartnerBilling> b = billing(c, s, partnerId);
                    billing.accept(b.isEmpty() ? null : b.get(0));
                }
            } finally {
                c.rollback(); // read only: ends the snapshot
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("statement", e);
        }
    }

    /** The proof in progress stored for a partner's period (V4's period_proof), or null. */
    private static PeriodProof.Saved storedProof(Connection c, String s, String partnerId, String period)
            throws SQLException {
        try (PreparedStatement p = c.prepareStatement("select entry_count, first_sequence, last_sequence, "
                + "sha256_state from " + s + ".period_proof where partner_id = ? and period = ?")) {
            p.setString(1, partnerId);
            p.setString(2, period);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? new PeriodProof.Saved(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getBytes(4))
                        : null;
            }
        }
    }

    /**
     * Stores a proof hashed from all of a period's entries, on the projection's datasource (the read
     * pool is read-only) and only where none is stored: the projection writes a period's proof in the
     * transaction of every batch that adds to it (from the stored one, or from the entries its own
     * snapshot holds), so a row it wrote is never replaced by this one, and this one is complete for
     * the period unless the projection has written a row for it since, which then stays.
     */
    @Override
    public void rememberProof(String generation, String partnerId, String period, PeriodProof.Saved saved) {
        try (Connection c = projection.getConnection();
                PreparedStatement p = c.prepareStatement("insert into " + ReadModels.checked(generation)
                        + ".period_proof (partner_id, period, entry_count, first_sequence, last_sequence, "
                        + "sha256_state) values (?, ?, ?, ?, ?, ?) on conflict do nothing")) {
            p.setString(1, partnerId);
            p.setString(2, period);
            p.setLong(3, saved.entryCount());
            p.setLong(4, saved.firstSequence());
            p.setLong(5, saved.lastSequence());
            p.setBytes(6, saved.sha256State());
            p.executeUpdate();
        } catch (SQLException | RuntimeException e) {
            // a cache: the statement was answered; the next one hashes the entries again
            LOG.warnf("could not store the proof of %s %s (%s); the next statement hashes its entries again",
                    partnerId, period, e.getMessage());
        }
    }

    private static StatementRows statementHead(Connection c, String s, String partnerId, String period)
            throws SQLException {
        String sql = "select 'P' as section, currency as k1, status as k2, closed_at as k3, usage_amount as n1, "
                + "adjustments_amount as n2, event_count::numeric as n3 from " + s + ".period_total "
                + "where partner_id = ? and period = ? "
                + "union all select 'A', kind, null, null, amount, null, null from " + s
                + ".adjustment_total where partner_id = ? and period = ? "
                + "union all select 'R', currency, null, null, null, null, null from partner where partner_id = ? "
                + "union all select 'C', currency, null, null, applied_sequence, null, null from " + s
                + ".partner_cursor where partner_id = ?";
        try (PreparedStatement p = c.prepareStatement(sql)) {
            p.setString(1, partnerId);
            p.setString(2, period);
            p.setString(3, partnerId);
            p.setString(4, period);
            p.setString(5, partnerId);
            p.setString(6, partnerId);
            PeriodRow periodRow = null;
            List<KindRow> adjustments = new ArrayList<>();
            String registryCurrency = null;
            String entriesCurrency = null;
            boolean hasEntries = false;
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    switch (rs.getString(1)) {
                        case "P" -> periodRow = new PeriodRow(partnerId, period, rs.getString(2).trim(),
                                rs.getBigDecimal(5), rs.getBigDecimal(6), rs.getLong(7), rs.getString(3),
                                rs.getString(4));
                        case "A" -> adjustments.add(new KindRow(rs.getString(2), rs.getBigDecimal(5)));
                        case "R" -> registryCurrency = rs.getString(2).trim();
                        case "C" -> {
                            hasEntries = rs.getLong(5) > 0;
                            entriesCurrency = rs.getString(2) == null ? null : rs.getString(2).trim();
                        }
                        default -> throw new IllegalStateException("unexpected section");
                    }
                }
            }
            return new StatementRows(periodRow, adjustments, registryCurrency, entriesCurrency, hasEntries);
        }
    }

    /** The billing of every partner with a closed period or a payment (or only {@code partnerId}), by partner id. */
    @Override
    public List<PartnerBilling> billing(String partnerId) {
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false);
            try {
                try (Statement t = c.createStatement()) {
                    t.execute("set transaction isolation level repeatable read, read only");
                }
                return billing(c, readModels.active(c), partnerId);
            } finally {
                c.rollback();
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("receivables", e);
        }
    }

    private static List<PartnerBilling> billing(Connection c, String s, String partnerId) throws SQLException {
        String sql = "select 'B' as section, t.partner_id, t.period, t.currency, t.usage_amount + t.adjustments_amount, "
                + "t.closed_at, null::date from " + s + ".period_total t where t.status = 'CLOSED' "
                + "and (?::text is null or t.partner_id = ?::text) "
                + "union all select 'P', y.partner_id, null, y.currency, y.amount, null, y.received_on from " + s
                + ".payment y where (?::text is null or y.partner_id = ?::text) "
                + "union all select 'T', p.partner_id, null, p.currency, p.payment_terms_days, null, null "
                + "from partner p where (?::text is null or p.partner_id = ?::text)";
        java.util.TreeMap<String, Object[]> byPartner = new java.util.TreeMap<>();
        try (PreparedStatement p = c.prepareStatement(sql)) {
            for (int i = 1; i <= 6; i++) {
                p.setString(i, partnerId);
            }
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    Object[] acc = byPartner.computeIfAbsent(rs.getString(2),
                            k -> new Object[] { null, 30, new ArrayList<BilledRow>(), new ArrayList<PaymentRow>() });
                    String currency = rs.getString(4) == null ? null : rs.getString(4).trim();
                    switch (rs.getString(1)) {
                        case "B" -> ((List<BilledRow>) acc[2]).add(new BilledRow(rs.getString(3).trim(), currency,
                                rs.getBigDecimal(5), rs.getString(6)));
                        case "P" -> ((List<PaymentRow>) acc[3]).add(new PaymentRow(
                                rs.getDate(7).toLocalDate(), rs.getBigDecimal(5), currency));
                        case "T" -> {
                            acc[0] = currency;
                            acc[1] = rs.getBigDecimal(5).intValue();
                        }
                        default -> throw new IllegalStateException("unexpected section");
                    }
                }
            }
        }
        List<PartnerBilling> out = new ArrayList<>();
        byPartner.forEach((id, acc) -> {
            @SuppressWarnings("unchecked")
            List<BilledRow> closed = (List<BilledRow>) acc[2];
            @SuppressWarnings("unchecked")
            List<PaymentRow> payments = (List<PaymentRow>) acc[3];
            if (!closed.isEmpty() || !payments.isEmpty()) {
                out.add(new PartnerBilling(id, (String) acc[0], (Integer) acc[1], closed, payments));
            }
        });
        return out;
    }

    /** Whether the partner is known (registered, or has applied entries) and its registry currency. */
    @Override
    public Optional<String> knownPartnerCurrency(String partnerId) {
        try (Connection c = dataSource.getConnection()) {
            String s = readModels.active(c);
            try (PreparedStatement p = c.prepareStatement("select currency from partner where partner_id = ? "
                    + "union all select coalesce(currency, '') from " + s
                    + ".partner_cursor where partner_id = ? and applied_sequence > 0")) {
                p.setString(1, partnerId);
                p.setString(2, partnerId);
                try (ResultSet rs = p.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1).trim()) : Optional.empty();
                }
            }
        } catch (SQLException e) {
            throw failure("partner", e);
        }
    }

    /** One row per partner with entries booked in the period; partnerId null = all partners. */
    @Override
    public List<OverviewRow> overview(String period, String partnerId) {
        try (Connection c = dataSource.getConnection()) {
            String s = readModels.active(c);
            String filter = " and (?::text is null or partner_id = ?)";
            String sql = "select 'P' as section, partner_id, currency as k, status, closed_at, usage_amount as n1, "
                    + "adjustments_amount as n2, event_count::numeric as n3 from " + s + ".period_total "
                    + "where period = cast(? as char(7))" + filter
                    + " union all select 'Q', partner_id, metric, null, null, sum(quantity), null, null from " + s
                    + ".usage_line where period = cast(? as char(7))" + filter + " group by partner_id, metric";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                for (int i = 0; i < 2; i++) {
                    p.setString(3 * i + 1, period);
                    p.setString(3 * i + 2, partnerId);
                    p.setString(3 * i + 3, partnerId);
                }
                Map<String, PeriodRow> periods = new TreeMap<>();
                Map<String, Map<String, BigDecimal>> quantities = new TreeMap<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        String partner = rs.getString(2);
                        if ("P".equals(rs.getString(1))) {
                            periods.put(partner, new PeriodRow(partner, period, rs.getString(3).trim(),
                                    rs.getBigDecimal(6), rs.getBigDecimal(7), rs.getLong(8), rs.getString(4),
                                    rs.getString(5)));
                        } else {
                            quantities.computeIfAbsent(partner, k -> new TreeMap<>()).put(rs.getString(3),
                                    rs.getBigDecimal(6));
                        }
                    }
                }
                List<OverviewRow> out = new ArrayList<>();
                periods.forEach((partner, row) -> out.add(
                        new OverviewRow(row, quantities.getOrDefault(partner, new TreeMap<>()))));
                return out;
            }
        } catch (SQLException e) {
            throw failure("overview", e);
        }
    }

    /**
     * Amount and quantity over all money entries, grouped by {@code keys}; bounds and partner
     * optional. Rows stream to {@code sink} from a server-side cursor ({@code fetchSize} at a time),
     * ordered by partner, period, model, metric in code-point order, nulls last; memory does not
     * grow with the number of rows.
     */
    @Override
    public void summary(String from, String to, Set<SummaryKey> keys, String partnerId, int fetchSize,
            RowSink<SummaryRow> sink) throws IOException {
        List<SummaryKey> sorted = keys.stream().sorted().toList();
        List<String> select = new ArrayList<>();
        List<String> order = new ArrayList<>();
        for (SummaryKey key : sorted) {
            String value = key == SummaryKey.MODEL || key == SummaryKey.METRIC
                    ? "nullif(" + column(key) + ", '" + BatchProjection.NONE + "')" : column(key);
            select.add(value);
            order.add(value + " collate \"C\" nulls last");
        }
        String columns = select.isEmpty() ? "" : String.join(", ", select) + ", ";
        String orderBy = sorted.isEmpty() ? "" : " order by " + String.join(", ", order);
        // grouped by all four keys, a row is a cell (its primary key): no aggregation to do
        boolean cellPerRow = sorted.size() == SummaryKey.values().length;
        String aggregate = cellPerRow ? "amount, quantity"
                : "coalesce(sum(amount), 0), coalesce(sum(quantity), 0)";
        String groupBy = sorted.isEmpty() || cellPerRow ? ""
                : " group by " + String.join(", ", sorted.stream().map(ReportQueries::column).toList());
        // only the bounds given, as plain comparisons, so the planner can use summary_cell's period index
        // (V4) and the primary key's partner prefix (an "? is null or …" condition defeats both)
        List<String> where = new ArrayList<>();
        List<String> values = new ArrayList<>();
        if (from != null) {
            where.add("period >= cast(? as char(7))");
            values.add(from);
        }
        if (to != null) {
            where.add("period <= cast(? as char(7))");
            values.add(to);
        }
        if (partnerId != null) {
            where.add("partner_id = ?");
            values.add(partnerId);
        }
        String condition = where.isEmpty() ? "" : " where " + String.join(" and ", where);
        try (Connection c = dataSource.getConnection()) {
            boolean autoCommit = c.getAutoCommit();
            c.setAutoCommit(false); // a cursor: PostgreSQL fetches fetchSize rows at a time only in a transaction
            try {
                String s = readModels.active(c);
                String sql = "select " + columns + aggregate + " from " + s + ".summary_cell" + condition + groupBy
                        + orderBy;
                try (PreparedStatement p = c.prepareStatement(sql)) {
                    p.setFetchSize(fetchSize);
                    for (int k = 0; k < values.size(); k++) {
                        p.setString(k + 1, values.get(k));
                    }
                    try (ResultSet rs = p.executeQuery()) {
                        while (rs.next()) {
                            String partner = null;
                            String period = null;
                            String model = null;
                            String metric = null;
                            int i = 1;
                            for (SummaryKey key : sorted) {
                                String value = rs.getString(i++);
                                switch (key) {
                                    case PARTNER -> partner = value;
                                    case PERIOD -> period = value;
                                    case MODEL -> model = value;
                                    case METRIC -> metric = value;
                                }
                            }
                            sink.accept(new SummaryRow(partner, period, model, metric, rs.getBigDecimal(i),
                                    rs.getBigDecimal(i + 1)));
                        }
                    }
                }
            } finally {
                c.rollback(); // read only: nothing to keep; ends the cursor's transaction
                c.setAutoCommit(autoCommit);
            }
        } catch (SQLException e) {
            throw failure("summary", e);
        }
    }

    /** Up to {@code limit} entries after {@code afterSequence}, in sequence order. */
    @Override
    public List<EntryPayload> entries(String partnerId, String period, String kind, long afterSequence, int limit) {
        try (Connection c = dataSource.getConnection()) {
            String s = readModels.active(c);
            // the kind as a literal (an EntryKind name, checked below), so the planner sees whether the
            // partial index of the rare kinds (V4: where kind <> 'USAGE') applies, also in a generic plan
            String sql = "select sequence, payload from " + s + ".entry where partner_id = ? and sequence > ?"
                    + (period != null ? " and period = ?" : "")
                    + (kind != null ? " and kind = '" + kindLiteral(kind) + "'" : "") + " order by sequence limit ?";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                int k = 1;
                p.setString(k++, partnerId);
                p.setLong(k++, afterSequence);
                if (period != null) {
                    p.setString(k++, period);
                }
                p.setInt(k, limit);
                List<EntryPayload> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new EntryPayload(rs.getLong(1), rs.getString(2)));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure("entries", e);
        }
    }

    /** An entry kind's name, safe as an SQL literal (the API accepts only SPEC §4 kinds). */
    private static String kindLiteral(String kind) {
        if (!kind.matches("[A-Z_]{1,20}")) {
            throw new IllegalArgumentException("not an entry kind: " + kind);
        }
        return kind;
    }

    /** Per known partner: last applied sequence (0 = none) and its postedAt. */
    @Override
    public List<FreshnessRow> freshness(String partnerId) {
        try (Connection c = dataSource.getConnection()) {
            String s = readModels.active(c);
            String sql = "select k.partner_id, coalesce(c.applied_sequence, 0), c.posted_at from "
                    + "(select partner_id from partner union select partner_id from " + s + ".partner_cursor) k "
                    + "left join " + s + ".partner_cursor c on c.partner_id = k.partner_id "
                    + "where (?::text is null or k.partner_id = ?) order by k.partner_id";
            try (PreparedStatement p = c.prepareStatement(sql)) {
                p.setString(1, partnerId);
                p.setString(2, partnerId);
                List<FreshnessRow> out = new ArrayList<>();
                try (ResultSet rs = p.executeQuery()) {
                    while (rs.next()) {
                        out.add(new FreshnessRow(rs.getString(1), rs.getLong(2), rs.getString(3)));
                    }
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure("freshness", e);
        }
    }

    /** Partners whose later entries wait behind a missing sequence. */
    @Override
    public List<GapRow> gaps() {
        try (Connection c = dataSource.getConnection()) {
            String s = readModels.active(c);
            try (PreparedStatement p = c.prepareStatement("select partner_id, applied_sequence, gap_expected, "
                    + "waiting_count, gap_since::text from " + s + ".partner_cursor where waiting_count > 0 "
                    + "order by partner_id");
                    ResultSet rs = p.executeQuery()) {
                List<GapRow> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new GapRow(rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getInt(4), rs.getString(5)));
                }
                return out;
            }
        } catch (SQLException e) {
            throw failure("gap", e);
        }
    }
}
