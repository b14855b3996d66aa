package com.revshare.benchmark;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * After the money check: a large history written straight into reporting's tables (COPY), checked
 * through the API, then the report queries timed one request after another.
 */
final class QueryPhase {
    /**
     * The load's figures as {@link ReadModelLoader} reports them (entries in the read model, load
     * method and times, the verification) and each query's latency.
     */
    record Queries(ObjectNode load, Map<String, QueryBench.Result> latency) {
        ObjectNode json() {
            ObjectNode o = load.deepCopy();
            ObjectNode q = o.putObject("latency");
            latency.forEach((name, res) -> q.putObject(name).put("path", res.path()).put("samples", res.samples())
                    .put("p50Ms", Log.round(res.p50Micros() / 1000.0, 2)).put("p99Ms", Log.round(res.p99Micros() / 1000.0, 2))
                    .put("maxMs", Log.round(res.maxMicros() / 1000.0, 2)).put("responseBytes", res.bytes()));
            return o;
        }
    }

    private QueryPhase() {
    }

    static Queries run(RunContext ctx) throws Exception {
        Options options = ctx.options();
        Api reporting = ctx.reporting();
        ObjectNode o = Api.JSON.createObjectNode();
        Timeline.Point loadStart = ctx.phases().begin("load");
        ReadModelLoader.Loaded loaded = ReadModelLoader.load(ctx.sut(), ctx.ledger(), ctx.admin(), ctx.runId(),
                options.loadEntries, options.seed, ctx.currentMonth(), o);
        ctx.phases().end("load", loadStart, options.loadEntries);
        Waits.until("reporting knows the loaded partners", Duration.ofSeconds(60), () -> reporting.send("GET",
                "/api/v1/reports/partners/" + loaded.biggestPartner() + "/statements/" + loaded.biggestPeriod(), ctx.finance(),
                null, null).status() == 200);
        loaded.verify(reporting, ctx.finance(), o);
        Map<String, String> queries = new LinkedHashMap<>();
        queries.put("periodOverview", "/api/v1/reports/periods/" + loaded.biggestPeriod());
        queries.put("statement", "/api/v1/reports/partners/" + loaded.biggestPartner() + "/statements/" + loaded.biggestPeriod());
        queries.put("summary", "/api/v1/reports/summary?from=" + loaded.firstPeriod() + "&to=" + loaded.lastPeriod()
                + "&groupBy=partner,model,metric,period");
        queries.put("summaryByPartner", "/api/v1/reports/summary?from=" + loaded.firstPeriod() + "&to="
                + loaded.lastPeriod() + "&groupBy=partner");
        ctx.log().line("timing report queries, " + options.querySamples + " sequential requests each");
        Timeline.Point queryStart = ctx.phases().begin("queries");
        Map<String, Long> reportingPids = new LinkedHashMap<>();
        ctx.sut().serviceInstancePids().forEach((name, pid) -> {
            if (name.startsWith("reporting")) {
                reportingPids.put(name + "-queries", pid);
            }
        });
        Map<Long, Path> recordings = options.profile ? Profiles.startAll(reportingPids, ctx.resultsDir()) : Map.of();
        Map<String, QueryBench.Result> r = QueryBench.run(reporting, ctx.finance(), queries, options.querySamples);
        recordings.forEach((pid, file) -> {
            Profiles.stop(pid);
            try {
                Profiles.digest(file, 25);
            } catch (IOException | RuntimeException e) {
                ctx.log().line("  query profile unreadable: " + e.getMessage());
            }
        });
        ctx.phases().end("queries", queryStart, (long) queries.size() * options.querySamples * 11 / 10);
        r.forEach((name, res) -> ctx.log().line(String.format(Locale.ROOT, "  %-15s p50 %.2f ms, p99 %.2f ms (%s)", name,
                res.p50Micros() / 1000.0, res.p99Micros() / 1000.0, res.path())));
        return new Queries(o, r);
    }
}
