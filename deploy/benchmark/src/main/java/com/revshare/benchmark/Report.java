package com.revshare.benchmark;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.revshare.infra.Topics;

/** Renders a run's figures: the printed table, the one-line summary, the timeline JSON and the HTML page with SVG plots. */
final class Report {
    private Report() {
    }

    static String table(JsonNode r) {
        StringBuilder t = new StringBuilder();
        JsonNode run = r.path("run");
        JsonNode m = run.path("machine");
        t.append(String.format(Locale.ROOT, "revshare benchmark %s on %s: %d cores (%s), %s, %s%n",
                run.path("startedAt").asText(), m.path("host").asText(), m.path("cores").asInt(), m.path("cpu").asText(),
                m.path("memory").asText(), m.path("java").asText()));
        t.append(String.format(Locale.ROOT, "load average at start %s, at end %s; mode %s; PostgreSQL durable=%s; services %s%n",
                m.path("loadAverageStart").asText(), run.path("loadAverageEnd").asText(), run.path("mode").asText(),
                run.path("options").path("durable").asText(), run.path("options").path("serviceJvm").asText()));
        String modes = modes(r);
        if (!modes.isEmpty()) {
            t.append("run: ").append(modes).append('\n');
        }

        JsonNode ceiling = r.path("references").path("ceiling");
        JsonNode naive = r.path("references").path("naive");
        t.append("\nREFERENCES (measured in this run)\n");
        if (!ceiling.isMissingNode()) {
            t.append(String.format(Locale.ROOT, "  %-44s %,12d records/s  (%,d records, %d consumer threads, multi-row insert + commit per poll; other processes used %.2f cores)%n",
                    "(a) single-stage ceiling", ceiling.path("recordsPerSecond").asLong(), ceiling.path("records").asLong(),
                    ceiling.path("threads").asInt(), ceiling.path("coresDuring").path("other processes").asDouble()));
            JsonNode per = ceiling.path("cpuMicrosPerRecord");
            if (per.has("total")) {
                t.append(String.format(Locale.ROOT, "  %-44s %,12.1f core-us/record (consumer %d + PostgreSQL %d + broker %d, while it consumed)%n",
                        "    its own CPU", per.path("total").asDouble(), per.path("consumer").asLong(),
                        per.path("postgresql").asLong(), per.path("kafka").asLong()));
            }
        }
        if (!naive.isMissingNode()) {
            t.append(String.format(Locale.ROOT, "  %-44s %,12d events/s   (%,d events, 3 stages, transaction + offset commit per event; other processes used %.2f cores)%n",
                    "(b) naive design", naive.path("eventsPerSecond").asLong(), naive.path("uniqueEvents").asLong(),
                    naive.path("coresDuring").path("other processes").asDouble()));
        }

        t.append(String.format(Locale.ROOT, "%nPIPELINE%58s%10s%n", "x ceiling", "x naive"));
        JsonNode thr = r.path("throughput");
        row(t, String.format(Locale.ROOT, "end-to-end throughput (%,d events)", thr.path("uniqueEvents").asLong()),
                String.format(Locale.ROOT, "%,d events/s", thr.path("eventsPerSecond").asLong()), thr);
        t.append(String.format(Locale.ROOT, "  %-44s %,12d events/s  (10%%..90%% of the phase)%n", "  steady state",
                thr.path("steadyEventsPerSecond").asLong()));
        t.append(String.format(Locale.ROOT, "  %-44s %s%n", "  latency under that load p50/p95/p99/max",
                latency(thr.path("latencyMs"))));
        JsonNode cpu = thr.path("cpu");
        if (cpu.has("systemMicrosPerEvent")) {
            t.append(String.format(Locale.ROOT, "  %-44s %,12d core-us/event%s%n", "  CPU per event (broker, PostgreSQL, services)",
                    cpu.path("systemMicrosPerEvent").asLong(), cpu.has("ratioToCeiling") ? String.format(Locale.ROOT,
                            " = %.2fx the ceiling stage's %.1f per record (goal <= 2.0x)", cpu.path("ratioToCeiling").asDouble(),
                            cpu.path("ceilingMicrosPerRecord").asDouble()) : ""));
        }
        JsonNode storage = r.path("storage");
        if (storage.has("rowsPerEvent")) {
            StringBuilder by = new StringBuilder();
            storage.path("byService").fields().forEachRemaining(e -> by.append(by.length() == 0 ? "" : ", ").append(e.getKey())
                    .append(' ').append(String.format(Locale.ROOT, "%.2f", e.getValue().path("rowsPerEvent").asDouble())));
            t.append(String.format(Locale.ROOT, "  %-44s %12.2f rows/event  (%s; budget 3)%n", "  rows stored per event",
                    storage.path("rowsPerEvent").asDouble(), by));
        }
        JsonNode limit = thr.path("busiestThreads").path("limit");
        if (!limit.isMissingNode()) {
            t.append(String.format(Locale.ROOT, "  %-44s %s %s at %.2f cores%s%n", "  busiest thread", limit.path("process").asText(),
                    limit.path("thread").asText(), limit.path("cores").asDouble(),
                    limit.path("saturated").asBoolean() ? " (saturated: serial work)" : ""));
        }
        JsonNode single = r.path("singlePartner");
        if (!single.isMissingNode()) {
            t.append(String.format(Locale.ROOT, "  %-44s %,12d events/s   limited by %s%n", "single partner " + single.path("partnerId").asText(),
                    single.path("eventsPerSecond").asLong(), single.path("limitedBy").asText()));
        }
        JsonNode lat = r.path("latency");
        t.append(String.format(Locale.ROOT, "  %-44s %s  (%,d events, achieved %,d events/s)%n",
                "latency at " + lat.path("offeredRate").asText() + "/s offered p50/p95/p99/max", latency(lat.path("latencyMs")),
                lat.path("uniqueEvents").asLong(), lat.path("eventsPerSecond").asLong()));
        JsonNode stages = r.path("stages");
        if (stages.has("ingest")) {
            for (String s : SystemUnderTest.SERVICES) {
                JsonNode st = stages.path(s);
                row(t, s + " alone (" + String.format(Locale.ROOT, "%,d", st.path("records").asLong()) + " records)",
                        String.format(Locale.ROOT, "%,d records/s", st.path("recordsPerSecond").asLong()), st);
            }
        } else {
            t.append("  each stage alone: skipped (" + stages.path("skipped").asText() + ")\n");
        }
        JsonNode under = r.path("stagesUnderLoad");
        for (String s : SystemUnderTest.SERVICES) {
            JsonNode st = under.path(s);
            row(t, s + " in the throughput phase while backlogged",
                    String.format(Locale.ROOT, "%,d records/s", st.path("recordsPerSecondWhileBacklogged").asLong()), st);
        }

        JsonNode q = r.path("queries");
        if (!q.isMissingNode()) {
            t.append(String.format(Locale.ROOT, "%nREPORT QUERIES (%,d entries in the read model; %s)%n",
                    q.path("entriesInReadModel").asLong(), q.path("loadMethod").asText()));
            q.path("latency").fields().forEachRemaining(e -> t.append(String.format(Locale.ROOT,
                    "  %-20s p50 %7.2f ms   p99 %7.2f ms   max %7.2f ms   %s%n", e.getKey(), e.getValue().path("p50Ms").asDouble(),
                    e.getValue().path("p99Ms").asDouble(), e.getValue().path("maxMs").asDouble(), e.getValue().path("path").asText())));
        }

        JsonNode procs = r.path("processes");
        if (!procs.isMissingNode()) {
            List<String> phases = new ArrayList<>();
            procs.elements().forEachRemaining(p -> p.path("coresByPhase").fieldNames().forEachRemaining(f -> {
                if (!phases.contains(f)) {
                    phases.add(f);
                }
            }));
            t.append("\nPROCESSES  peak RSS, and CPU cores used on average in each phase\n");
            t.append(String.format(Locale.ROOT, "  %-12s %10s", "process", "peak RSS"));
            phases.forEach(p -> t.append(String.format(Locale.ROOT, " %12s", p)));
            t.append('\n');
            procs.fields().forEachRemaining(e -> {
                if ("system".equals(e.getKey())) {
                    return;
                }
                t.append(String.format(Locale.ROOT, "  %-12s %10s", e.getKey().replace("other processes", "others (not ours)"),
                        e.getValue().has("peakRssMb") ? e.getValue().path("peakRssMb").asLong() + " MB" : "-"));
                phases.forEach(p -> t.append(String.format(Locale.ROOT, " %12.2f", e.getValue().path("coresByPhase").path(p).asDouble())));
                t.append('\n');
            });
            t.append("\nCPU PER EVENT  core-microseconds each process spent per event (records for ingest alone) in each phase\n");
            t.append(String.format(Locale.ROOT, "  %-12s %10s", "process", ""));
            phases.forEach(p -> t.append(String.format(Locale.ROOT, " %12s", p)));
            t.append('\n');
            double[] totals = new double[phases.size()];
            procs.fields().forEachRemaining(e -> {
                if ("system".equals(e.getKey()) || "other processes".equals(e.getKey())) {
                    return;
                }
                t.append(String.format(Locale.ROOT, "  %-12s %10s", e.getKey(), ""));
                for (int i = 0; i < phases.size(); i++) {
                    long us = e.getValue().path("cpuMicrosPerEventByPhase").path(phases.get(i)).asLong();
                    totals[i] += "benchmark".equals(e.getKey()) ? 0 : us;
                    t.append(String.format(Locale.ROOT, " %12d", us));
                }
                t.append('\n');
            });
            t.append(String.format(Locale.ROOT, "  %-23s", "system (not benchmark)"));
            for (double v : totals) {
                t.append(String.format(Locale.ROOT, " %12.0f", v));
            }
            t.append("\n  (2 cores give 2,000,000 core-us per second: 10,000 events/s leave 200 core-us per event for everything)\n");
            t.append(String.format(Locale.ROOT, "  system (broker + PostgreSQL + 3 services): %,d MB sum of peaks, %,d MB peak at one moment%n",
                    procs.path("system").path("sumOfPeakRssMb").asLong(), procs.path("system").path("peakConcurrentRssMb").asLong()));
        }

        t.append("\nTARGETS (issue 7)\n");
        for (JsonNode target : r.path("targets")) {
            t.append(String.format(Locale.ROOT, "  [%s] %-50s goal %-12s measured %s %s%n",
                    target.path("met").asBoolean() ? " met " : "MISSED", target.path("target").asText(),
                    target.path("goal").asText(), SvgChart.format(target.path("measured").asDouble()), target.path("unit").asText()));
        }
        JsonNode c = r.path("correctness");
        t.append(String.format(Locale.ROOT, "%nCORRECTNESS %s: %,d unique events, %,d duplicates sent, expected grand total %s%n",
                c.path("passed").asBoolean() ? "PASS" : "FAIL", c.path("uniqueEvents").asLong(), c.path("duplicatesSent").asLong(),
                c.path("expectedGrandTotal").asText()));
        c.path("problems").forEach(p -> t.append("  ").append(p.asText()).append('\n'));
        JsonNode proofs = r.path("proofs");
        if (!proofs.isMissingNode()) {
            t.append(String.format(Locale.ROOT, "PROOFS %s: %d partner-periods, %,d entries; the ledger's replay matches its entries and "
                    + "reporting's statement proof equals the ledger's (ledger proof %.1f us, statement %.1f us per entry)%n",
                    proofs.path("passed").asBoolean() ? "PASS" : "FAIL", proofs.path("checked").asInt(), proofs.path("entries").asLong(),
                    proofs.path("ledgerReplayMicrosPerEntry").asDouble(), proofs.path("reportingStatementMicrosPerEntry").asDouble()));
        }
        return t.toString();
    }

