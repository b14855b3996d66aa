package com.revshare.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The eight demo hosting partners, their example agreements and a deterministic demo feed of
 * usage events dated in the current month (SPEC §2 format).
 */
final class DemoData {
    record Partner(String id, String name, String currency, int weightPercent, String agreementJson) {
    }

    record Event(String partnerId, String id, String json) {
    }

    private static final String[] MODELS = {
        "llama-3.1-8b-instruct", "llama-3.1-70b-instruct", "llama-3.1-405b-instruct", "llama-3.3-70b-instruct"
    };
    private static final String[] METRICS = {"input_tokens", "output_tokens", "requests"};

    private DemoData() {
    }

    static List<Partner> partners(YearMonth month) {
        String from = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
        return List.of(
                new Partner("aws", "Amazon Web Services", "USD", 40, percent(from, "0.15", null, null)),
                new Partner("azure", "Microsoft Azure", "USD", 15, """
                        {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":null,"monthlyCap":null,"rules":[
                          {"id":"405b-out","model":"llama-3.1-405b*","metric":"output_tokens","type":"PER_UNIT","unitPrice":"0.30","unitSize":1000000},
                          {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.12"}]}
                        """.formatted(from)),
                new Partner("google-cloud", "Google Cloud", "USD", 12, percent(from, "0.14", "500.00", null)),
                new Partner("databricks", "Databricks", "USD", 10, """
                        {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":null,"monthlyCap":null,"rules":[
                          {"id":"8b-tiered","model":"llama-3.1-8b*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"GRADUATED",
                           "tiers":[{"upTo":50000000,"unitPrice":"0.05","unitSize":1000000},{"upTo":null,"unitPrice":"0.02","unitSize":1000000}]},
                          {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.13"}]}
                        """.formatted(from)),
                new Partner("groq", "Groq", "USD", 8, """
                        {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":null,"monthlyCap":null,"rules":[
                          {"id":"out","model":"*","metric":"output_tokens","type":"PER_UNIT","unitPrice":"0.10","unitSize":1000000},
                          {"id":"in","model":"*","metric":"input_tokens","type":"PER_UNIT","unitPrice":"0.04","unitSize":1000000},
                          {"id":"req","model":"*","metric":"requests","type":"PER_UNIT","unitPrice":"0.0001","unitSize":1}]}
                        """.formatted(from)),
                new Partner("nvidia", "NVIDIA", "USD", 6, percent(from, "0.18", null, null)),
                new Partner("dell", "Dell Technologies", "USD", 5, percent(from, "0.10", null, "25000.00")),
                new Partner("snowflake", "Snowflake", "USD", 4, percent(from, "0.16", null, null)));
    }

    private static String percent(String from, String rate, String minimum, String cap) {
        return """
                {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":%s,"monthlyCap":%s,"rules":[
                  {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"%s"}]}
                """.formatted(from, json(minimum), json(cap), rate);
    }

    private static String json(String decimal) {
        return decimal == null ? "null" : "\"" + decimal + "\"";
    }

    /**
     * {@code count} events over the partners by weight, times spread between the start of the
     * month and {@code until}; the same seed gives the same ids, so a replay is deduplicated.
     */
    static List<Event> feed(YearMonth month, Instant until, int count, long seed) {
        List<Partner> partners = partners(month);
        Random random = new Random(seed);
        Instant start = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long span = Math.max(1, until.getEpochSecond() - start.getEpochSecond());
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Partner partner = pick(partners, random.nextInt(100));
            String model = MODELS[random.nextInt(MODELS.length)];
            String metric = METRICS[random.nextInt(METRICS.length)];
            // one event = an hour of one model and metric in one region, as partners typically batch their metering
            long quantity = "requests".equals(metric) ? 100 + random.nextInt(50_000) : 1_000_000 + random.nextInt(200_000_000);
            BigDecimal pricePerUnit = "requests".equals(metric) ? new BigDecimal("0.002")
                    : new BigDecimal(model.contains("405b") ? "0.000012" : model.contains("70b") ? "0.0000009" : "0.0000002");
            BigDecimal revenue = pricePerUnit.multiply(BigDecimal.valueOf(quantity)).setScale(8, RoundingMode.HALF_EVEN);
            Instant time = start.plusSeconds(random.nextLong(span));
            String id = "demo-" + partner.id() + "-" + month + "-" + i;
            String json = """
                    {"specversion":"1.0","id":"%s","source":"partners/%s","type":"revshare.usage.v1","time":"%s","partnerid":"%s","datacontenttype":"application/json","data":{"model":"%s","metric":"%s","quantity":%d,"revenue":{"amount":"%s","currency":"USD"},"region":"us-east-1"}}"""
                    .formatted(id, partner.id(), time, partner.id(), model, metric, quantity, revenue.toPlainString());
            events.add(new Event(partner.id(), id, json));
        }
        return events;
    }

    private static Partner pick(List<Partner> partners, int percentile) {
        int acc = 0;
        for (Partner p : partners) {
            acc += p.weightPercent();
            if (percentile < acc) {
                return p;
            }
        }
        return partners.get(0);
    }
}
