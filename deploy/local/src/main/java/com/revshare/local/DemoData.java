package com.revshare.local;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * The eight demo hosting partners, their example agreements and a deterministic hourly usage feed
 * (SPEC §2 format). Every hour of every partner draws its events from its own seeded generator, so
 * the events of an hour are the same whenever and however often they are generated: a later run
 * over a longer window sends the same ids with the same content (duplicates) plus the new hours.
 */
final class DemoData {
    /** A demo partner; {@code id} already carries the run's prefix (empty for the local run). */
    record Partner(String id, String name, String currency, int weightPercent, String agreementTemplate) {
        /** The agreement JSON with the given {@code effectiveFrom}. */
        String agreementJson(Instant effectiveFrom) {
            return agreementTemplate.formatted(effectiveFrom.toString());
        }
    }

    /** One usage event: its interpreted content (for control totals) and its JSON. */
    record Event(String partnerId, String id, Instant time, String model, String metric, long quantity,
            BigDecimal revenue) {
        String json() {
            return """
                    {"specversion":"1.0","id":"%s","source":"partners/%s","type":"revshare.usage.v1","time":"%s","partnerid":"%s","datacontenttype":"application/json","data":{"model":"%s","metric":"%s","quantity":%d,"revenue":{"amount":"%s","currency":"USD"},"region":"%s"}}"""
                    .formatted(id, partnerId, time, partnerId, model, metric, quantity, revenue.toPlainString(),
                            REGIONS[Math.floorMod(id.hashCode(), REGIONS.length)]);
        }
    }

    static final String[] METRICS = {"input_tokens", "output_tokens", "requests"};
    private static final String[] MODELS = {
        "llama-3.1-8b-instruct", "llama-3.1-70b-instruct", "llama-3.1-405b-instruct", "llama-3.3-70b-instruct"
    };
    private static final String[] REGIONS = {"us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1"};
    private static final DateTimeFormatter HOUR = DateTimeFormatter.ofPattern("yyyyMMddHH").withZone(ZoneOffset.UTC);
    /** Hours in an average month: the feed's rate per hour is the monthly volume over this. */
    private static final double HOURS_PER_MONTH = 730.0;

    private DemoData() {
    }

    /** The eight partners, ids prefixed with {@code prefix} (empty for the local run). */
    static List<Partner> partners(String prefix) {
        return List.of(
                new Partner(prefix + "aws", "Amazon Web Services", "USD", 40, percent("0.15", null, null)),
                new Partner(prefix + "azure", "Microsoft Azure", "USD", 15, """
                        {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":null,"monthlyCap":null,"rules":[
                          {"id":"405b-out","model":"llama-3.1-405b*","metric":"output_tokens","type":"PER_UNIT","unitPrice":"0.30","unitSize":1000000},
                          {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.12"}]}
                        """),
                new Partner(prefix + "google-cloud", "Google Cloud", "USD", 12, percent("0.14", "500.00", null)),
                new Partner(prefix + "databricks", "Databricks", "USD", 10, """
                        {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":null,"monthlyCap":null,"rules":[
                          {"id":"8b-tiered","model":"llama-3.1-8b*","metric":"*","type":"TIERED","basis":"QUANTITY","mode":"GRADUATED",
                           "tiers":[{"upTo":50000000,"unitPrice":"0.05","unitSize":1000000},{"upTo":null,"unitPrice":"0.02","unitSize":1000000}]},
                          {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"0.13"}]}
                        """),
                new Partner(prefix + "groq", "Groq", "USD", 8, """
                        {"effectiveFrom":"%s","currency":"USD","monthlyMinimum":null,"monthlyCap":null,"rules":[
                          {"id":"out","model":"*","metric":"output_tokens","type":"PER_UNIT","unitPrice":"0.10","unitSize":1000000},
                          {"id":"in","model":"*","metric":"input_tokens","type":"PER_UNIT","unitPrice":"0.04","unitSize":1000000},
                          {"id":"req","model":"*","metric":"requests","type":"PER_UNIT","unitPrice":"0.0001","unitSize":1}]}
                        """),
                new Partner(prefix + "nvidia", "NVIDIA", "USD", 6, percent("0.18", null, null)),
                new Partner(prefix + "dell", "Dell Technologies", "USD", 5, percent("0.10", null, "25000.00")),
                new Partner(prefix + "snowflake", "Snowflake", "USD", 4, percent("0.16", null, null)));
    }