    /** "single partner aws, 2 instances per service", or empty for a default run. */
    static String modes(JsonNode r) {
        JsonNode o = r.path("run").path("options");
        List<String> m = new ArrayList<>();
        if (o.path("singlePartner").asBoolean()) {
            m.add("single partner" + (r.has("singlePartner") ? " " + r.path("singlePartner").path("partnerId").asText() : ""));
        }
        if (o.path("instances").asInt(1) > 1) {
            m.add(o.path("instances").asInt() + " instances per service");
        }
        return String.join(", ", m);
    }

    private static void row(StringBuilder t, String label, String value, JsonNode ratios) {
        t.append(String.format(Locale.ROOT, "  %-44s %20s %10s %10s%n", label, value,
                ratios.has("ratioToCeiling") ? String.format(Locale.ROOT, "%.2f", ratios.path("ratioToCeiling").asDouble()) : "-",
                ratios.has("ratioToNaive") ? String.format(Locale.ROOT, "%.1f", ratios.path("ratioToNaive").asDouble()) : "-"));
    }

    private static String latency(JsonNode l) {
        if (l.has("p95")) {
            return String.format(Locale.ROOT, "%.0f / %.0f / %.0f / %.0f ms", l.path("p50").asDouble(), l.path("p95").asDouble(),
                    l.path("p99").asDouble(), l.path("max").asDouble());
        }
        return "-";
    }

