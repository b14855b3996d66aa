package com.revshare.benchmark;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The correctness check: the reporting figures of every benchmark partner equal the independent
 * BigDecimal sums of what was sent (duplicates counted once, late events as LATE_USAGE in the
 * next open period), to the last decimal; the ledger agrees and nothing was rejected or left
 * unrated. The proof check ({@link ProofCheck}) adds its problems to the same verdict.
 */
final class MoneyCheck {
    /** One partner-period compared. */
    record Row(String partnerId, YearMonth period, BigDecimal expectedTotal, long expectedEvents, String reportedTotal,
            Long reportedEvents) {
    }

    /** The verdict: problems (empty = pass), the rows compared and the independent totals. */
    record Result(List<String> problems, List<Row> rows, long uniqueEvents, long duplicatesSent, BigDecimal expectedGrandTotal) {
        boolean passed() {
            return problems.isEmpty();
        }

        /** The same check with more problems (the proof check's). */
        Result with(List<String> more) {
            List<String> all = new ArrayList<>(problems);
            all.addAll(more);
            return new Result(List.copyOf(all), rows, uniqueEvents, duplicatesSent, expectedGrandTotal);
        }

        ObjectNode json() {
            ObjectNode c = Api.JSON.createObjectNode();
            ArrayNode p = c.putArray("problems");
            problems.forEach(p::add);
            ArrayNode partners = c.putArray("partners");
            for (Row r : rows) {
                ObjectNode pr = partners.addObject();
                pr.put("partnerId", r.partnerId()).put("period", r.period().toString())
                        .put("expectedTotal", r.expectedTotal().toPlainString()).put("expectedEvents", r.expectedEvents());
                if (r.reportedTotal() != null) {
                    pr.put("reportedTotal", r.reportedTotal()).put("reportedEvents", r.reportedEvents());
                }
            }
            c.put("uniqueEvents", uniqueEvents).put("duplicatesSent", duplicatesSent)
                    .put("expectedGrandTotal", expectedGrandTotal.toPlainString());
            c.put("passed", passed());
            return c;
        }
    }

    private MoneyCheck() {
    }

    static Result run(RunContext ctx, long rejected) {
        ctx.log().line("correctness: reporting totals against the independent sum of what was sent");
        List<String> problems = new ArrayList<>();
        List<Row> rows = new ArrayList<>();
        BigDecimal sentTotal = BigDecimal.ZERO;
        Map<YearMonth, JsonNode> overviews = new LinkedHashMap<>();
        Expected expected = ctx.expected();
        for (int i = 0; i < ctx.partnerIds().size(); i++) {
            String id = ctx.partnerIds().get(i);
            Map<YearMonth, Expected.Totals> periods = expected.byPartner().getOrDefault(id, Map.of());
            JsonNode balance = ctx.ledger().get("/api/v1/partners/" + id + "/balance", ctx.finance());
            if (balance.path("unratedCount").asLong() != 0) {
                problems.add(id + ": ledger has " + balance.path("unratedCount").asLong() + " unrated events");
            }
            long freshness = ctx.poller().poll()[i];
            if (freshness != balance.path("lastSequence").asLong()) {
                problems.add(id + ": reporting freshness " + freshness + " != ledger lastSequence "
                        + balance.path("lastSequence").asLong());
            }
            BigDecimal partnerTotal = BigDecimal.ZERO;
            for (var e : periods.entrySet()) {
                YearMonth period = e.getKey();
                Expected.Totals want = e.getValue();
                partnerTotal = partnerTotal.add(want.total());
                JsonNode overview = overviews.computeIfAbsent(period,
                        p -> ctx.reporting().get("/api/v1/reports/periods/" + p, ctx.finance()));
                JsonNode row = null;
                for (JsonNode r : overview) {
                    if (id.equals(r.path("partnerId").asText())) {
                        row = r;
                    }
                }
                String where = id + " " + period;
                if (row == null) {
                    rows.add(new Row(id, period, want.total(), want.eventCount(), null, null));
                    problems.add(where + ": no row in the period overview");
                    continue;
                }
                rows.add(new Row(id, period, want.total(), want.eventCount(), row.path("total").asText(),
                        row.path("eventCount").asLong()));
                compare(problems, where + " total", want.total(), row.path("total").asText());
                compare(problems, where + " usageAmount", want.usageAmount, row.path("usageAmount").asText());
                compare(problems, where + " adjustmentsAmount", want.lateAmount, row.path("adjustmentsAmount").asText());
                if (row.path("eventCount").asLong() != want.eventCount()) {
                    problems.add(where + ": eventCount " + row.path("eventCount").asLong() + ", expected " + want.eventCount());
                }
                for (var q : want.quantities.entrySet()) {
                    String got = row.path("quantities").path(q.getKey()).asText("0");
                    if (!got.equals(Long.toString(q.getValue()))) {
                        problems.add(where + ": quantities." + q.getKey() + " " + got + ", expected " + q.getValue());
                    }
                }
                BigDecimal rounded = want.total().setScale(2, RoundingMode.HALF_EVEN);
                if (new BigDecimal(row.path("amountDue").asText("0")).compareTo(rounded) != 0
                        || !row.path("amountDue").asText().equals(rounded.toPlainString())) {
                    problems.add(where + ": amountDue " + row.path("amountDue").asText() + ", expected " + rounded.toPlainString());
                }
            }
            compare(problems, id + " ledger receivable", partnerTotal, balance.path("receivable").asText());
            sentTotal = sentTotal.add(partnerTotal);
        }
        if (rejected > 0) {
            problems.add(rejected + " records were rejected: " + Rejections.summary(ctx.sut().infra.kafkaBootstrap(), 20));
        }
        Result result = new Result(List.copyOf(problems), List.copyOf(rows), expected.uniqueEvents(), expected.duplicates(),
                sentTotal);
        if (result.passed()) {
            ctx.log().line(String.format(Locale.ROOT, "  PASS: %d partners, %,d unique events (%,d duplicates dropped), grand total %s USD, to the last decimal",
                    ctx.partnerIds().size(), expected.uniqueEvents(), expected.duplicates(), sentTotal.toPlainString()));
        } else {
            System.out.println("[benchmark] CORRECTNESS FAILED:");
            problems.forEach(p -> System.out.println("[benchmark]   " + p));
        }
        return result;
    }

    private static void compare(List<String> problems, String what, BigDecimal want, String got) {
        if (got == null || got.isEmpty() || new BigDecimal(got).compareTo(want) != 0) {
            problems.add(what + ": reported " + got + ", expected " + want.toPlainString());
        }
    }
}