    private static String percent(String rate, String minimum, String cap) {
        return """
                {"effectiveFrom":"%%s","currency":"USD","monthlyMinimum":%s,"monthlyCap":%s,"rules":[
                  {"id":"rev","model":"*","metric":"*","type":"PERCENT_OF_REVENUE","rate":"%s"}]}
                """.formatted(json(minimum), json(cap), rate);
    }

    private static String json(String decimal) {
        return decimal == null ? "null" : "\"" + decimal + "\"";
    }

    /** The hour's tag in event and control ids, e.g. {@code 2026120314}. */
    static String hourTag(Instant hourStart) {
        return HOUR.format(hourStart);
    }

    /**
     * The partner's events of the hour starting at {@code hourStart}: a Poisson number of them
     * (mean: the partner's share of {@code eventsPerMonth} per hour, higher by day than by night),
     * each an hour of one model and metric in one region, as partners typically batch their metering.
     */
    static List<Event> hour(Partner partner, Instant hourStart, int eventsPerMonth, long seed) {
        Random random = new Random(mix(seed, partner.id(), hourStart));
        int hourOfDay = hourStart.atZone(ZoneOffset.UTC).getHour();
        double diurnal = 1.0 + 0.6 * Math.sin((hourOfDay - 8) * Math.PI / 12.0);
        double mean = eventsPerMonth * partner.weightPercent() / 100.0 / HOURS_PER_MONTH * diurnal;
        int count = poisson(random, mean);
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(partner.id(), partner.id() + "-" + hourTag(hourStart) + "-" + i,
                    hourStart.plusSeconds(random.nextInt(3600)), random));
        }
        return events;
    }

    /**
     * {@code count} extra events of the hour, ids {@code <partner>-<hour>-<tag>-<n>}: the events a
     * control total states but that reach the system late (or never), for the reconciliation demo.
     */
    static List<Event> extra(Partner partner, Instant hourStart, String tag, int count, long seed) {
        Random random = new Random(mix(seed, partner.id() + "/" + tag, hourStart));
        List<Event> events = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            events.add(event(partner.id(), partner.id() + "-" + hourTag(hourStart) + "-" + tag + "-" + i,
                    hourStart.plusSeconds(random.nextInt(3600)), random));
        }
        return events;
    }

    /** Every event of the partner with {@code time} in [{@code from}, {@code until}), hour by hour. */
    static List<Event> feed(Partner partner, Instant from, Instant until, int eventsPerMonth, long seed) {
        List<Event> events = new ArrayList<>();
        for (Instant h = from; h.isBefore(until); h = h.plus(Duration.ofHours(1))) {
            for (Event e : hour(partner, h, eventsPerMonth, seed)) {
                if (e.time().isBefore(until)) {
                    events.add(e);
                }
            }
        }
        return events;
    }

    private static Event event(String partnerId, String id, Instant time, Random random) {
        String model = MODELS[random.nextInt(MODELS.length)];
        String metric = METRICS[random.nextInt(METRICS.length)];
        long quantity = "requests".equals(metric) ? 100 + random.nextInt(50_000) : 1_000_000 + random.nextInt(200_000_000);
        BigDecimal pricePerUnit = "requests".equals(metric) ? new BigDecimal("0.002")
                : new BigDecimal(model.contains("405b") ? "0.000012" : model.contains("70b") ? "0.0000009" : "0.0000002");
        BigDecimal revenue = pricePerUnit.multiply(BigDecimal.valueOf(quantity)).setScale(8, RoundingMode.HALF_EVEN);
        return new Event(partnerId, id, time, model, metric, quantity, revenue);
    }

    /** Knuth's method for the small means of an hour's events. */
    private static int poisson(Random random, double mean) {
        if (mean > 30) { // normal approximation: exp(-mean) would underflow for large means
            return Math.max(0, (int) Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int n = 0;
        while (product > limit) {
            n++;
            product *= random.nextDouble();
        }
        return n;
    }

    private static long mix(long seed, String key, Instant hour) {
        CRC32 crc = new CRC32();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        long h = seed * 0x9E3779B97F4A7C15L ^ crc.getValue() * 0xC2B2AE3D27D4EB4FL ^ hour.getEpochSecond();
        return h ^ (h >>> 31);
    }
}