    /** The progress-free last line of a run. */
    static String summaryLine(JsonNode r, boolean passed) {
        JsonNode thr = r.path("throughput");
        JsonNode lat = r.path("latency").path("latencyMs");
        JsonNode st = r.path("stages");
        JsonNode q = r.path("queries").path("latency");
        int met = 0;
        int all = 0;
        for (JsonNode t : r.path("targets")) {
            all++;
            met += t.path("met").asBoolean() ? 1 : 0;
        }
        String modes = modes(r);
        JsonNode cpu = thr.path("cpu");
        String cpuPart = cpu.has("ratioToCeiling") ? String.format(Locale.ROOT, "; CPU %d core-us/ev = %.2fx ceiling's %.0f",
                cpu.path("systemMicrosPerEvent").asLong(), cpu.path("ratioToCeiling").asDouble(),
                cpu.path("ceilingMicrosPerRecord").asDouble()) : "";
        String rows = r.path("storage").has("rowsPerEvent")
                ? String.format(Locale.ROOT, "; %.2f rows/ev", r.path("storage").path("rowsPerEvent").asDouble()) : "";
        String limit = r.path("singlePartner").has("limitedBy") ? "; limited by " + r.path("singlePartner").path("limitedBy").asText() : "";
        return String.format(Locale.ROOT,
                "revshare-benchmark %s %s/%dc%s: e2e %,d ev/s (%.2fx ceiling %,d/s, %.0fx naive %,d/s)%s%s%s; p99 %.0f ms @ %s/s; "
                        + "%s; %s"
                        + "RSS %,d MB; targets %d/%d met; correctness %s",
                r.path("run").path("startedAt").asText().substring(0, 16) + "Z", r.path("run").path("machine").path("host").asText(),
                r.path("run").path("machine").path("cores").asInt(), modes.isEmpty() ? "" : " [" + modes + "]",
                thr.path("eventsPerSecond").asLong(),
                thr.path("ratioToCeiling").asDouble(), r.path("references").path("ceiling").path("recordsPerSecond").asLong(),
                thr.path("ratioToNaive").asDouble(), r.path("references").path("naive").path("eventsPerSecond").asLong(),
                cpuPart, rows, limit,
                lat.path("p99").asDouble(), r.path("latency").path("offeredRate").asText(),
                st.has("ingest") ? String.format(Locale.ROOT, "alone ingest %,d ledger %,d reporting %,d rec/s",
                        st.path("ingest").path("recordsPerSecond").asLong(), st.path("ledger").path("recordsPerSecond").asLong(),
                        st.path("reporting").path("recordsPerSecond").asLong()) : "stages alone skipped",
                q.isMissingNode() ? "" : String.format(Locale.ROOT, "query p99 overview/statement/summary %.1f/%.1f/%.1f ms @ %,d entries; ",
                        q.path("periodOverview").path("p99Ms").asDouble(), q.path("statement").path("p99Ms").asDouble(),
                        q.path("summary").path("p99Ms").asDouble(), r.path("queries").path("entriesInReadModel").asLong()),
                r.path("processes").path("system").path("sumOfPeakRssMb").asLong(), met, all, passed ? "PASS" : "FAIL");
    }

