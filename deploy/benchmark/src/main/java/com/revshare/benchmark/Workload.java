package com.revshare.benchmark;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The eight demo hosting partners with deliberately simple agreements (PERCENT_OF_REVENUE and
 * PER_UNIT only, no minimum, cap or tiers), so that the money each event must produce can be
 * computed here, independently of the ledger, event by event: round8(revenue x rate) or
 * round8(quantity x unitPrice / unitSize) (SPEC §3.2, §3.4). Traffic weights give one partner
 * 40% of the stream.
 */
final class Workload {
    static final int SCALE = 8;

    /** One rating rule of an agreement version, as sent to the ledger. */
    record Rule(String id, String model, String metric, String type, BigDecimal rate, BigDecimal unitPrice,
            long unitSize) {
        static Rule percent(String id, String model, String metric, String rate) {
            return new Rule(id, model, metric, "PERCENT_OF_REVENUE", new BigDecimal(rate), null, 0);
        }

        static Rule perUnit(String id, String model, String metric, String unitPrice, long unitSize) {
            return new Rule(id, model, metric, "PER_UNIT", null, new BigDecimal(unitPrice), unitSize);
        }

        boolean revenueBased() {
            return "PERCENT_OF_REVENUE".equals(type);
        }

        boolean matches(String eventModel, String eventMetric) {
            return ("*".equals(metric) || metric.equals(eventMetric)) && glob(model).matcher(eventModel).matches();
        }

        String json() {
            String base = "{\"id\":\"" + id + "\",\"model\":\"" + model + "\",\"metric\":\"" + metric + "\",\"type\":\"" + type + "\"";
            return revenueBased() ? base + ",\"rate\":\"" + rate.toPlainString() + "\"}"
                    : base + ",\"unitPrice\":\"" + unitPrice.toPlainString() + "\",\"unitSize\":" + unitSize + "}";
        }
    }

    /**
     * A demo partner: its traffic weight in per mille, its rules in order, the share of its events
     * that carry revenue and its price level (revenue per unit relative to the list price).
     */
    record Partner(String baseId, String name, int weightPerMille, List<Rule> rules, double revenueFraction,
            BigDecimal markup) {
        boolean everyRuleNeedsRevenue() {
            return rules.stream().allMatch(Rule::revenueBased);
        }
    }

    static final List<Partner> PARTNERS = List.of(
            new Partner("aws", "Amazon Web Services", 400, List.of(Rule.percent("rev", "*", "*", "0.15")), 1.0, new BigDecimal("1.10")),
            new Partner("azure", "Microsoft Azure", 150, List.of(
                    Rule.perUnit("405b-out", "llama-3.1-405b*", "output_tokens", "0.30", 1_000_000),
                    Rule.percent("rev", "*", "*", "0.12")), 1.0, new BigDecimal("1.05")),
            new Partner("google-cloud", "Google Cloud", 120, List.of(Rule.percent("rev", "*", "*", "0.14")), 1.0, new BigDecimal("1.00")),
            new Partner("databricks", "Databricks", 100, List.of(Rule.percent("rev", "*", "*", "0.13")), 1.0, new BigDecimal("1.20")),
            new Partner("groq", "Groq", 80, List.of(
                    Rule.perUnit("out", "*", "output_tokens", "0.10", 1_000_000),
                    Rule.perUnit("in", "*", "input_tokens", "0.04", 1_000_000),
                    Rule.perUnit("req", "*", "requests", "0.0001", 1)), 0.7, new BigDecimal("0.80")),
            new Partner("nvidia", "NVIDIA", 60, List.of(Rule.percent("rev", "*", "*", "0.18")), 1.0, new BigDecimal("1.30")),
            new Partner("dell", "Dell Technologies", 50, List.of(Rule.percent("rev", "*", "*", "0.10")), 1.0, new BigDecimal("0.95")),
            new Partner("snowflake", "Snowflake", 40, List.of(Rule.percent("rev", "*", "*", "0.16")), 1.0, new BigDecimal("1.15")));

    /** Models with their relative frequency and list price in USD per million tokens. */
    record Model(String name, int weight, BigDecimal pricePerMillion) {
    }

    static final List<Model> MODELS = List.of(
            new Model("llama-3.1-8b-instruct", 30, new BigDecimal("0.20")),
            new Model("llama-3.1-70b-instruct", 25, new BigDecimal("0.90")),
            new Model("llama-3.3-70b-instruct", 20, new BigDecimal("0.88")),
            new Model("llama-3.1-405b-instruct", 10, new BigDecimal("3.50")),
            new Model("llama-3.2-3b-instruct", 10, new BigDecimal("0.06")),
            new Model("llama-3.2-90b-vision-instruct", 5, new BigDecimal("1.20")));

    static final BigDecimal PRICE_PER_REQUEST = new BigDecimal("0.0015");

    private Workload() {
    }

    /** The agreement version the benchmark registers: effective from {@code from}, open-ended, USD. */
    static String agreementJson(Partner partner, YearMonth from) {
        String effectiveFrom = from.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        StringBuilder rules = new StringBuilder();
        for (Rule r : partner.rules()) {
            rules.append(rules.length() == 0 ? "" : ",").append(r.json());
        }
        return "{\"effectiveFrom\":\"" + effectiveFrom + "\",\"currency\":\"USD\",\"monthlyMinimum\":null,"
                + "\"monthlyCap\":null,\"rules\":[" + rules + "]}";
    }

    /**
     * The deterministic EUR to USD rate the benchmark sets for a date: 1.08 plus up to 0.0049,
     * so repeated runs PUT the same value (the ledger keeps rates immutable).
     */
    static BigDecimal eurUsd(LocalDate date) {
        return new BigDecimal("1.0800").add(BigDecimal.valueOf(date.getDayOfYear() % 50, 4));
    }

    /** What one event must be charged, computed independently of the ledger, or null if no rule rates it. */
    static BigDecimal share(Partner partner, String model, String metric, long quantity, BigDecimal revenue,
            String currency, LocalDate date) {
        for (Rule rule : partner.rules()) {
            if (!rule.matches(model, metric)) {
                continue;
            }
            if (rule.revenueBased()) {
                if (revenue == null) {
                    continue;
                }
                BigDecimal settlement = "USD".equals(currency) ? revenue : revenue.multiply(eurUsd(date));
                return settlement.multiply(rule.rate()).setScale(SCALE, RoundingMode.HALF_EVEN);
            }
            return BigDecimal.valueOf(quantity).multiply(rule.unitPrice())
                    .divide(BigDecimal.valueOf(rule.unitSize()))
                    .setScale(SCALE, RoundingMode.HALF_EVEN);
        }
        return null;
    }

    /** SPEC §3.1 globs: only {@code *} is special (any run of characters), case-sensitive. */
    static Pattern glob(String glob) {
        return GLOBS.computeIfAbsent(glob, g -> {
            StringBuilder regex = new StringBuilder();
            String[] parts = g.split("\\*", -1);
            for (int i = 0; i < parts.length; i++) {
                regex.append(i == 0 ? "" : ".*").append(Pattern.quote(parts[i]));
            }
            return Pattern.compile(regex.toString());
        });
    }

    private static final java.util.Map<String, Pattern> GLOBS = new java.util.concurrent.ConcurrentHashMap<>();
}
