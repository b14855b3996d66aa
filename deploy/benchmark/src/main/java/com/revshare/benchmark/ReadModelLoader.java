package com.revshare.benchmark;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Fills reporting's read model with a large history for the query benchmark, bypassing Kafka:
 * eight "bulk-" partners (registered through the ledger's admin API, so reporting learns them
 * the normal way from revshare.partners) get USAGE entries over the twelve months before the
 * benchmark's closed month, skewed like the live feed. The entries are written with COPY into
 * reporting's {@code entry} table, and the aggregates reporting keeps beside it
 * ({@code period_total}, {@code usage_line}, {@code summary_cell}, {@code partner_cursor}) are
 * computed here from the same entries with BigDecimal and inserted, exactly as if the
 * projection had applied them. Its {@code period_proof} rows (reporting's V4) are not written:
 * reporting's first statement of a loaded period hashes that period's entries once and stores the
 * proof, so only the first timed statement of a partner-period pays for the hash. Written against reporting-service's Flyway migration
 * V1__control_schema_and_read_model.sql (the active generation named by
 * {@code active_read_model}); the figures are then read back through the API and compared.
 */
final class ReadModelLoader {
    private static final int PERIODS = 12;
    private static final int COPY_CHUNK_BYTES = 1 << 20;

    /** What was loaded, with the independent sums to verify through reporting's API. */
    record Loaded(List<String> partners, YearMonth firstPeriod, YearMonth lastPeriod, String biggestPartner,
            YearMonth biggestPeriod, Map<String, Map<YearMonth, BigDecimal>> totals, BigDecimal grandTotal) {

        /** The statement of the biggest partner-period and the summary's grand total equal the loaded sums. */
        void verify(Api reporting, String token, ObjectNode out) {
            JsonNode statement = reporting.get("/api/v1/reports/partners/" + biggestPartner + "/statements/" + biggestPeriod, token);
            BigDecimal want = totals.get(biggestPartner).get(biggestPeriod);
            if (new BigDecimal(statement.path("total").asText("0")).compareTo(want) != 0) {
                throw new IllegalStateException("loaded read model: statement total of " + biggestPartner + " "
                        + biggestPeriod + " is " + statement.path("total").asText() + ", loaded " + want.toPlainString()
                        + " (reporting's tables changed? see ReadModelLoader)");
            }
            JsonNode summary = reporting.get("/api/v1/reports/summary?from=" + firstPeriod + "&to=" + lastPeriod
                    + "&groupBy=partner", token);
            BigDecimal sum = BigDecimal.ZERO;
            for (JsonNode row : summary) {
                if (partners.contains(row.path("partnerId").asText())) {
                    sum = sum.add(new BigDecimal(row.path("amount").asText()));
                }
            }
            if (sum.compareTo(grandTotal) != 0) {
                throw new IllegalStateException("loaded read model: summary total " + sum.toPlainString() + ", loaded "
                        + grandTotal.toPlainString());
            }
            out.put("loadVerified", "statement " + biggestPartner + " " + biggestPeriod + " total " + want.toPlainString()
                    + " and summary total " + grandTotal.toPlainString() + " read back through the API");
        }
    }

    private ReadModelLoader() {
    }

    static Loaded load(SystemUnderTest sut, Api ledger, String admin, String runId, long entries, long seed,
            YearMonth currentMonth, ObjectNode out) throws Exception {
        List<String> partners = new ArrayList<>();
        for (Workload.Partner p : Workload.PARTNERS) {
            partners.add("bulk-" + p.baseId() + (sut.managed ? "" : "-" + runId));
        }
        for (int i = 0; i < partners.size(); i++) {
            ledger.call("PUT", "/api/v1/partners/" + partners.get(i), admin,
                    "{\"name\":\"" + Workload.PARTNERS.get(i).name() + " (bulk history)\",\"currency\":\"USD\"}", 200, 201);
        }
        YearMonth last = currentMonth.minusMonths(2);
        YearMonth first = last.minusMonths(PERIODS - 1);
        String jdbc = sut.infra.jdbcUrl(sut.managed ? "bench_reporting" : sut.reportingDb);
        String schema;
        try (Connection c = DriverManager.getConnection(jdbc, sut.infra.pgUser(), sut.infra.pgPassword());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select schema_name from active_read_model where id = 1")) {
            if (!rs.next()) {
                throw new IllegalStateException("reporting has no active read model");
            }
            schema = rs.getString(1);
        }
        String copy = "copy " + schema + ".entry (partner_id, sequence, period, kind, payload) from stdin with (format csv)";
        System.out.printf(Locale.ROOT, "[benchmark] loading %,d entries into reporting's read model %s (COPY, bypassing Kafka)%n",
                entries, schema);

        // partners split over two COPY connections (two cores); each thread owns its partners' sums
        long[] perPartner = new long[partners.size()];
        long assigned = 0;
        for (int i = 0; i < perPartner.length; i++) {
            perPartner[i] = entries * Workload.PARTNERS.get(i).weightPerMille() / 1000;
            assigned += perPartner[i];
        }
        perPartner[0] += entries - assigned;
        Map<String, Map<YearMonth, Cell>> periodTotals = new TreeMap<>();
        Map<String, Map<String, Cell>> lines = new TreeMap<>();
        long started = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        List<Map<String, Map<YearMonth, Cell>>> lanePeriods = new ArrayList<>();
        List<Map<String, Map<String, Cell>>> laneLines = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int t = 0; t < 2; t++) {
            int lane = t;
            Map<String, Map<YearMonth, Cell>> myPeriods = new TreeMap<>();
            Map<String, Map<String, Cell>> myLines = new TreeMap<>();
            Thread thread = new Thread(() -> {
                try (Connection c = DriverManager.getConnection(jdbc, sut.infra.pgUser(), sut.infra.pgPassword())) {
                    for (int i = lane; i < partners.size(); i += 2) {
                        copyPartner(c, copy, partners.get(i), perPartner[i], first, seed + i,
                                myPeriods.computeIfAbsent(partners.get(i), k -> new TreeMap<>()),
                                myLines.computeIfAbsent(partners.get(i), k -> new TreeMap<>()));
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "bulk-copy-" + t);
            thread.start();
            threads.add(thread);
            lanePeriods.add(myPeriods);
            laneLines.add(myLines);
        }
        for (Thread t : threads) {
            t.join();
        }
        lanePeriods.forEach(periodTotals::putAll);
        laneLines.forEach(lines::putAll);
        if (failure.get() != null) {
            throw new IllegalStateException("COPY into reporting's read model failed", failure.get());
        }
        double copySeconds = (System.nanoTime() - started) / 1e9;

        Map<String, Map<YearMonth, BigDecimal>> totals = new TreeMap<>();
        BigDecimal grand = BigDecimal.ZERO;
        try (Connection c = DriverManager.getConnection(jdbc, sut.infra.pgUser(), sut.infra.pgPassword())) {
            c.setAutoCommit(false);
            try (PreparedStatement period = c.prepareStatement("insert into " + schema + ".period_total (partner_id, "
                    + "period, currency, usage_amount, adjustments_amount, event_count, entry_count, status, closed_at) "
                    + "values (?, ?, 'USD', ?, 0, ?, ?, 'OPEN', null)");
                    PreparedStatement line = c.prepareStatement("insert into " + schema + ".usage_line (partner_id, "
                            + "period, model, metric, quantity, revenue, amount) values (?, ?, ?, ?, ?, ?, ?)");
                    PreparedStatement cell = c.prepareStatement("insert into " + schema + ".summary_cell (partner_id, "
                            + "period, model, metric, amount, quantity) values (?, ?, ?, ?, ?, ?)");
                    PreparedStatement cursor = c.prepareStatement("insert into " + schema + ".partner_cursor (partner_id, "
                            + "applied_sequence, posted_at, currency, waiting_count) values (?, ?, ?, 'USD', 0)")) {
                for (int i = 0; i < partners.size(); i++) {
                    String partner = partners.get(i);
                    for (var e : periodTotals.get(partner).entrySet()) {
                        Cell v = e.getValue();
                        period.setString(1, partner);
                        period.setString(2, e.getKey().toString());
                        period.setBigDecimal(3, v.amount);
                        period.setLong(4, v.count);
                        period.setLong(5, v.count);
                        period.addBatch();
                        totals.computeIfAbsent(partner, k -> new TreeMap<>()).put(e.getKey(), v.amount);
                        grand = grand.add(v.amount);
                    }
                    for (var e : lines.get(partner).entrySet()) {
                        String[] k = e.getKey().split("\\|");
                        Cell v = e.getValue();
                        line.setString(1, partner);
                        line.setString(2, k[0]);
                        line.setString(3, k[1]);
                        line.setString(4, k[2]);
                        line.setBigDecimal(5, BigDecimal.valueOf(v.quantity));
                        line.setBigDecimal(6, v.revenue);
                        line.setBigDecimal(7, v.amount);
                        line.addBatch();
                        cell.setString(1, partner);
                        cell.setString(2, k[0]);
                        cell.setString(3, k[1]);
                        cell.setString(4, k[2]);
                        cell.setBigDecimal(5, v.amount);
                        cell.setBigDecimal(6, BigDecimal.valueOf(v.quantity));
                        cell.addBatch();
                    }
                    cursor.setString(1, partner);
                    cursor.setLong(2, perPartner[i]);
                    cursor.setString(3, last.atEndOfMonth().atStartOfDay().toInstant(ZoneOffset.UTC).toString());
                    cursor.addBatch();
                }
                period.executeBatch();
                line.executeBatch();
                cell.executeBatch();
                cursor.executeBatch();
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                for (String table : List.of("entry", "period_total", "usage_line", "summary_cell", "partner_cursor")) {
                    s.execute("analyze " + schema + "." + table);
                }
            }
        }
        long inModel;
        try (Connection c = DriverManager.getConnection(jdbc, sut.infra.pgUser(), sut.infra.pgPassword());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select count(*) from " + schema + ".entry")) {
            rs.next();
            inModel = rs.getLong(1);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(Locale.ROOT, "[benchmark]   loaded in %.1f s (COPY %.1f s, %,.0f entries/s); %,d entries now in the read model%n",
                seconds, copySeconds, entries / copySeconds, inModel);
        out.put("loadedEntries", entries).put("entriesInReadModel", inModel)
                .put("loadMethod", "history COPY-loaded into reporting's tables (entry + aggregates), bypassing Kafka")
                .put("loadSeconds", Benchmark.round(seconds, 1)).put("schema", schema)
                .put("loadedPeriods", first + ".." + last);
        int biggest = 0;
        return new Loaded(partners, first, last, partners.get(biggest), last, totals, grand);
    }

    /** One aggregate cell: amount, quantity, settlement revenue, entries. */
    private static final class Cell {
        BigDecimal amount = BigDecimal.ZERO;
        BigDecimal revenue = BigDecimal.ZERO;
        long quantity;
        long count;
    }

    private static void copyPartner(Connection c, String sql, String partner, long count, YearMonth first, long seed,
            Map<YearMonth, Cell> periods, Map<String, Cell> lines) throws SQLException {
        Workload.Partner terms = Workload.PARTNERS.stream().filter(p -> partner.startsWith("bulk-" + p.baseId()))
                .findFirst().orElseThrow();
        SplittableRandom random = new SplittableRandom(seed);
        CopyIn in = c.unwrap(PGConnection.class).getCopyAPI().copyIn(sql);
        StringBuilder csv = new StringBuilder(COPY_CHUNK_BYTES + 4096);
        try {
            for (long seq = 1; seq <= count; seq++) {
                YearMonth period = first.plusMonths((seq - 1) * PERIODS / count);
                Workload.Model model = Workload.MODELS.get(random.nextInt(Workload.MODELS.size()));
                double m = random.nextDouble();
                String metric = m < 0.45 ? "input_tokens" : m < 0.9 ? "output_tokens" : "requests";
                long quantity = "requests".equals(metric) ? 1 + random.nextInt(200) : 1_000 + random.nextInt(200_000);
                BigDecimal unit = "requests".equals(metric) ? Workload.PRICE_PER_REQUEST : model.pricePerMillion().movePointLeft(6);
                BigDecimal revenue = unit.multiply(BigDecimal.valueOf(quantity)).multiply(terms.markup())
                        .setScale(Workload.SCALE, RoundingMode.HALF_EVEN);
                Instant time = period.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC)
                        .plusSeconds(random.nextLong(period.lengthOfMonth() * 86_400L));
                BigDecimal amount = Workload.share(terms, model.name(), metric, quantity, revenue, "USD",
                        time.atZone(ZoneOffset.UTC).toLocalDate());
                Cell p = periods.computeIfAbsent(period, k -> new Cell());
                p.amount = p.amount.add(amount);
                p.count++;
                Cell l = lines.computeIfAbsent(period + "|" + model.name() + "|" + metric, k -> new Cell());
                l.amount = l.amount.add(amount);
                l.revenue = l.revenue.add(revenue);
                l.quantity += quantity;
                l.count++;
                String ruleId = terms.rules().stream().filter(r -> r.matches(model.name(), metric)).findFirst()
                        .orElseThrow().id();
                csv.append(partner).append(',').append(seq).append(',').append(period).append(",USAGE,\"");
                csv.append("{\"\"entryId\"\":\"\"").append(new java.util.UUID(random.nextLong(), random.nextLong()))
                        .append("\"\",\"\"partnerId\"\":\"\"").append(partner)
                        .append("\"\",\"\"sequence\"\":").append(seq)
                        .append(",\"\"period\"\":\"\"").append(period)
                        .append("\"\",\"\"kind\"\":\"\"USAGE\"\",\"\"amount\"\":\"\"").append(amount.toPlainString())
                        .append("\"\",\"\"currency\"\":\"\"USD\"\",\"\"usageEventId\"\":\"\"").append(partner).append("-h")
                        .append(seq).append("\"\",\"\"model\"\":\"\"").append(model.name())
                        .append("\"\",\"\"metric\"\":\"\"").append(metric).append("\"\",\"\"quantity\"\":").append(quantity)
                        .append(",\"\"revenue\"\":{\"\"amount\"\":\"\"").append(revenue.toPlainString())
                        .append("\"\",\"\"currency\"\":\"\"USD\"\"},\"\"fxRate\"\":null,\"\"settlementRevenue\"\":\"\"")
                        .append(revenue.toPlainString()).append("\"\",\"\"agreementVersion\"\":1,\"\"ruleId\"\":\"\"")
                        .append(ruleId).append("\"\",\"\"reversesEntryId\"\":null,\"\"originalPeriod\"\":null,")
                        .append("\"\"memo\"\":null,\"\"actor\"\":null,\"\"closedAt\"\":null,\"\"eventTime\"\":\"\"")
                        .append(time).append("\"\",\"\"postedAt\"\":\"\"").append(time.plusMillis(400)).append("\"\"}\"\n");
                if (csv.length() >= COPY_CHUNK_BYTES) {
                    byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
                    in.writeToCopy(bytes, 0, bytes.length);
                    csv.setLength(0);
                }
            }
            byte[] bytes = csv.toString().getBytes(StandardCharsets.UTF_8);
            in.writeToCopy(bytes, 0, bytes.length);
            in.endCopy();
        } finally {
            if (in.isActive()) {
                in.cancelCopy();
            }
        }
    }
}