    static ArrayNode timelineJson(List<Timeline.Point> points) {
        ArrayNode a = Api.JSON.createArrayNode();
        for (Timeline.Point p : points) {
            ObjectNode o = a.addObject();
            o.put("t", Benchmark.round(p.seconds(), 2)).put("phase", p.phase()).put("visible", p.visible());
            o.set("endOffsets", Api.JSON.valueToTree(p.endOffsets()));
            o.set("committed", Api.JSON.valueToTree(p.committed()));
            ObjectNode lag = o.putObject("lag");
            KafkaProbe.GROUP_INPUTS.keySet().forEach(g -> lag.put(g, p.lag(g)));
            ObjectNode procs = o.putObject("processes");
            p.processes().forEach((name, g) -> procs.putObject(name).put("cpuSeconds", Benchmark.round(g.cpuSeconds(), 2))
                    .put("rssMb", g.rssKb() / 1024).put("pssMb", g.pssKb() / 1024).put("processes", g.processes()));
        }
        return a;
    }

    static String html(JsonNode r, List<Timeline.Point> points, List<SvgChart.Marker> markers, String table) {
        int n = points.size();
        double[] xs = new double[Math.max(0, n - 1)];
        for (int i = 1; i < n; i++) {
            xs[i - 1] = points.get(i).seconds();
        }
        Map<String, double[]> rates = new LinkedHashMap<>();
        rates.put("produced to raw", rate(points, p -> p.endOffsets().getOrDefault(Topics.USAGE_RAW, 0L)));
        rates.put("ingest consumed", rate(points, p -> p.committed().getOrDefault("revshare-ingest", 0L)));
        rates.put("accepted published", rate(points, p -> p.endOffsets().getOrDefault(Topics.USAGE_ACCEPTED, 0L)));
        rates.put("ledger consumed", rate(points, p -> p.committed().getOrDefault("revshare-ledger", 0L)));
        rates.put("entries published", rate(points, p -> p.endOffsets().getOrDefault(Topics.LEDGER_ENTRIES, 0L)));
        rates.put("reporting consumed", rate(points, p -> p.committed().getOrDefault("revshare-reporting", 0L)));
        rates.put("visible in reporting", rate(points, Timeline.Point::visible));
        Map<String, double[]> lags = new LinkedHashMap<>();
        for (String g : KafkaProbe.GROUP_INPUTS.keySet()) {
            double[] ys = new double[xs.length];
            for (int i = 1; i < n; i++) {
                ys[i - 1] = points.get(i).lag(g);
            }
            lags.put(g, ys);
        }
        Map<String, double[]> cpu = new LinkedHashMap<>();
        Map<String, double[]> rss = new LinkedHashMap<>();
        if (n > 0) {
            for (String g : points.get(0).processes().keySet()) {
                cpu.put(g, rate(points, p -> p.processes().get(g).cpuSeconds()));
                if ("benchmark".equals(g)) {
                    continue; // its heap would squash the scale; it is not part of the system
                }
                double[] ys = new double[xs.length];
                for (int i = 1; i < n; i++) {
                    ProcStats.Group pg = points.get(i).processes().get(g);
                    ys[i - 1] = ("postgresql".equals(g) ? pg.pssKb() : pg.rssKb()) / 1024.0;
                }
                rss.put(g, ys);
            }
            double[] machine = rate(points, Timeline.Point::machineBusySeconds);
            double[] others = new double[machine.length];
            for (int i = 0; i < others.length; i++) {
                double ours = 0;
                for (double[] c : cpu.values()) {
                    ours += Double.isFinite(c[i]) ? c[i] : 0;
                }
                others[i] = Double.isFinite(machine[i]) ? Math.max(0, machine[i] - ours) : Double.NaN;
            }
            cpu.put("other processes", others);
        }
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>revshare benchmark ")
                .append(SvgChart.escape(r.path("run").path("startedAt").asText())).append("</title>\n")
                .append("<style>body{font-family:sans-serif;margin:20px;color:#222}pre{background:#f6f6f6;padding:10px;"
                        + "font-size:12px;overflow-x:auto}</style></head><body>\n")
                .append("<h1>revshare benchmark</h1>\n<p>").append(SvgChart.escape(r.path("summary").asText())).append("</p>\n");
        h.append(SvgChart.lineChart("Throughput per stage (records/s, per sample interval)", "records/s", xs, rates, markers));
        h.append(SvgChart.lineChart("Consumer lag per group (records)", "records", xs, lags, markers));
        h.append(SvgChart.lineChart("CPU per process (cores)", "cores", xs, cpu, markers));
        h.append(SvgChart.lineChart("Memory per process (MB; RSS, PostgreSQL PSS)", "MB", xs, rss, markers));
        h.append("<pre>").append(SvgChart.escape(table)).append("</pre>\n</body></html>\n");
        return h.toString();
    }

    private static double[] rate(List<Timeline.Point> points, ToDoubleFunction<Timeline.Point> value) {
        double[] ys = new double[Math.max(0, points.size() - 1)];
        for (int i = 1; i < points.size(); i++) {
            double dt = points.get(i).seconds() - points.get(i - 1).seconds();
            double dv = value.applyAsDouble(points.get(i)) - value.applyAsDouble(points.get(i - 1));
            ys[i - 1] = dt < 0.2 || dv < 0 ? Double.NaN : dv / dt;
        }
        return ys;
    }
}
