package com.revshare.benchmark;

import java.time.Duration;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Issue 13's acceptance after the run: for every period of every benchmark partner the ledger's
 * proof (SPEC §4.1, {@code GET /api/v1/partners/{id}/periods/{period}/proof}) says
 * {@code replayMatches: true} — the ledger re-derived the period's entries from the recorded
 * inputs alone and got the stored ones — and reporting's statement carries the same proof,
 * field by field ({@code entryCount, firstSequence, lastSequence, sha256}): three independent
 * computations agree. A difference fails the run like a money difference.
 */
final class ProofCheck {
    static final List<String> FIELDS = List.of("entryCount", "firstSequence", "lastSequence", "sha256");
    /** A replay re-derives the period from its inputs (a million events for the largest partner of a full run). */
    private static final Duration REPLAY_TIMEOUT = Duration.ofMinutes(15);

    /** One partner-period's proofs. */
    record Row(String partnerId, YearMonth period, JsonNode ledger, JsonNode reporting, double ledgerSeconds,
            double reportingSeconds) {
        boolean replayMatches() {
            return ledger.path("replayMatches").isBoolean() && ledger.path("replayMatches").booleanValue();
        }

        /** The fields where reporting's proof differs from the ledger's. */
        List<String> differences() {
            List<String> d = new ArrayList<>();
            for (String f : FIELDS) {
                JsonNode a = ledger.path(f);
                JsonNode b = reporting.path(f);
                if (a.isMissingNode() || b.isMissingNode() || !a.asText().equals(b.asText()) || a.isNull() != b.isNull()) {
                    d.add(f + " ledger " + a + ", reporting " + b);
                }
            }
            return d;
        }
    }

    /** Every partner-period checked and the problems found (empty = pass). */
    record Result(List<Row> rows, List<String> problems) {
        boolean passed() {
            return problems.isEmpty();
        }

        long entries() {
            return rows.stream().mapToLong(r -> r.ledger().path("entryCount").asLong()).sum();
        }

        ObjectNode json() {
            ObjectNode o = Api.JSON.createObjectNode();
            o.put("checked", rows.size()).put("passed", passed()).put("entries", entries());
            double ledger = rows.stream().mapToDouble(Row::ledgerSeconds).sum();
            double reporting = rows.stream().mapToDouble(Row::reportingSeconds).sum();
            o.put("ledgerProofSeconds", Log.round(ledger, 2)).put("reportingStatementSeconds", Log.round(reporting, 2));
            if (entries() > 0) {
                // what reporting's ApplyRateBenchmarkTest printed: the cost of a proof per entry it covers
                o.put("ledgerReplayMicrosPerEntry", Log.round(ledger * 1e6 / entries(), 1))
                        .put("reportingStatementMicrosPerEntry", Log.round(reporting * 1e6 / entries(), 1));
            }
            ArrayNode p = o.putArray("problems");
            problems.forEach(p::add);
            ArrayNode periods = o.putArray("periods");
            for (Row r : rows) {
                ObjectNode n = periods.addObject();
                n.put("partnerId", r.partnerId()).put("period", r.period().toString())
                        .put("status", r.ledger().path("status").asText()).set("entryCount", r.ledger().path("entryCount"));
                n.set("sha256", r.ledger().path("sha256"));
                n.put("replayMatches", r.replayMatches()).put("reportingMatches", r.differences().isEmpty())
                        .put("ledgerSeconds", Log.round(r.ledgerSeconds(), 3)).put("reportingSeconds", Log.round(r.reportingSeconds(), 3));
            }
            return o;
        }
    }

    private ProofCheck() {
    }

    static Result run(RunContext ctx) {
        ctx.log().line("proofs: the ledger's replay and reporting's statement proof of every period of every benchmark partner");
        List<Row> rows = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        for (String id : ctx.partnerIds()) {
            TreeSet<YearMonth> periods = new TreeSet<>(List.of(ctx.closedMonth(), ctx.currentMonth()));
            periods.addAll(ctx.expected().byPartner().getOrDefault(id, Map.of()).keySet());
            for (YearMonth period : periods) {
                String where = id + " " + period;
                long t0 = System.nanoTime();
                Api.Response proof = ctx.ledger().send("GET", "/api/v1/partners/" + id + "/periods/" + period + "/proof",
                        ctx.finance(), null, null, REPLAY_TIMEOUT);
                double ledgerSeconds = (System.nanoTime() - t0) / 1e9;
                if (proof.status() != 200) {
                    problems.add(where + ": the ledger's proof answered " + proof.status() + ": " + proof.body());
                    continue;
                }
                long t1 = System.nanoTime();
                Api.Response statement = ctx.reporting().send("GET", "/api/v1/reports/partners/" + id + "/statements/" + period,
                        ctx.finance(), null, null);
                if (statement.status() != 200) {
                    problems.add(where + ": reporting's statement answered " + statement.status() + ": " + statement.body());
                    continue;
                }
                double reportingSeconds = (System.nanoTime() - t1) / 1e9;
                Row row = new Row(id, period, proof.json(), statement.json().path("proof"), ledgerSeconds, reportingSeconds);
                rows.add(row);
                if (!row.replayMatches()) {
                    problems.add(where + ": the ledger's proof has replayMatches " + row.ledger().path("replayMatches")
                            + " (its replay of the recorded inputs does not give the stored entries)");
                }
                for (String d : row.differences()) {
                    problems.add(where + ": reporting's statement proof differs from the ledger's: " + d);
                }
            }
        }
        Result result = new Result(List.copyOf(rows), List.copyOf(problems));
        if (result.passed()) {
            ctx.log().line(String.format(Locale.ROOT, "  PASS: %d partner-periods, %,d entries: replayMatches true and reporting's proof "
                    + "equal to the ledger's (ledger proof %.1f s, reporting statements %.1f s)", rows.size(), result.entries(),
                    rows.stream().mapToDouble(Row::ledgerSeconds).sum(), rows.stream().mapToDouble(Row::reportingSeconds).sum()));
        } else {
            System.out.println("[benchmark] PROOF CHECK FAILED:");
            problems.forEach(p -> System.out.println("[benchmark]   " + p));
        }
        return result;
    }
}
