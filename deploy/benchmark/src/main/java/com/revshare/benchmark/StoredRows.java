package com.revshare.benchmark;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rows stored per event across the pipeline (issue 14's budget: at most 3): every table of each
 * service's database counted exactly ({@code count(*)}, partitions counted as their own tables,
 * never through their parent) before the pipeline phases and after them; the rows added divided
 * by the unique events those phases sent. Read over SQL only, so it works whatever the services'
 * schemas are; only for a system the benchmark started (it knows its databases).
 */
final class StoredRows {
    /** Row counts per service and table ({@code schema.table}). */
    record Snapshot(Map<String, Map<String, Long>> byService) {
    }

    /** The rows the pipeline phases added per service and table, and the events they sent. */
    record Growth(Snapshot before, Snapshot after, long events) {
        long added(String service, String table) {
            return after.byService().getOrDefault(service, Map.of()).getOrDefault(table, 0L)
                    - before.byService().getOrDefault(service, Map.of()).getOrDefault(table, 0L);
        }

        double rowsPerEvent() {
            long added = 0;
            for (var s : after.byService().entrySet()) {
                for (String table : s.getValue().keySet()) {
                    added += Math.max(0, added(s.getKey(), table));
                }
            }
            return events == 0 ? 0 : (double) added / events;
        }

        ObjectNode json() {
            ObjectNode o = Api.JSON.createObjectNode();
            o.put("events", events).put("rowsPerEvent", Log.round(rowsPerEvent(), 3))
                    .put("note", "rows stored in each service's tables after the pipeline phases minus before them, "
                            + "divided by the unique events they sent (rows deleted again, e.g. a drained outbox, do not count)");
            ObjectNode services = o.putObject("byService");
            after.byService().forEach((service, tables) -> {
                ObjectNode s = services.putObject(service);
                long sum = 0;
                ObjectNode t = s.putObject("tables");
                for (String table : tables.keySet()) {
                    long added = added(service, table);
                    sum += Math.max(0, added);
                    if (added != 0) {
                        t.putObject(table).put("rowsAdded", added).put("rowsPerEvent", Log.round(events == 0 ? 0 : (double) added / events, 3))
                                .put("rowsAfter", tables.get(table));
                    }
                }
                s.put("rowsPerEvent", Log.round(events == 0 ? 0 : (double) sum / events, 3));
            });
            return o;
        }
    }

    private StoredRows() {
    }

    /** Every table's row count in each service's database ({@code bench_<service>}). */
    static Snapshot count(SystemUnderTest sut) {
        Map<String, Map<String, Long>> byService = new LinkedHashMap<>();
        for (String service : SystemUnderTest.SERVICES) {
            byService.put(service, count(sut, "bench_" + service));
        }
        return new Snapshot(byService);
    }

    private static Map<String, Long> count(SystemUnderTest sut, String database) {
        Map<String, Long> counts = new LinkedHashMap<>();
        try (Connection c = DriverManager.getConnection(sut.infra.jdbcUrl(database), sut.infra.pgUser(), sut.infra.pgPassword());
                Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("""
                    select quote_ident(n.nspname) || '.' || quote_ident(c.relname)
                    from pg_class c join pg_namespace n on n.oid = c.relnamespace
                    where c.relkind = 'r' and n.nspname not in ('pg_catalog', 'information_schema')
                      and n.nspname not like 'pg_toast%' and n.nspname not like 'pg_temp%'
                    order by 1""")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = s.executeQuery("select count(*) from " + table)) {
                    rs.next();
                    counts.put(table, rs.getLong(1));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("counting the rows of " + database + ": " + e.getMessage(), e);
        }
        return counts;
    }
}
